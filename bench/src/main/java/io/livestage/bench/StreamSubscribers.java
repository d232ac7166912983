package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;

/**
 * The sse part's subscribers: {@code count} Server-Sent-Events streams ({@code GET path}, {@code Accept:
 * text/event-stream}, no token), one HTTP/1.1 connection each, from one Vert.x {@link HttpClient} whose pool allows a
 * connection per subscriber, spread over the client's event loops.
 */
final class StreamSubscribers implements AutoCloseable {
    static final String EVENT_TYPE = "stream";

    /** One subscriber: its connection's state, touched only on its event loop (the counters are read after). */
    static final class Subscriber {
        final int index;
        final QualityChanges.Cursor cursor = new QualityChanges.Cursor();
        long openSent;
        long firstEvent;
        String initialPreset;
        /** Why it failed to open or stopped; null while it is fine. */
        volatile String failure;
        /** The receive time of the chunk being parsed. */
        long chunkNanos;

        Subscriber(int index) {
            this.index = index;
        }

        boolean ready() {
            return firstEvent > 0;
        }
    }

    /** How opening went: ready subscribers, failures by cause, time to first event (µs), the initial presets seen. */
    record OpenOutcome(int ready, int failed, int pending, long millis, Histogram firstEventMicros,
            Map<String, Long> failures, Map<String, Long> initialPresets) {
    }

    private final HttpClient client;
    private final int port;
    private final String path;
    private final int connectConcurrency;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<Context> contexts = new ArrayList<>();
    private volatile QualityChanges changes;
    private final AtomicInteger nextToOpen = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final ConcurrentHistogram firstEvent = new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3);
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> droppedAfterReady = new ConcurrentHashMap<>();
    final LongAdder otherEventTypes = new LongAdder();
    final LongAdder unreadableEvents = new LongAdder();
    final LongAdder eventsBeforeChanges = new LongAdder();
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private volatile String contentType;
    private volatile boolean closing;

    StreamSubscribers(Vertx vertx, int port, String path, int count, int connectConcurrency, int threads) {
        this.port = port;
        this.path = path;
        this.connectConcurrency = connectConcurrency;
        // one connection per stream: the pool must hold them all, and nothing may wait for a free one
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setConnectTimeout(10_000).setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(count).setMaxWaitQueueSize(-1));
        for (int i = 0; i < count; i++) {
            subscribers.add(new Subscriber(i));
        }
        for (int t = 0; t < threads; t++) {
            contexts.add(vertx.getOrCreateContext());
        }
    }

    /** From now on events are matched against {@code changes}; before, every event after the first is counted. */
    void track(QualityChanges changes) {
        this.changes = changes;
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    /** Opens every subscriber; completes when each is ready or failed, or after {@code timeout}. */
    OpenOutcome open(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        if (subscribers.isEmpty()) {
            allSettled.complete(null);
        }
        for (int i = 0; i < Math.min(connectConcurrency, subscribers.size()); i++) {
            openNext();
        }
        try {
            allSettled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported as pending below
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int ready = 0;
        int failed = 0;
        Map<String, Long> initial = new LinkedHashMap<>();
        for (Subscriber s : subscribers) {
            if (s.ready()) {
                ready++;
                initial.merge(String.valueOf(s.initialPreset), 1L, Long::sum);
            } else if (s.failure != null) {
                failed++;
            }
        }
        return new OpenOutcome(ready, failed, subscribers.size() - ready - failed, millis, firstEvent.copy(),
                counts(failures), initial);
    }

    /** The Content-Type of the first stream's response (for the report). */
    String contentType() {
        return contentType;
    }

    private void openNext() {
        int i = nextToOpen.getAndIncrement();
        if (i >= subscribers.size()) {
            return;
        }
        Subscriber s = subscribers.get(i);
        contexts.get(i % contexts.size()).runOnContext(ignored -> open(s));
    }

    private void settle(Subscriber s, String failure) {
        if (failure != null) {
            s.failure = failure;
            failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
        }
        if (settled.incrementAndGet() == subscribers.size()) {
            allSettled.complete(null);
        }
        openNext();
    }

    private void open(Subscriber s) {
        s.openSent = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("Accept", "text/event-stream");
        client.request(options).compose(request -> request.send()).onComplete(result -> {
            if (result.failed()) {
                settle(s, OpenLoop.cause(result.cause()));
                return;
            }
            HttpClientResponse response = result.result();
            if (response.statusCode() != 200) {
                response.body();
                settle(s, "status " + response.statusCode());
                return;
            }
            if (contentType == null) {
                contentType = String.valueOf(response.getHeader("Content-Type"));
            }
            SseParser parser = new SseParser(event -> onEvent(s, event));
            response.handler(buffer -> {
                s.chunkNanos = System.nanoTime();
                parser.feed(buffer.getBytes());
            });
            response.exceptionHandler(e -> stopped(s, OpenLoop.cause(e)));
            response.endHandler(v -> stopped(s, "stream ended by the server"));
        });
    }

    private void stopped(Subscriber s, String why) {
        if (s.failure != null) {
            return;
        }
        if (!s.ready()) {
            settle(s, why + " before the first event");
        } else if (!closing) {
            s.failure = why;
            droppedAfterReady.computeIfAbsent(why, w -> new LongAdder()).increment();
        }
    }

    private void onEvent(Subscriber s, SseParser.Event event) {
        if (!EVENT_TYPE.equals(event.type())) {
            otherEventTypes.increment();
            return;
        }
        StreamStatus status;
        try {
            status = StreamStatus.parse(event.data());
        } catch (IllegalArgumentException e) {
            unreadableEvents.increment();
            return;
        }
        if (!s.ready()) {
            s.firstEvent = s.chunkNanos;
            s.initialPreset = status.preset();
            s.cursor.lastVersion = status.version() >= 0 ? status.version() : Long.MIN_VALUE;
            firstEvent.recordValue(Math.min(LoadResult.HIGHEST_MICROS, (s.firstEvent - s.openSent) / 1_000));
            settle(s, null);
            return;
        }
        QualityChanges tracked = changes;
        if (tracked == null) {
            eventsBeforeChanges.increment();
            return;
        }
        tracked.onEvent(s.cursor, status, s.chunkNanos);
    }

    /** Subscribers that were ready and are still connected. */
    int connected() {
        return (int) subscribers.stream().filter(s -> s.ready() && s.failure == null).count();
    }

    /** Streams that ended or failed after their first event, by cause. */
    Map<String, Long> dropped() {
        return counts(droppedAfterReady);
    }

    /**
     * Waits until every ready subscriber has seen change {@code k} (or lost it, or dropped), or {@code grace} has
     * passed; true when all have.
     */
    boolean awaitDelivered(QualityChanges changes, int k, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            if (caughtUp(changes, k)) {
                return true;
            }
            Thread.sleep(5);
        }
        return caughtUp(changes, k);
    }

    private boolean caughtUp(QualityChanges changes, int k) {
        for (Subscriber s : subscribers) {
            if (s.ready() && s.failure == null && s.cursor.next <= k) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> out = new LinkedHashMap<>();
        adders.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void close() {
        closing = true;
        try {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.info("sse: closing the subscribers' client: %s", e);
        }
    }
}
