package io.livestage.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntPredicate;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * Closed-loop load: {@code concurrency} request loops, each sending its next request as soon as the previous response
 * has been read, over a keep-alive pool of as many connections. Latency is the time from sending a request to reading
 * its whole response (no coordinated-omission correction: there is no schedule to fall behind of; the throughput is
 * what {@code concurrency} outstanding requests get). Stops at the deadline or after {@code maxRequests} requests,
 * whichever comes first, then waits for the requests in flight.
 */
public final class ClosedLoop {

    /** What one window measured; {@code stats} by operation label. */
    public record Result(String target, long sent, long ok, long errors, Duration elapsed, Map<String, OpStats> stats) {
        /** Successful responses (2xx, or what the loop was told counts) per second. */
        public double okPerSecond() {
            return elapsed.isZero() ? 0 : ok / (elapsed.toNanos() / 1e9);
        }

        /** The stats of one operation (empty ones when it never ran). */
        public OpStats stats(String op) {
            OpStats found = stats.get(op);
            return found != null ? found : new OpStats(op);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;
    private final LoadRequest.Source requests;
    private final Duration requestTimeout;
    /** Called on a successful response (request, body), e.g. to remember created sessions; may be null. */
    private final BiConsumer<LoadRequest, Buffer> onSuccess;
    /** Extra headers of a request (set over the defaults), e.g. Range or If-None-Match; may be null. */
    private final Function<LoadRequest, Map<String, String>> headers;
    /** The statuses that count as success: 2xx, unless given (a conditional GET's 304 is a success too). */
    private final IntPredicate success;

    public ClosedLoop(Vertx vertx, HttpClient client, int port, LoadRequest.Source requests, Duration requestTimeout,
            BiConsumer<LoadRequest, Buffer> onSuccess) {
        this(vertx, client, port, requests, requestTimeout, onSuccess, null, status -> status >= 200 && status < 300);
    }

    /** As above, with {@code headers} added to each request and {@code success} deciding which statuses count. */
    public ClosedLoop(Vertx vertx, HttpClient client, int port, LoadRequest.Source requests, Duration requestTimeout,
            BiConsumer<LoadRequest, Buffer> onSuccess, Function<LoadRequest, Map<String, String>> headers,
            IntPredicate success) {
        this.vertx = vertx;
        this.client = client;
        this.port = port;
        this.requests = requests;
        this.requestTimeout = requestTimeout;
        this.onSuccess = onSuccess;
        this.headers = headers;
        this.success = success;
    }

    /**
     * Runs one window. The loops are spread over {@code contexts} Vert.x event-loop contexts.
     */
    public CompletableFuture<Result> run(String target, int concurrency, int contexts, Duration duration,
            long maxRequests) {
        Map<String, OpStats> stats = new ConcurrentHashMap<>();
        Window window = new Window(target, stats, concurrency, System.nanoTime() + duration.toNanos(), maxRequests);
        for (int c = 0; c < contexts; c++) {
            Context context = vertx.getOrCreateContext();
            int loops = concurrency / contexts + (c < concurrency % contexts ? 1 : 0);
            context.runOnContext(ignored -> {
                for (int i = 0; i < loops; i++) {
                    window.next();
                }
            });
        }
        return window.done;
    }

    private final class Window {
        final String target;
        final Map<String, OpStats> stats;
        final long deadline;
        final long maxRequests;
        final long startNanos = System.nanoTime();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicInteger activeLoops;
        final CompletableFuture<Result> done = new CompletableFuture<>();

        Window(String target, Map<String, OpStats> stats, int loops, long deadline, long maxRequests) {
            this.target = target;
            this.stats = stats;
            this.deadline = deadline;
            this.maxRequests = maxRequests;
            this.activeLoops = new AtomicInteger(loops);
        }

        /** Sends this loop's next request, or ends the loop. Runs on the loop's event-loop context. */
        void next() {
            if (System.nanoTime() >= deadline || sent.incrementAndGet() > maxRequests) {
                if (activeLoops.decrementAndGet() == 0) {
                    long end = System.nanoTime();
                    done.complete(new Result(target, Math.min(sent.get(), maxRequests), ok.get(), errors.get(),
                            Duration.ofNanos(end - startNanos), new TreeMap<>(stats)));
                }
                return;
            }
            LoadRequest request;
            try {
                request = requests.next(ThreadLocalRandom.current());
            } catch (RuntimeException harnessBug) {
                // Never lose a loop (the window would not end): count it and go on.
                stats.computeIfAbsent("harness", OpStats::new).failure("harness:" + harnessBug.getClass().getSimpleName());
                errors.incrementAndGet();
                vertx.setTimer(10, t -> next());
                return;
            }
            RequestOptions options = request.options(port, requestTimeout);
            if (headers != null) {
                headers.apply(request).forEach(options::putHeader);
            }
            OpStats opStats = stats.computeIfAbsent(request.op(), OpStats::new);
            long start = System.nanoTime();
            client.request(options)
                    .compose(req -> request.body() == null ? req.send() : req.send(request.body()))
                    .compose(response -> response.body().map(body -> new Object[] { response.statusCode(), body }))
                    .onComplete(outcome -> {
                        long nanos = System.nanoTime() - start;
                        boolean failedHard = false;
                        if (outcome.succeeded()) {
                            int status = (Integer) outcome.result()[0];
                            Buffer body = (Buffer) outcome.result()[1];
                            if (success.test(status)) {
                                try {
                                    if (onSuccess != null) {
                                        onSuccess.accept(request, body);
                                    }
                                    opStats.success(nanos);
                                    ok.incrementAndGet();
                                } catch (RuntimeException unreadable) {
                                    opStats.failure("unreadable-body");
                                    errors.incrementAndGet();
                                }
                            } else {
                                opStats.failure(Integer.toString(status));
                                errors.incrementAndGet();
                            }
                        } else {
                            opStats.failure(cause(outcome.cause()));
                            errors.incrementAndGet();
                            failedHard = true;
                        }
                        if (failedHard) {
                            // A refused or broken connection fails at once: pace the loop instead of spinning.
                            vertx.setTimer(10, t -> next());
                        } else {
                            next();
                        }
                    });
        }
    }

    static String cause(Throwable failure) {
        if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        return "io:" + failure.getClass().getSimpleName();
    }
}
