package io.livestage.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

/**
 * session-api: the session-service REST API under a create/get/list mix, plus session.started latency through the
 * outbox relay and Kafka, side by side with a loopback floor. See bench/README.md.
 */
public final class SessionApiBenchmark {
    private static final int POOL_CAPACITY = 10_000;
    private static final Duration EVENT_GRACE = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final int TOPIC_PARTITIONS = 6;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Settings settings;
    private String loadAtStart = "";
    private boolean embeddedPostgres;
    private int postgresPort;

    public SessionApiBenchmark(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        long runStart = System.nanoTime();
        loadAtStart = loadAverage();
        List<String> notes = new ArrayList<>();

        log("Kafka: starting or connecting");
        KafkaBroker kafka = KafkaBroker.shared();
        String kafkaOrigin = System.getenv(KafkaBroker.BOOTSTRAP_ENV) != null
                ? "external broker at " + kafka.bootstrapServers() + " (KAFKA_BOOTSTRAP_SERVERS)"
                : "in-JVM KRaft broker (Kafka test kit, the testing module's KafkaBroker) in the harness JVM";
        try {
            kafka.createTopic(Topics.SESSION, TOPIC_PARTITIONS);
        } catch (IllegalStateException e) {
            notes.add("Topic " + Topics.SESSION + " was used as it was: " + e.getMessage());
        }
        log("Kafka: " + kafka);

        log("PostgreSQL: starting or connecting");
        TestPostgres postgres = TestPostgres.shared();
        TestDatabase database = postgres.createDatabase("livestage_session_bench");
        embeddedPostgres = System.getenv(TestPostgres.URL_ENV) == null;
        postgresPort = URI.create(database.reactiveUrl()).getPort();
        String postgresOrigin = (embeddedPostgres ? "embedded server " : "external server ")
                + postgres + ", fresh database " + database.name();
        log("PostgreSQL: " + database);

        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= settings.hosts(); i++) {
            tokens.add(TestTokens.token(String.format("bench-host-%02d", i)));
        }

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        environment.put("QUARKUS_DATASOURCE_USERNAME", database.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        environment.put("QUARKUS_OIDC_PUBLIC_KEY", TestTokens.publicKeyBase64());
        environment.put("QUARKUS_OIDC_TOKEN_ISSUER", TestTokens.issuer());
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");

        Path logFile = settings.repoRoot().resolve("bench/target/session-api/session-service.log");
        log("session-service: starting " + settings.serviceJar());
        try (ServiceProcess service = ServiceProcess.start("session-service", settings.serviceJar(),
                settings.serviceJavaOpts(), environment, logFile)) {
            Duration ready = service.awaitReady(READY_TIMEOUT);
            log("session-service: ready on 127.0.0.1:" + service.port() + " after " + ready.toMillis() + " ms (pid "
                    + service.pid() + ", log " + logFile + ")");
            return drive(service, kafka.bootstrapServers(), tokens, notes, kafkaOrigin, postgresOrigin, runStart,
                    () -> analyze(postgres, database));
        }
    }

    private Report drive(ServiceProcess service, String bootstrap, List<String> tokens, List<String> notes,
            String kafkaOrigin, String postgresOrigin, long runStart, Runnable analyze) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        FloorServer floor = FloorServer.start(1);
        StartedEventProbe probe = new StartedEventProbe(bootstrap, Topics.SESSION,
                EventType.SESSION_STARTED.typeName(), settings.pollTimeout());
        try {
            HttpClient serviceClient = client(vertx, settings.connections());
            HttpClient floorClient = client(vertx, settings.connections());
            HttpClient lifecycleClient = client(vertx, LifecycleDriver.CONNECTIONS);
            SessionPool pool = new SessionPool(POOL_CAPACITY);
            SessionApiRequests requests = new SessionApiRequests(tokens, pool);
            ClosedLoop toService = new ClosedLoop(vertx, serviceClient, service.port(), requests, settings.mix(),
                    settings.requestTimeout(), (request, body) -> {
                        if (request.op() == Operation.CREATE) {
                            JsonObject created = body.toJsonObject();
                            pool.add(new SessionPool.Created(created.getString("id"), created.getString("slug")));
                        }
                    });
            ClosedLoop toFloor = new ClosedLoop(vertx, floorClient, floor.port(), requests, settings.mix(),
                    settings.requestTimeout(), null);

            log("seeding " + settings.seedSessions() + " sessions");
            ClosedLoop seeder = new ClosedLoop(vertx, serviceClient, service.port(), requests,
                    OperationMix.parse("create=1"), settings.requestTimeout(), (request, body) -> {
                        JsonObject created = body.toJsonObject();
                        pool.add(new SessionPool.Created(created.getString("id"), created.getString("slug")));
                    });
            ClosedLoop.Result seeded = await(seeder.run("seed", Math.min(8, settings.connections()), 1,
                    Duration.ofSeconds(60), settings.seedSessions()));
            if (pool.size() == 0) {
                throw new IllegalStateException("Could not create a single session (" + seeded.stats().get(Operation.CREATE)
                        .errorsByCause() + "); last lines of the service log:\n" + service.tail(40));
            }
            if (seeded.errors() > 0) {
                notes.add("Seeding: " + seeded.errors() + " of " + seeded.sent() + " creates failed "
                        + seeded.stats().get(Operation.CREATE).errorsByCause());
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
            CpuMeter cpu = new CpuMeter(service.handle(), embeddedPostgres ? CpuMeter.postmaster(postgresPort)
                    .orElse(null) : null);
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
            String relayLag = outboxLag(service.port());
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
                notes.add(String.format(java.util.Locale.ROOT, "Closed loop at saturation: by Little's law %d "
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
            return new Report(machine(), method, rounds, lines, events, errors, serviceRps, floorRps,
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

    private static Report.Machine machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                + System.getProperty("java.runtime.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit == null) {
            commit = "unknown";
        } else {
            String status = git("status", "--porcelain");
            if (status != null && !status.isBlank()) {
                commit += " (with uncommitted changes in the work tree)";
            }
        }
        String date = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return new Report.Machine(Runtime.getRuntime().availableProcessors(), cpu, jdk, os, commit, date);
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>();
            command.add("git");
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** p50/p99/p99.9 of livestage.outbox.lag from the service's Prometheus endpoint, or null. */
    private static String outboxLag(int port) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String quantiles = body.lines()
                    .filter(l -> l.startsWith("livestage_outbox_lag_seconds{") && l.contains("quantile="))
                    .map(l -> {
                        String q = l.substring(l.indexOf("quantile=\"") + 10);
                        q = q.substring(0, q.indexOf('"'));
                        double seconds = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                        return "p" + Report.trim(Double.parseDouble(q) * 100) + " " + Report.fixed(seconds * 1000) + " ms";
                    })
                    .collect(Collectors.joining(", "));
            return quantiles.isEmpty() ? null : quantiles;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * ANALYZE the service's database, as autovacuum does on a live one. A fresh database has no statistics until
     * autovacuum's first pass (autovacuum_naptime, 1 min), and plans made without them (generic plans of prepared
     * statements especially) can scan whole tables; a benchmark of a few minutes would measure that start-up state.
     */
    private static void analyze(TestPostgres postgres, TestDatabase database) {
        try (java.sql.Connection connection = postgres.open(database);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
        } catch (java.sql.SQLException e) {
            log("ANALYZE failed (measuring without fresh statistics): " + e.getMessage());
        }
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 1.20 0.80 0.50}, or empty off Linux. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static HttpClient client(Vertx vertx, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setConnectTimeout(5_000).setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    private static void merge(ClosedLoop.Result result, Map<Operation, Histogram> histograms,
            Map<Operation, long[]> counts, Map<String, Long> errors, String target) {
        result.stats().forEach((op, stats) -> {
            histograms.get(op).add(stats.histogram());
            counts.get(op)[0] += stats.errors();
            stats.errorsByCause().forEach((cause, n) -> errors.merge(target + " " + op.label() + " " + cause, n, Long::sum));
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

    private static String errorsOf(String prefix, Map<Operation, OpStats> stats) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        stats.forEach((op, s) -> s.errorsByCause().forEach((cause, n) -> byCause.put(prefix + op.label() + " " + cause, n)));
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

    private ClosedLoop.Result await(java.util.concurrent.CompletableFuture<ClosedLoop.Result> window) throws Exception {
        // The window ends by itself at its deadline; this bound only guards against a lost callback.
        return window.get(settings.budget().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String seconds(Duration d) {
        return Report.trim(d.toMillis() / 1000.0);
    }

    static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().format(CLOCK) + "] " + message);
    }
}
