package io.livestage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One server-sent-events subscriber per live session: {@code GET /api/sessions/{id}/analytics/events} with the bearer
 * token of the session's host ({@code Accept: text/event-stream}, HTTP/1.1, JDK HttpClient), read on a virtual thread
 * each, parsed incrementally by {@link SseParser}; each frame's {@code chat.messages} goes to {@link LiveLatency} with
 * the time of the read that completed it.
 */
final class AnalyticsSubscribers implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<InputStream> bodies = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private volatile boolean closing;

    /** Opens every subscription; returns once each answered (a failure is counted, not thrown). */
    void open(int port, List<String> sessions, List<String> tokens, LiveLatency latency) throws InterruptedException {
        List<java.util.concurrent.CompletableFuture<HttpResponse<InputStream>>> pending = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sessions/"
                    + sessions.get(s) + "/analytics/events")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + tokens.get(s)).GET().build();
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()));
        }
        for (int s = 0; s < pending.size(); s++) {
            HttpResponse<InputStream> response;
            try {
                response = pending.get(s).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failures.merge("open failed: " + e.getClass().getSimpleName(), 1L, Long::sum);
                continue;
            }
            if (response.statusCode() != 200) {
                failures.merge("status " + response.statusCode(), 1L, Long::sum);
                try {
                    response.body().close();
                } catch (IOException ignored) {
                    // nothing to release
                }
                continue;
            }
            int session = s;
            InputStream body = response.body();
            synchronized (bodies) {
                bodies.add(body);
            }
            readers.add(Thread.ofVirtual().name("analytics-sse-" + s).start(() -> read(session, body, latency)));
        }
    }

    private void read(int session, InputStream body, LiveLatency latency) {
        long[] readAt = new long[1];
        SseParser parser = new SseParser(event -> {
            Long messages = chatMessages(event.data());
            if (messages == null) {
                unreadable.incrementAndGet();
            } else {
                latency.frame(session, messages, readAt[0]);
            }
        });
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = body.read(buffer)) >= 0;) {
                readAt[0] = System.nanoTime();
                parser.feed(buffer, 0, n);
            }
            if (!closing) {
                ended.incrementAndGet();
            }
        } catch (IOException e) {
            if (!closing) {
                failures.merge("stream failed: " + e.getClass().getSimpleName(), 1L, Long::sum);
            }
        }
    }

    /** {@code chat.messages} of a frame's SessionStats JSON, or null when it is not there. */
    static Long chatMessages(String data) {
        try {
            JsonObject stats = new JsonObject(data);
            JsonObject chat = stats.getJsonObject("chat");
            return chat == null ? null : chat.getLong("messages");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** Waits until every session's first frame arrived; false at the timeout. */
    boolean awaitFirstFrames(LiveLatency latency, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int s = 0; s < latency.sessions(); s++) {
                if (!latency.subscribed(s)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    long unreadable() {
        return unreadable.get();
    }

    /** Streams the server ended while the run still read them. */
    long ended() {
        return ended.get();
    }

    int open() {
        return readers.size();
    }

    @Override
    public void close() {
        closing = true;
        synchronized (bodies) {
            for (InputStream body : bodies) {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        for (Thread reader : readers) {
            reader.interrupt();
        }
        http.shutdownNow();
    }
}
