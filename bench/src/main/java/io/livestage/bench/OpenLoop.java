package io.livestage.bench;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: requests at a constant arrival rate, request k of a window due at {@code start + k / rate} whatever
 * happened to the earlier ones (a slow response never delays the next send: coordinated omission avoided). Latency is
 * measured from the <em>intended</em> send time to the whole response read, so time a request spent waiting for a
 * free connection, or because the client itself fell behind its schedule, counts against the target as a user would
 * see it; the latency from the actual send is recorded too, and so is the send lag (actual − intended), which tells
 * whether the client kept to its schedule.
 * <p>
 * The schedule runs on Vert.x event-loop contexts (one per {@code contexts}, each taking every n-th request), woken by
 * Netty's scheduler at each due time (µs precision with the native epoll transport, about 1 ms with NIO); whatever is
 * due when it wakes is sent at once. Requests go over a keep-alive pool of {@code HttpClient} connections that grows
 * as concurrency needs (up to its maximum; beyond it requests wait in the pool's queue, and the wait counts). A window
 * ends when every scheduled request has completed, failed or timed out — or, on a target so far behind that more than
 * {@value #MAX_BACKLOG_SECONDS} s of requests are outstanding, when those have: the rest count as failures.
 */
public final class OpenLoop {

    /** What one window measured; {@code stats} from the intended send time, {@code fromSend} from the actual one. */
    public record Result(String target, long scheduled, long ok, long errors, long late, Duration elapsed,
            Map<String, OpStats> stats, Map<String, OpStats> fromSend, Histogram sendLag) {
        /** Successful (2xx) responses per second of the window. */
        public double okPerSecond() {
            return elapsed.isZero() ? 0 : ok / (elapsed.toNanos() / 1e9);
        }

        public OpStats stats(String op) {
            OpStats found = stats.get(op);
            return found != null ? found : new OpStats(op);
        }
    }

    /** A send more than this behind its due time counts as late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * When more requests than this many seconds' worth at the window's rate are outstanding (sent, not answered), the
     * target is saturated: the rest of the window is not sent but counted as failed ({@value #NOT_SENT}), so that a
     * window on a target that cannot keep up still ends in about its own length.
     */
    static final double MAX_BACKLOG_SECONDS = 2;
    static final String NOT_SENT = "not-sent:backlog";

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final LoadRequest.Source requests;
    private final Duration requestTimeout;

    public OpenLoop(Vertx vertx, HttpClient client, int port, LoadRequest.Source requests, Duration requestTimeout) {
        this.vertx = vertx;
        this.client = client;
        this.port = port;
        this.requests = requests;
        this.requestTimeout = requestTimeout;
    }

    /** Due time of request {@code k} of a window at {@code rate} per second starting at {@code startNanos}. */
    static long dueNanos(long startNanos, double rate, long k) {
        return startNanos + (long) (k * 1e9 / rate);
    }

    /** Runs one window of {@code count} requests at {@code rate} per second, spread over {@code contexts} loops. */
    public CompletableFuture<Result> run(String target, double rate, long count, int contexts) {
        Window window = new Window(target, rate, count);
        for (int c = 0; c < contexts; c++) {
            ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
            int lane = c;
            context.runOnContext(ignored -> new Lane(window, context, lane, contexts).tick());
        }
        return window.done;
    }

    private final class Window {
        final String target;
        final double rate;
        final long count;
        /** First due time, a little ahead so that every lane is ready. */
        final long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        final Map<String, OpStats> stats = new ConcurrentHashMap<>();
        final Map<String, OpStats> fromSend = new ConcurrentHashMap<>();
        final Recorder sendLag = new Recorder(OpStats.HIGHEST_MICROS, 3);
        final AtomicLong completed = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final long maxBacklog;
        volatile boolean saturated;
        final CompletableFuture<Result> done = new CompletableFuture<>();

        Window(String target, double rate, long count) {
            this.target = target;
            this.rate = rate;
            this.count = count;
            this.maxBacklog = Math.max(200, Math.round(rate * MAX_BACKLOG_SECONDS));
            if (count == 0) {
                finish();
            }
        }

        void completedOne() {
            if (completed.incrementAndGet() == count) {
                finish();
            }
        }

        private void finish() {
            long end = System.nanoTime();
            done.complete(new Result(target, count, ok.get(), errors.get(), late.get(),
                    Duration.ofNanos(Math.max(0, end - startNanos)), new TreeMap<>(stats), new TreeMap<>(fromSend),
                    sendLag.getIntervalHistogram()));
        }
    }

    /** One context's share of a window: requests lane, lane + lanes, lane + 2 lanes, … */
    private final class Lane {
        final Window window;
        final ContextInternal context;
        final int lanes;
        final RandomGenerator random = new SplittableRandom();
        long next;

        Lane(Window window, ContextInternal context, int lane, int lanes) {
            this.window = window;
            this.context = context;
            this.lanes = lanes;
            this.next = lane;
        }

        /** Sends whatever is due, then sleeps until the next due time. On the lane's event-loop thread. */
        void tick() {
            long now = System.nanoTime();
            while (next < window.count) {
                if (window.saturated || window.sent.get() - window.completed.get() > window.maxBacklog) {
                    window.saturated = true;
                    giveUp();
                    return;
                }
                long due = dueNanos(window.startNanos, window.rate, next);
                if (due > now) {
                    break;
                }
                send(due);
                next += lanes;
                now = System.nanoTime();
            }
            if (next < window.count) {
                long delay = dueNanos(window.startNanos, window.rate, next) - System.nanoTime();
                // Netty's own scheduler (not Vert.x's millisecond timers); emit() makes the context current again.
                context.nettyEventLoop().schedule(() -> context.emit(ignored -> tick()), Math.max(0, delay),
                        TimeUnit.NANOSECONDS);
            }
        }

        /** Counts this lane's remaining requests as not sent (the target is saturated). */
        void giveUp() {
            OpStats stats = window.stats.computeIfAbsent(NOT_SENT, OpStats::new);
            while (next < window.count) {
                stats.failure(NOT_SENT);
                window.errors.incrementAndGet();
                next += lanes;
                window.completedOne();
            }
        }

        void send(long due) {
            LoadRequest request;
            try {
                request = requests.next(random);
            } catch (RuntimeException harnessBug) {
                window.stats.computeIfAbsent("harness", OpStats::new).failure("harness:" + harnessBug.getClass().getSimpleName());
                window.errors.incrementAndGet();
                window.completedOne();
                return;
            }
            RequestOptions options = request.options(port, requestTimeout);
            OpStats opStats = window.stats.computeIfAbsent(request.op(), OpStats::new);
            OpStats sendStats = window.fromSend.computeIfAbsent(request.op(), OpStats::new);
            window.sent.incrementAndGet();
            long sent = System.nanoTime();
            long lag = sent - due;
            window.sendLag.recordValue(Math.min(OpStats.HIGHEST_MICROS, Math.max(0, lag / 1_000)));
            if (lag > LATE_NANOS) {
                window.late.incrementAndGet();
            }
            client.request(options)
                    .compose(req -> request.body() == null ? req.send() : req.send(request.body()))
                    .compose(response -> response.body().map(body -> new Object[] { response.statusCode(), body }))
                    .onComplete(outcome -> {
                        long end = System.nanoTime();
                        if (outcome.succeeded()) {
                            int status = (Integer) outcome.result()[0];
                            if (status >= 200 && status < 300) {
                                opStats.success(end - due);
                                sendStats.success(end - sent);
                                window.ok.incrementAndGet();
                            } else {
                                opStats.failure(Integer.toString(status));
                                window.errors.incrementAndGet();
                            }
                        } else {
                            opStats.failure(ClosedLoop.cause(outcome.cause()));
                            window.errors.incrementAndGet();
                        }
                        window.completedOne();
                    });
        }
    }
}
