package io.livestage.bench.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

/**
 * The one SSE client: Server-Sent-Events streams ({@code GET path}, {@code Accept: text/event-stream}, an optional
 * bearer), one HTTP/1.1 connection each from one Vert.x {@link HttpClient}, spread over {@code threads} event loops and
 * opened {@code concurrency} at a time. A subscriber is ready at the first event its listener accepts; each event goes
 * to the listener with the receive time of the chunk that completed it.
 */
public final class SseClients implements AutoCloseable {
    /** Handles one event of subscriber {@code index}; {@code first}: it is not ready yet. Returns whether accepted. */
    @FunctionalInterface
    public interface Listener {
        boolean event(int index, SseParser.Event event, long receivedNanos, boolean first);
    }

    /** How opening went: ready subscribers, failures by cause, time to the first event (µs). */
    public record Opened(int ready, int failed, int pending, long millis, Histogram firstEventMicros,
            Map<String, Long> failures) {
    }

    private final HttpClient client;
    private final int port;
    private final List<String> paths;
    private final List<String> bearers;
    private final int concurrency;
    private final Listener listener;
    private final List<Context> contexts = new ArrayList<>();
    private final long[] openSent;
    private final AtomicLongArray firstEvent;
    private final AtomicReferenceArray<String> failure;
    private final AtomicInteger nextToOpen = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final ConcurrentHistogram firstEventMicros = new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3);
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> allSettled = new CompletableFuture<>();
    private volatile String contentType;
    private volatile boolean closing;

    /** One subscriber per path (with the bearer at the same index, or none when {@code bearers} is null). */
    public SseClients(Vertx vertx, int port, List<String> paths, List<String> bearers, int concurrency, int threads,
            Listener listener) {
        this.port = port;
        this.paths = List.copyOf(paths);
        this.bearers = bearers;
        this.concurrency = concurrency;
        this.listener = listener;
        // one connection per stream: the pool must hold them all, and nothing may wait for a free one
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setConnectTimeout(10_000).setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(Math.max(1, paths.size())).setMaxWaitQueueSize(-1));
        openSent = new long[paths.size()];
        firstEvent = new AtomicLongArray(paths.size());
        failure = new AtomicReferenceArray<>(paths.size());
        for (int t = 0; t < threads; t++) {
            contexts.add(vertx.getOrCreateContext());
        }
    }

    /** Opens every subscriber; returns when each is ready or failed, or after {@code timeout}. */
    public Opened open(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        if (paths.isEmpty()) {
            allSettled.complete(null);
        }
        for (int i = 0; i < Math.min(concurrency, paths.size()); i++) {
            openNext();
        }
        try {
            allSettled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // reported as pending
        }
        int ready = 0;
        int failed = 0;
        for (int i = 0; i < paths.size(); i++) {
            ready += ready(i) ? 1 : 0;
            failed += !ready(i) && failure.get(i) != null ? 1 : 0;
        }
        return new Opened(ready, failed, paths.size() - ready - failed, TimeUnit.NANOSECONDS.toMillis(
                System.nanoTime() - start), firstEventMicros.copy(), counts(failures));
    }

    public boolean ready(int i) {
        return firstEvent.get(i) > 0;
    }

    /** Ready and still connected. */
    public boolean connected(int i) {
        return ready(i) && failure.get(i) == null;
    }

    public int size() {
        return paths.size();
    }

    /** The Content-Type of the first stream's response. */
    public String contentType() {
        return contentType;
    }

    /** Streams that ended or failed after their first event, by cause. */
    public Map<String, Long> dropped() {
        return counts(dropped);
    }

    private void openNext() {
        int i = nextToOpen.getAndIncrement();
        if (i < paths.size()) {
            contexts.get(i % contexts.size()).runOnContext(ignored -> open(i));
        }
    }

    private void settle(int i, String why) {
        if (why != null) {
            failure.set(i, why);
            failures.computeIfAbsent(why, f -> new LongAdder()).increment();
        }
        if (settled.incrementAndGet() == paths.size()) {
            allSettled.complete(null);
        }
        openNext();
    }

    private void open(int i) {
        openSent[i] = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(paths.get(i)).putHeader("Accept", "text/event-stream");
        if (bearers != null) {
            options.putHeader("Authorization", "Bearer " + bearers.get(i));
        }
        client.request(options).compose(request -> request.send()).onComplete(result -> {
            if (result.failed()) {
                settle(i, OpenLoop.cause(result.cause()));
                return;
            }
            HttpClientResponse response = result.result();
            if (response.statusCode() != 200) {
                response.body();
                settle(i, "status " + response.statusCode());
                return;
            }
            if (contentType == null) {
                contentType = String.valueOf(response.getHeader("Content-Type"));
            }
            long[] chunkNanos = new long[1];
            SseParser parser = new SseParser(event -> {
                boolean first = !ready(i);
                if (listener.event(i, event, chunkNanos[0], first) && first) {
                    firstEvent.set(i, chunkNanos[0]);
                    firstEventMicros.recordValue(LoadResult.micros(chunkNanos[0] - openSent[i]));
                    settle(i, null);
                }
            });
            response.handler(buffer -> {
                chunkNanos[0] = System.nanoTime();
                parser.feed(buffer.getBytes());
            });
            response.exceptionHandler(e -> stopped(i, OpenLoop.cause(e)));
            response.endHandler(v -> stopped(i, "stream ended by the server"));
        });
    }

    private void stopped(int i, String why) {
        if (failure.get(i) != null) {
            return;
        }
        if (!ready(i)) {
            settle(i, why + " before the first event");
        } else if (!closing) {
            failure.set(i, why);
            dropped.computeIfAbsent(why, w -> new LongAdder()).increment();
        }
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
            Log.info("closing the SSE client: %s", e);
        }
    }
}
