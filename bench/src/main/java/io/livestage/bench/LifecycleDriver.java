package io.livestage.bench;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Creates and then starts sessions at a fixed rate (open loop, on a connection pool of its own), telling the
 * {@link EventLatencyProbe} when each {@code POST /start} is sent and answered. Ticks every 5 ms and sends as many as
 * the schedule says are due, but never more than {@link #MAX_OUTSTANDING} create+start pairs at once (a skipped one
 * is counted). The pool has {@link #CONNECTIONS} = {@link #MAX_OUTSTANDING} connections, so a request never waits
 * for a connection in the client: its latency is the service's.
 */
public final class LifecycleDriver {
    static final int MAX_OUTSTANDING = 64;
    static final int CONNECTIONS = MAX_OUTSTANDING;

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final List<String> tokens;
    private final SessionApiRequests bodies;
    private final EventLatencyProbe probe;
    private final long requestTimeoutMillis;
    private final OpStats create = new OpStats("lifecycle create");
    private final OpStats start = new OpStats("start");
    private final OpStats warmupCreate = new OpStats("warm-up lifecycle create");
    private final OpStats warmupStart = new OpStats("warm-up start");
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean measured;
    private long timer = -1;
    private long fired;
    private long startedAtNanos;
    private double rate;

    public LifecycleDriver(Vertx vertx, HttpClient client, int port, List<String> tokens, SessionApiRequests bodies,
            EventLatencyProbe probe, long requestTimeoutMillis) {
        this.vertx = vertx;
        this.client = client;
        this.port = port;
        this.tokens = List.copyOf(tokens);
        this.bodies = bodies;
        this.probe = probe;
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    /**
     * Starts (or restarts) sending at {@code perSecond}; a no-op at 0. Stats and the probe count only the sessions
     * sent while {@code measured}.
     */
    public synchronized void begin(double perSecond, boolean measured) {
        if (perSecond <= 0) {
            return;
        }
        this.measured = measured;
        rate = perSecond;
        fired = 0;
        startedAtNanos = System.nanoTime();
        if (timer < 0) {
            timer = vertx.setPeriodic(5, id -> tick());
        }
    }

    /** Stops sending; requests in flight finish on their own. */
    public synchronized void end() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    public OpStats createStats() {
        return create;
    }

    public OpStats startStats() {
        return start;
    }

    /** Failures during the warm-up (not reported as measured errors, but shown if any). */
    public long warmupErrors() {
        return warmupCreate.errors() + warmupStart.errors();
    }

    public long skipped() {
        return skipped.get();
    }

    public int outstanding() {
        return outstanding.get();
    }

    private synchronized void tick() {
        if (timer < 0) {
            return;
        }
        long due = (long) ((System.nanoTime() - startedAtNanos) / 1e9 * rate);
        while (fired < due) {
            fired++;
            if (outstanding.get() >= MAX_OUTSTANDING) {
                if (measured) {
                    skipped.incrementAndGet();
                }
                continue;
            }
            outstanding.incrementAndGet();
            createThenStart();
        }
    }

    private void createThenStart() {
        String bearer = tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
        boolean measuring = measured;
        long createSent = System.nanoTime();
        send(HttpMethod.POST, "/api/sessions", bearer, bodies.createBody()).onComplete(created -> {
            long createNanos = System.nanoTime() - createSent;
            OpStats createStats = measuring ? create : warmupCreate;
            OpStats startStats = measuring ? start : warmupStart;
            if (created.failed()) {
                createStats.failure(ClosedLoop.cause(created.cause()));
                outstanding.decrementAndGet();
                return;
            }
            if (created.result().status != 201) {
                createStats.failure(Integer.toString(created.result().status));
                outstanding.decrementAndGet();
                return;
            }
            createStats.success(createNanos);
            String id;
            try {
                id = new JsonObject(created.result().body).getString("id");
            } catch (RuntimeException unreadable) {
                outstanding.decrementAndGet();
                return;
            }
            long startSent = System.nanoTime();
            probe.expect(id, startSent, measuring);
            send(HttpMethod.POST, "/api/sessions/" + id + "/start", bearer, null).onComplete(started -> {
                long now = System.nanoTime();
                outstanding.decrementAndGet();
                if (started.succeeded() && started.result().status / 100 == 2) {
                    startStats.success(now - startSent);
                    probe.responded(id, now);
                } else {
                    startStats.failure(started.succeeded() ? Integer.toString(started.result().status)
                            : ClosedLoop.cause(started.cause()));
                    probe.forget(id);
                }
            });
        });
    }

    private record Response(int status, Buffer body) {
    }

    private Future<Response> send(HttpMethod method, String uri, String bearer, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
                .setIdleTimeout(requestTimeoutMillis)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(), b)));
    }
}
