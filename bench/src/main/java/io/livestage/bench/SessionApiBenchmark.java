package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * session-api: the session-service REST API under a create/get/list mix, plus session.started latency through the
 * outbox relay and Kafka, side by side with a loopback floor. See bench/README.md.
 */
public final class SessionApiBenchmark {
    private static final int POOL_CAPACITY = 10_000;
    private static final Duration EVENT_GRACE = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Settings settings;
    private String loadAtStart = "";

    public SessionApiBenchmark(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        long runStart = System.nanoTime();
        loadAtStart = loadAverage();
        List<String> notes = new ArrayList<>();

        Harness.Kafka kafka = Harness.kafka(notes);
        Harness.Postgres postgres = Harness.postgres();
        TestDatabase database = postgres.create("livestage_session_bench");
        String postgresOrigin = postgres.origin() + ", fresh database " + database.name();

        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= settings.hosts(); i++) {
            tokens.add(TestTokens.token(String.format("bench-host-%02d", i)));
        }

        Path logFile = settings.repoRoot().resolve("bench/target/session-api/session-service.log");
        log("session-service: starting " + settings.serviceJar());
        try (ServiceProcess service = ServiceProcess.builder("session-service")
                .jar(settings.serviceJar())
                .javaOptions(settings.serviceJavaOpts())
                .database(database)
                .kafka(kafka.bootstrapServers())
                .log(logFile)
                .readyTimeout(READY_TIMEOUT)
                .start()) {
            log("session-service: ready on 127.0.0.1:" + service.port() + " after " + service.startupTime().toMillis()
                    + " ms (pid " + service.pid() + ", log " + logFile + ")");
            return drive(service, kafka.bootstrapServers(), tokens, notes, kafka.origin(), postgresOrigin, runStart,
                    () -> postgres.analyze(database), postgres.postmaster(database));
        }
    }

    private Report drive(ServiceProcess service, String bootstrap, List<String> tokens, List<String> notes,
            String kafkaOrigin, String postgresOrigin, long runStart, Runnable analyze, ProcessHandle postmaster)
            throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        FloorServer floor = FloorServer.start(1);
        EventLatencyProbe probe = new EventLatencyProbe(bootstrap, Topics.SESSION,
                EventType.SESSION_STARTED.typeName(), settings.pollTimeout());
        try {
            HttpClient serviceClient = Harness.client(vertx, settings.connections());
            HttpClient floorClient = Harness.client(vertx, settings.connections());
            HttpClient lifecycleClient = Harness.client(vertx, LifecycleDriver.CONNECTIONS);
            SessionPool pool = new SessionPool(POOL_CAPACITY);
            SessionApiRequests requests = new SessionApiRequests(tokens, pool);
            ClosedLoop toService = new ClosedLoop(vertx, serviceClient, service.port(), requests.source(settings.mix()),
                    settings.requestTimeout(), (request, body) -> {
                        if (request.op().equals(Operation.CREATE.label())) {
                            JsonObject created = body.toJsonObject();
                            pool.add(new SessionPool.Created(created.getString("id"), created.getString("slug")));
                        }
                    });
            ClosedLoop toFloor = new ClosedLoop(vertx, floorClient, floor.port(), requests.source(settings.mix()),
                    settings.requestTimeout(), null);

            log("seeding " + settings.seedSessions() + " sessions");
            ClosedLoop seeder = new ClosedLoop(vertx, serviceClient, service.port(),
                    requests.source(OperationMix.parse("create=1")), settings.requestTimeout(), (request, body) -> {
                        JsonObject created = body.toJsonObject();
                        pool.add(new SessionPool.Created(created.getString("id"), created.getString("slug")));
                    });
            ClosedLoop.Result seeded = await(seeder.run("seed", Math.min(8, settings.connections()), 1,
                    Duration.ofSeconds(60), settings.seedSessions()));
            if (pool.size() == 0) {
                throw new IllegalStateException("Could not create a single session (" + seeded.stats(Operation.CREATE.label())
                        .errorsByCause() + "); last lines of the service log:\n" + service.tail(40));
            }
            if (seeded.errors() > 0) {
                notes.add("Seeding: " + seeded.errors() + " of " + seeded.sent() + " creates failed "
                        + seeded.stats(Operation.CREATE.label()).errorsByCause());
            }

            analyze.run();
            probe.awaitAssigned(Duration.ofSeconds(60));
            LifecycleDriver lifecycle = new LifecycleDriver(vertx, lifecycleClient, service.port(), tokens, requests,
                    probe, settings.requestTimeout().toMillis());

            Duration floorWarmup = settings.floorDuration().isZero() ? Duration.ZERO
                    : min(settings.warmup(), Duration.ofSeconds(5));
            if (!settings.warmup().isZero()) {
                log("warm-up: " + seconds(settings.warmup()) + " s against session-service");
                lifecycle.begin(settings.eventRate(), false);
                ClosedLoop.Result warm = await(toService.run("warm-up", settings.connections(),
                        settings.clientThreads(), settings.warmup(), settings.maxRequests()));
                lifecycle.end();
                log(String.format("warm-up: %.0f ok/s, %d errors", warm.okPerSecond(), warm.errors()));
                if (warm.errors() > 0) {
                    notes.add("Warm-up (not measured): " + warm.errors() + " errors " + errorsOf("", warm.stats()));
                }
            }
            if (!floorWarmup.isZero()) {
                log("warm-up: " + seconds(floorWarmup) + " s against the loopback floor");
                await(toFloor.run("warm-up floor", settings.connections(), settings.clientThreads(), floorWarmup,
                        settings.maxRequests()));
            }

            analyze.run();
            Map<Operation, Histogram> serviceHistograms = histograms();
            Map<Operation, long[]> serviceCounts = counts();
            Map<Operation, Histogram> floorHistograms = histograms();
            Map<Operation, long[]> floorCounts = counts();
            Map<String, Long> errors = new LinkedHashMap<>();
            List<Report.Round> rounds = new ArrayList<>();
            long serviceOk = 0;
            long floorOk = 0;
            long serviceNanos = 0;
            long floorNanos = 0;
            CpuMeter cpu = new CpuMeter(List.of(new CpuMeter.Part("session-service", service.handle())), postmaster);
            Duration serviceWindow = settings.duration().dividedBy(settings.rounds());
            Duration floorWindow = settings.floorDuration().dividedBy(settings.rounds());
            for (int round = 1; round <= settings.rounds(); round++) {
                log("round " + round + "/" + settings.rounds() + ": " + seconds(serviceWindow) + " s session-service");
                lifecycle.begin(settings.eventRate(), true);
                cpu.begin();
                ClosedLoop.Result s = await(toService.run("session-service", settings.connections(),
                        settings.clientThreads(), serviceWindow, settings.maxRequests()));
                cpu.end();
                lifecycle.end();
                merge(s, serviceHistograms, serviceCounts, errors, "session-service");
                serviceOk += s.ok();
                serviceNanos += s.elapsed().toNanos();
                double floorRps = 0;
                if (!floorWindow.isZero()) {
                    log("round " + round + "/" + settings.rounds() + ": " + seconds(floorWindow) + " s loopback floor");
                    ClosedLoop.Result f = await(toFloor.run("floor", settings.connections(), settings.clientThreads(),
                            floorWindow, settings.maxRequests()));
                    merge(f, floorHistograms, floorCounts, errors, "floor");
                    floorOk += f.ok();
                    floorNanos += f.elapsed().toNanos();
                    floorRps = f.okPerSecond();
                }
                log(String.format("round %d: session-service %.0f ok/s (%d errors), floor %.0f ok/s", round,
                        s.okPerSecond(), s.errors(), floorRps));
                rounds.add(new Report.Round(round, s.okPerSecond(), floorRps));
            }
            long waitUntil = System.nanoTime() + settings.requestTimeout().toNanos();
            while (lifecycle.outstanding() > 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(20);
            }
            long missing = probe.awaitOutstanding(EVENT_GRACE);
            String relayLag = Harness.outboxLag(Harness.metrics(service.port()));
            if (relayLag != null) {
                notes.add("Service-side outbox relay lag (commit → Kafka acknowledgement, livestage.outbox.lag over the "
                        + "whole run incl. warm-up, from /q/metrics): " + relayLag);
            }
            if (lifecycle.warmupErrors() > 0) {
                notes.add("Warm-up lifecycle (not measured): " + lifecycle.warmupErrors() + " errors");
            }
            if (probe.unexpected() > 0) {
                notes.add(probe.unexpected() + " session.started events were for sessions the harness did not time "
                        + "(started before the consumer, or a duplicate delivery).");
            }

            double serviceRps = serviceNanos == 0 ? 0 : serviceOk / (serviceNanos / 1e9);
            double floorRps = floorNanos == 0 ? 0 : floorOk / (floorNanos / 1e9);
            List<Report.Line> lines = new ArrayList<>();
            addLines(lines, "session-service", serviceHistograms, serviceCounts, serviceNanos);
            Histogram lifecycleCreate = lifecycle.createStats().histogram();
            Histogram start = lifecycle.startStats().histogram();
            double windowSeconds = serviceNanos / 1e9;
            lines.add(new Report.Line("session-service", "create (lifecycle)", lifecycleCreate.getTotalCount(),
                    lifecycle.createStats().errors(), lifecycleCreate.getTotalCount() / windowSeconds, lifecycleCreate));
            lines.add(new Report.Line("session-service", "start", start.getTotalCount(), lifecycle.startStats().errors(),
                    start.getTotalCount() / windowSeconds, start));
            lifecycle.createStats().errorsByCause().forEach((cause, n) -> errors.merge("session-service create (lifecycle) " + cause, n, Long::sum));
            lifecycle.startStats().errorsByCause().forEach((cause, n) -> errors.merge("session-service start " + cause, n, Long::sum));
            if (floorNanos > 0) {
                addLines(lines, "floor", floorHistograms, floorCounts, floorNanos);
            }
            Report.Events events = settings.eventRate() > 0
                    ? new Report.Events(probe.expected(), probe.received(), missing, lifecycle.skipped(),
                            probe.fromSend(), probe.fromResponse())
                    : null;
            if (serviceRps > 0) {
                double littleMs = settings.connections() / serviceRps * 1000;
                notes.add(String.format(Locale.ROOT, "Closed loop at saturation: by Little's law %d "
                        + "connections ÷ %.0f req/s = %.1f ms mean time in the system, so the service latencies above "
                        + "are mostly queueing; run with fewer --connections to see latency below saturation.",
                        settings.connections(), serviceRps, littleMs));
            }
            if (events != null && events.fromResponse().getTotalCount() > 0) {
                notes.add("The event path alone (/start 2xx → record polled: commit, outbox relay, Kafka, consumer) "
                        + "has p99 " + Report.fixed(events.fromResponse().getValueAtPercentile(99) / 1000.0)
                        + " ms; the rest of the end-to-end figure is the /start request waiting in the saturated "
                        + "service.");
            }
            List<String> method = method(kafkaOrigin, postgresOrigin, floorWarmup, (int) seeded.ok());
            notes.add("Whole run took " + seconds(Duration.ofNanos(System.nanoTime() - runStart)) + " s including "
                    + "start-up of Kafka, PostgreSQL and the service.");
            return new Report(Harness.machine(), method, rounds, lines, events, errors, serviceRps, floorRps,
                    serviceHistograms.get(Operation.CREATE), notes)
                    .withCpu(cpu.usage().orElse(null),
                            loadAtStart.isBlank() ? "" : loadAtStart + " before the run, " + loadAverage() + " after");
        } finally {
            probe.close();
            floor.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private List<String> method(String kafkaOrigin, String postgresOrigin, Duration floorWarmup, int seeded) {
        String vertxVersion = String.valueOf(Vertx.class.getPackage().getImplementationVersion());
        List<String> method = new ArrayList<>();
        method.add("Load: closed loop, " + settings.connections() + " connections (HTTP/1.1 keep-alive pool of a "
                + "Vert.x " + vertxVersion + " HttpClient on " + settings.clientThreads() + " event-loop thread(s)); "
                + "each connection sends its next request as soon as the previous response is read. Latency = request "
                + "sent → whole response read, recorded in HdrHistogram (µs, 3 digits). Closed loop: no schedule, so no "
                + "coordinated-omission correction; throughput is what " + settings.connections()
                + " outstanding requests get.");
        method.add("Mix: " + settings.mix().describe() + ". Every request carries the bearer RS256 JWT (TestTokens) of "
                + "one of " + settings.hosts() + " hosts at random. create = POST /api/sessions (PUBLIC, no schedule); "
                + "get-id / get-slug = GET /api/sessions/{id} / by-slug/{slug} of a random one of the last "
                + POOL_CAPACITY + " sessions the run created (" + seeded + " seeded before the warm-up); "
                + "list = GET /api/sessions?limit=20. Any non-2xx or missing response is an error.");
        method.add("Warm-up (not measured): " + seconds(settings.warmup()) + " s against session-service (mix and "
                + "create+start), then " + seconds(floorWarmup) + " s against the floor. The harness runs ANALYZE on "
                + "the service's database after the seed and after the warm-up, as autovacuum would on a live database "
                + "(a fresh one has no statistics for its first minute).");
        method.add("Measured: " + settings.rounds() + " rounds of " + seconds(settings.duration().dividedBy(settings.rounds()))
                + " s against session-service then " + seconds(settings.floorDuration().dividedBy(settings.rounds()))
                + " s against the floor (A B A B); at most " + settings.maxRequests() + " requests per window.");
        method.add("Floor (peer): a plain Vert.x HttpServer on 127.0.0.1 in the harness JVM (1 event loop) answering "
                + "every request with 200 and a fixed " + FloorServer.BODY.length() + "-byte session JSON, driven by the "
                + "same client, mix, tokens and connection count. Ratio = session-service ok/s ÷ floor ok/s.");
        method.add("Event latency: during the measured session-service windows, open loop at "
                + Report.trim(settings.eventRate()) + "/s on " + LifecycleDriver.CONNECTIONS + " connections of their own: "
                + "POST /api/sessions, then POST /api/sessions/{id}/start (at most " + LifecycleDriver.MAX_OUTSTANDING
                + " pairs in flight, one connection each, so nothing waits in the client); latency = /start sent → a KafkaConsumer in the "
                + "harness (every partition of " + Topics.SESSION + " assigned from its end before the warm-up, poll "
                + "timeout " + settings.pollTimeout().toMillis() + " ms) returns the record with ce_type "
                + EventType.SESSION_STARTED.typeName() + " and ce_subject = the id. Also shown: from the /start 2xx "
                + "response (commit) to the record (0 when the record came first). Events are awaited "
                + EVENT_GRACE.toSeconds() + " s after the last window; those that never come are errors.");
        method.add("Infrastructure, all on 127.0.0.1: Kafka " + kafkaOrigin + "; PostgreSQL " + postgresOrigin
                + "; session-service as a child process: java " + (settings.serviceJavaOpts().isBlank() ? ""
                        : settings.serviceJavaOpts() + " ")
                + "-jar session-service/target/quarkus-app/quarkus-run.jar (same JDK as the harness, default "
                + "configuration: reactive pool 20, outbox relay woken on commit). Client, floor server, probe "
                + "(and the in-JVM broker) share the harness JVM; everything shares the machine's cores.");
        return method;
    }

    private static String loadAverage() {
        return Harness.loadAverage();
    }

    private static void merge(ClosedLoop.Result result, Map<Operation, Histogram> histograms,
            Map<Operation, long[]> counts, Map<String, Long> errors, String target) {
        result.stats().forEach((label, stats) -> {
            Operation op = label.equals("harness") ? null : Operation.fromLabel(label);
            if (op != null) {
                histograms.get(op).add(stats.histogram());
                counts.get(op)[0] += stats.errors();
            }
            stats.errorsByCause().forEach((cause, n) -> errors.merge(target + " " + label + " " + cause, n, Long::sum));
        });
    }

    private void addLines(List<Report.Line> lines, String target, Map<Operation, Histogram> histograms,
            Map<Operation, long[]> counts, long nanos) {
        double seconds = nanos / 1e9;
        Histogram all = new Histogram(OpStats.HIGHEST_MICROS, 3);
        long allErrors = 0;
        for (Operation op : settings.mix().operations()) {
            Histogram h = histograms.get(op);
            all.add(h);
            allErrors += counts.get(op)[0];
            lines.add(new Report.Line(target, op.label(), h.getTotalCount(), counts.get(op)[0], h.getTotalCount() / seconds, h));
        }
        lines.add(new Report.Line(target, "all (mix)", all.getTotalCount(), allErrors, all.getTotalCount() / seconds, all));
    }

    private static String errorsOf(String prefix, Map<String, OpStats> stats) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        stats.forEach((op, s) -> s.errorsByCause().forEach((cause, n) -> byCause.put(prefix + op + " " + cause, n)));
        return byCause.toString();
    }

    private static Map<Operation, Histogram> histograms() {
        Map<Operation, Histogram> map = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            map.put(op, new Histogram(OpStats.HIGHEST_MICROS, 3));
        }
        return map;
    }

    private static Map<Operation, long[]> counts() {
        Map<Operation, long[]> map = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) {
            map.put(op, new long[1]);
        }
        return map;
    }

    private ClosedLoop.Result await(CompletableFuture<ClosedLoop.Result> window) throws Exception {
        // The window ends by itself at its deadline; this bound only guards against a lost callback.
        return Harness.await(window, settings.budget());
    }

    private static Duration min(Duration a, Duration b) {
        return Harness.min(a, b);
    }

    static String seconds(Duration d) {
        return Harness.seconds(d);
    }

    static void log(String message) {
        Harness.log(message);
    }
}
