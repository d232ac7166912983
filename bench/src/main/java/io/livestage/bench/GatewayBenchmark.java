package io.livestage.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.HdrHistogram.Histogram;

import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * gateway: the overhead of the gateway — the same request straight to session-service and through the gateway, in one
 * run, A B A B: at a fixed open-loop rate (latency added) and in a closed loop (throughput through the gateway ÷
 * direct), plus the loopback floor straight and through a plain vertx-http-proxy hop. See bench/README.md.
 */
public final class GatewayBenchmark {
    static final String DIRECT = "direct";
    static final String GATEWAY = "gateway";
    /** A second gateway with {@code --variant-env} on top of the first one's environment (only when given). */
    static final String VARIANT = "variant";
    static final String FLOOR = "floor";
    static final String HOP = "floor via proxy hop";
    /** GET /api/sessions/{id} with a bearer token: verified at the gateway (cached) and at the service. */
    static final String GET = "get";
    /** GET /api/sessions/{id} without a token (a public session): no token checks at all. */
    static final String GET_ANON = "get-anon";
    static final String OPEN = "open";
    static final String CLOSED = "closed";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** TOKEN_SERVICE_URL / CHAT_SERVICE_URL of the gateway under test: not running here, never routed to. */
    private static final String UNUSED_UPSTREAM = "http://127.0.0.1:9";

    private final GatewaySettings settings;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private final List<GatewayReport.Line> lines = new ArrayList<>();
    private final Map<String, CpuMeter> meters = new LinkedHashMap<>();
    private final Map<String, Double> rps = new LinkedHashMap<>();
    private final Map<String, Histogram> sendLag = new LinkedHashMap<>();
    private final Map<String, Long> late = new LinkedHashMap<>();
    private final OtherProcesses others = new OtherProcesses();
    private final List<Double> loadDuring = new ArrayList<>();
    private Duration warmupTook = Duration.ZERO;
    private long warmupThroughGateway;
    private Duration hopWarmupTook = Duration.ZERO;
    private long hopWarmupRequests;

    public GatewayBenchmark(GatewaySettings settings) {
        this.settings = settings;
    }

    public GatewayReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        Path logs = settings.stack().repoRoot().resolve("bench/target/gateway");
        Files.createDirectories(logs);

        Harness.Kafka kafka = Harness.kafka(notes);
        Harness.Postgres postgres = Harness.postgres();
        TestDatabase database = postgres.create("livestage_gateway_bench_session");
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= settings.users(); i++) {
            tokens.add(TestTokens.token(String.format("bench-user-%03d", i)));
        }

        log("session-service: starting " + settings.stack().sessionJar());
        try (ServiceProcess session = ServiceProcess.builder("session-service").jar(settings.stack().sessionJar())
                .javaOptions(settings.stack().serviceJavaOpts()).database(database).kafka(kafka.bootstrapServers())
                .log(logs.resolve("session-service.log")).readyTimeout(READY_TIMEOUT).start()) {
            log("session-service: ready on " + session.url() + " after " + session.startupTime().toMillis() + " ms (pid "
                    + session.pid() + ")");
            log("gateway: starting " + settings.gatewayJar() + (settings.gatewayEnv().isEmpty() ? ""
                    : " with " + settings.gatewayEnv()));
            try (ServiceProcess gateway = ServiceProcess.builder("gateway").jar(settings.gatewayJar())
                    .javaOptions(settings.gatewayJavaOpts()).database(database).kafka(kafka.bootstrapServers())
                    .env("SESSION_SERVICE_URL", session.url())
                    .env("TOKEN_SERVICE_URL", UNUSED_UPSTREAM).env("CHAT_SERVICE_URL", UNUSED_UPSTREAM)
                    .env(settings.gatewayEnv())
                    .log(logs.resolve("gateway.log")).readyTimeout(READY_TIMEOUT).start()) {
                log("gateway: ready on " + gateway.url() + " after " + gateway.startupTime().toMillis() + " ms (pid "
                        + gateway.pid() + ")");
                ServiceProcess variant = null;
                try {
                    if (!settings.variantEnv().isEmpty()) {
                        log("variant gateway: starting with " + settings.variantEnv() + " on top");
                        variant = ServiceProcess.builder("gateway").jar(settings.gatewayJar())
                                .javaOptions(settings.gatewayJavaOpts()).database(database)
                                .kafka(kafka.bootstrapServers()).env("SESSION_SERVICE_URL", session.url())
                                .env("TOKEN_SERVICE_URL", UNUSED_UPSTREAM).env("CHAT_SERVICE_URL", UNUSED_UPSTREAM)
                                .env(settings.gatewayEnv()).env(settings.variantEnv())
                                .log(logs.resolve("gateway-variant.log")).readyTimeout(READY_TIMEOUT).start();
                        log("variant gateway: ready on " + variant.url() + " (pid " + variant.pid() + ")");
                    }
                    GatewayReport report = drive(session, gateway, variant, tokens, logs, kafka, postgres, database,
                            runStart);
                    return report.withLoad(loadAtStart, Harness.loadAverage());
                } finally {
                    if (variant != null) {
                        variant.close();
                    }
                }
            }
        }
    }

    private GatewayReport drive(ServiceProcess session, ServiceProcess gateway, ServiceProcess variant,
            List<String> tokens, Path logs,
            Harness.Kafka kafka, Harness.Postgres postgres, TestDatabase database, long runStart) throws Exception {
        Http http = new Http(settings.requestTimeout());
        List<String> ids = new ArrayList<>();
        log("seeding " + settings.sessions() + " PUBLIC sessions");
        for (int i = 0; i < settings.sessions(); i++) {
            String host = tokens.get(i % tokens.size());
            ids.add(http.postOk(session.port(), "/api/sessions", host, "{\"title\":\"Gateway bench " + i
                    + "\",\"kind\":\"" + (i % 2 == 0 ? "AUDIO" : "VIDEO") + "\",\"visibility\":\"PUBLIC\"}",
                    "creating a session").getString("id"));
        }
        postgres.analyze(database);
        check(gateway, ids.getFirst(), tokens.getFirst());
        if (variant != null) {
            check(variant, ids.getFirst(), tokens.getFirst());
        }
        List<String> targets = variant == null ? List.of(DIRECT, GATEWAY) : List.of(DIRECT, GATEWAY, VARIANT);

        Requests requests = new Requests(ids, tokens, settings.anonymousShare());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2).setPreferNativeTransport(true));
        String transport = vertx.isNativeTransportEnabled() ? "Netty native epoll"
                : "Java NIO (native epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")";
        ProcessHandle postmaster = postgres.postmaster(database);
        List<CpuMeter.Part> serviceParts = new ArrayList<>(List.of(new CpuMeter.Part("gateway", gateway.handle()),
                new CpuMeter.Part("session-service", session.handle())));
        if (variant != null) {
            serviceParts.add(new CpuMeter.Part("variant gateway", variant.handle()));
        }
        FloorServer floor = null;
        ProxyHop.Process hop = null;
        JfrSummary.Profile profile = null;
        try {
            if (settings.floor() && !settings.floorDuration().isZero()) {
                // Started now (idle until the floor part), so that the run does not wait for a JVM later.
                floor = FloorServer.start(1);
                hop = ProxyHop.Process.start(floor.port(), logs.resolve("proxy-hop.log"), settings.hopMode());
                log("floor on 127.0.0.1:" + floor.port() + ", proxy hop on 127.0.0.1:" + hop.port + " (pid "
                        + hop.handle().pid() + ")");
            }
            Map<String, OpenLoop> open = new LinkedHashMap<>();
            Map<String, ClosedLoop> closed = new LinkedHashMap<>();
            open.put(DIRECT, new OpenLoop(vertx, Harness.client(vertx, settings.openConnections()), session.port(),
                    requests, settings.requestTimeout()));
            open.put(GATEWAY, new OpenLoop(vertx, Harness.client(vertx, settings.openConnections()), gateway.port(),
                    requests, settings.requestTimeout()));
            closed.put(DIRECT, new ClosedLoop(vertx, Harness.client(vertx, settings.connections()), session.port(),
                    requests, settings.requestTimeout(), null));
            closed.put(GATEWAY, new ClosedLoop(vertx, Harness.client(vertx, settings.connections()), gateway.port(),
                    requests, settings.requestTimeout(), null));
            if (variant != null) {
                open.put(VARIANT, new OpenLoop(vertx, Harness.client(vertx, settings.openConnections()),
                        variant.port(), requests, settings.requestTimeout()));
                closed.put(VARIANT, new ClosedLoop(vertx, Harness.client(vertx, settings.connections()),
                        variant.port(), requests, settings.requestTimeout(), null));
            }

            // Warm-up: closed loop, alternating 5 s windows, two thirds through the gateway (which runs the service too).
            if (!settings.warmup().isZero()) {
                log("warm-up: " + seconds(settings.warmup()) + " s, closed loop, " + settings.connections()
                        + " connections, gateway and direct in turn");
                long begin = System.nanoTime();
                long end = begin + settings.warmup().toNanos();
                long cap = begin + settings.warmupCap().toNanos();
                long throughGateway = 0;
                long throughVariant = variant == null ? Long.MAX_VALUE : 0;
                // gateway, gateway, direct (…, variant, variant, direct): through a gateway warms the service too
                List<String> cycle = variant == null ? List.of(GATEWAY, GATEWAY, DIRECT)
                        : List.of(GATEWAY, VARIANT, GATEWAY, VARIANT, DIRECT);
                int step = 0;
                while (System.nanoTime() < end
                        || (Math.min(throughGateway, throughVariant) < settings.warmupRequests()
                                && System.nanoTime() < cap)) {
                    Duration left = Duration.ofNanos(Math.max(end, cap) - System.nanoTime());
                    Duration slice = Harness.min(Duration.ofSeconds(5), left);
                    String target = cycle.get(step++ % cycle.size());
                    ClosedLoop.Result warm = await(closed.get(target).run("warm-up " + target, settings.connections(),
                            settings.clientThreads(), slice, settings.maxRequests()));
                    if (target.equals(GATEWAY)) {
                        throughGateway += warm.ok();
                    } else if (target.equals(VARIANT)) {
                        throughVariant += warm.ok();
                    }
                    log(String.format("warm-up %s: %.0f ok/s, %d errors", target, warm.okPerSecond(), warm.errors()));
                    if (warm.errors() > 0) {
                        notes.add("Warm-up (not measured) against " + target + ": " + warm.errors() + " errors "
                                + causes(warm.stats()));
                    }
                }
                warmupTook = Duration.ofNanos(System.nanoTime() - begin);
                warmupThroughGateway = throughGateway;
                if (throughGateway < settings.warmupRequests()) {
                    notes.add("The warm-up reached its cap of " + seconds(settings.warmupCap()) + " s with only "
                            + throughGateway + " of " + settings.warmupRequests() + " requests through the gateway: the "
                            + "JIT may not be done (see the compiler threads below).");
                }
                // A short open-loop pass at the measured rate, so that the open-loop pools have their connections.
                for (String target : targets) {
                    await(open.get(target).run("warm-up " + target, settings.rate(),
                            settings.openRequests(Duration.ofSeconds(2)), settings.clientThreads()));
                }
            }
            postgres.analyze(database);

            Path jfr = logs.resolve("gateway.jfr");
            boolean profiling = settings.profile() && JfrSummary.start(gateway.pid(), jfr, notes);
            if (profiling) {
                log("profiling the gateway with JFR (settings=profile) into " + jfr);
            }
            for (String phase : List.of(OPEN, CLOSED)) {
                Duration window = phase.equals(OPEN) ? settings.openWindow() : settings.closedWindow();
                if (window.isZero()) {
                    continue;
                }
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (String target : targets) {
                        CpuMeter meter = meters.computeIfAbsent(phase + " " + target,
                                k -> new CpuMeter(serviceParts, postmaster));
                        measure(phase, target, round, window, meter, open.get(target), closed.get(target));
                    }
                }
            }
            if (profiling && JfrSummary.stop(gateway.pid(), notes)) {
                profile = JfrSummary.read(jfr, 25);
                log("JFR: " + profile.samples() + " execution samples of the gateway");
            }
            String gatewayMetrics = Harness.metrics(gateway.port());
            double limited = Harness.sample(gatewayMetrics, "livestage_gateway_ratelimit_rejected_total");
            if (limited > 0) {
                notes.add("The gateway's rate limiter refused " + Math.round(limited) + " requests (429): raise "
                        + "--gateway-quota or turn it off with --gateway-env=LIVESTAGE_GATEWAY_RATE_LIMIT_ENABLED=false.");
            }

            if (hop != null) {
                List<CpuMeter.Part> floorParts = new ArrayList<>(List.of(new CpuMeter.Part("proxy hop", hop.handle())));
                floorParts.addAll(serviceParts);
                Map<String, OpenLoop> floorOpen = Map.of(
                        FLOOR, new OpenLoop(vertx, Harness.client(vertx, settings.openConnections()), floor.port(),
                                requests, settings.requestTimeout()),
                        HOP, new OpenLoop(vertx, Harness.client(vertx, settings.openConnections()), hop.port,
                                requests, settings.requestTimeout()));
                Map<String, ClosedLoop> floorClosed = Map.of(
                        FLOOR, new ClosedLoop(vertx, Harness.client(vertx, settings.connections()), floor.port(),
                                requests, settings.requestTimeout(), null),
                        HOP, new ClosedLoop(vertx, Harness.client(vertx, settings.connections()), hop.port,
                                requests, settings.requestTimeout(), null));
                // The hop is a fresh JVM: on 2 busy cores its C2 needs ~20-30 s of load before its CPU per request
                // settles (a plain hop: ~100 µs per request warm, several times that cold).
                log("warm-up: " + seconds(settings.floorWarmup()) + " s (and " + settings.floorWarmupRequests()
                        + " requests, at most " + seconds(settings.floorWarmupCap()) + " s) through the proxy hop, 2 s "
                        + "against the floor");
                long hopBegin = System.nanoTime();
                long hopEnd = hopBegin + settings.floorWarmup().toNanos();
                long hopCap = hopBegin + settings.floorWarmupCap().toNanos();
                while (System.nanoTime() < hopEnd
                        || (hopWarmupRequests < settings.floorWarmupRequests() && System.nanoTime() < hopCap)) {
                    Duration slice = Harness.min(Duration.ofSeconds(5),
                            Duration.ofNanos(Math.max(hopEnd, hopCap) - System.nanoTime()));
                    ClosedLoop.Result hopWarm = await(floorClosed.get(HOP).run("warm-up " + HOP,
                            settings.connections(), settings.clientThreads(), slice, settings.maxRequests()));
                    hopWarmupRequests += hopWarm.ok();
                    log(String.format("warm-up %s: %.0f ok/s", HOP, hopWarm.okPerSecond()));
                }
                hopWarmupTook = Duration.ofNanos(System.nanoTime() - hopBegin);
                await(floorClosed.get(FLOOR).run("warm-up " + FLOOR, settings.connections(),
                        settings.clientThreads(), Duration.ofSeconds(2), settings.maxRequests()));
                for (String target : List.of(HOP, FLOOR)) {
                    await(floorOpen.get(target).run("warm-up " + target, settings.rate(),
                            settings.openRequests(Duration.ofSeconds(1)), settings.clientThreads()));
                }
                for (String phase : List.of(OPEN, CLOSED)) {
                    for (String target : List.of(FLOOR, HOP)) {
                        CpuMeter meter = meters.computeIfAbsent(phase + " " + target,
                                k -> new CpuMeter(floorParts, postmaster));
                        measure(phase, target, 1, settings.floorDuration(), meter, floorOpen.get(target),
                                floorClosed.get(target));
                    }
                }
            }

            String relay = Harness.outboxLag(Harness.metrics(session.port()));
            if (relay != null) {
                notes.add("session-service's outbox relay (idle here: the benchmark only reads) lag: " + relay);
            }
            notes.add("Whole run took " + seconds(Duration.ofNanos(System.nanoTime() - runStart)) + " s including "
                    + "start-up of Kafka, PostgreSQL, session-service and the gateway.");
            Map<String, CpuMeter.Usage> cpu = new LinkedHashMap<>();
            meters.forEach((key, meter) -> meter.usage().ifPresent(u -> cpu.put(key, u)));
            return new GatewayReport(Harness.machine(), settings, method(session, gateway, variant, kafka, postgres, database,
                    transport), lines, rps, cpu, sendLag, late, errors, notes, others.top(8), loadDuring, profile);
        } finally {
            if (hop != null) {
                hop.close();
            }
            if (floor != null) {
                floor.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One measured window of one target; its figures go to {@link #lines}, {@link #rps} and the CPU meter. */
    private void measure(String phase, String target, int round, Duration window, CpuMeter meter, OpenLoop open,
            ClosedLoop closed) throws Exception {
        String key = phase + " " + target;
        meter.begin();
        others.begin();
        if (phase.equals(OPEN)) {
            long count = settings.openRequests(window);
            log(String.format("%s loop, round %d: %s, %d requests at %s/s", phase, round, target, count,
                    Report.trim(settings.rate())));
            OpenLoop.Result r = await(open.run(target, settings.rate(), count, settings.clientThreads()));
            others.end();
            meter.end();
            r.stats().forEach((op, stats) -> lines.add(new GatewayReport.Line(phase, target, op, round,
                    stats.histogram().getTotalCount(), stats.errors(), r.elapsed(), stats.histogram())));
            r.fromSend().forEach((op, stats) -> lines.add(new GatewayReport.Line(phase + "-from-send", target, op, round,
                    stats.histogram().getTotalCount(), 0, r.elapsed(), stats.histogram())));
            collectErrors(key, r.stats());
            rps.merge(key + " " + round, r.okPerSecond(), Double::sum);
            sendLag.computeIfAbsent(target, t -> new Histogram(OpStats.HIGHEST_MICROS, 3)).add(r.sendLag());
            late.merge(target, r.late(), Long::sum);
            log(String.format("  %.0f ok/s, %d errors, p99 %s ms, %d sends > 1 ms late", r.okPerSecond(), r.errors(),
                    Report.ms(merged(r.stats()), 99), r.late()));
        } else {
            log(String.format("%s loop, round %d: %s, %s s on %d connections", phase, round, target, seconds(window),
                    settings.connections()));
            ClosedLoop.Result r = await(closed.run(target, settings.connections(), settings.clientThreads(), window,
                    settings.maxRequests()));
            others.end();
            meter.end();
            r.stats().forEach((op, stats) -> lines.add(new GatewayReport.Line(phase, target, op, round,
                    stats.histogram().getTotalCount(), stats.errors(), r.elapsed(), stats.histogram())));
            collectErrors(key, r.stats());
            rps.merge(key + " " + round, r.okPerSecond(), Double::sum);
            log(String.format("  %.0f ok/s, %d errors, p99 %s ms", r.okPerSecond(), r.errors(),
                    Report.ms(merged(r.stats()), 99)));
        }
        String load = Harness.loadAverage();
        if (!load.isBlank()) {
            loadDuring.add(Double.parseDouble(load.split(" ")[0]));
        }
    }

    private static Histogram merged(Map<String, OpStats> stats) {
        Histogram all = new Histogram(OpStats.HIGHEST_MICROS, 3);
        stats.values().forEach(s -> all.add(s.histogram()));
        return all;
    }

    private void collectErrors(String where, Map<String, OpStats> stats) {
        stats.forEach((op, s) -> s.errorsByCause().forEach((cause, n) -> errors.merge(
                where + (op.equals(cause) ? "" : " " + op) + " " + cause, n, Long::sum)));
    }

    /** Fails early, with the reason, when the gateway does not answer the benchmark's requests as it should. */
    private void check(ServiceProcess gateway, String id, String token) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (String bearer : new String[] { token, null }) {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create(gateway.url() + "/api/sessions/" + id)).timeout(Duration.ofSeconds(10));
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().contains(id)) {
                throw new IllegalStateException("GET /api/sessions/" + id + " through the gateway "
                        + (bearer == null ? "without a token" : "with a bearer token") + " answered "
                        + response.statusCode() + " " + response.body() + (response.statusCode() == 429
                                ? " (rate limited: raise --gateway-quota or set --gateway-env=LIVESTAGE_GATEWAY_RATE_LIMIT_ENABLED=false)"
                                : "") + "; gateway log tail:\n" + gateway.tail(30));
            }
            if (response.headers().firstValue("X-Request-Id").isEmpty()) {
                notes.add("The gateway's answer had no X-Request-Id header.");
            }
        }
    }

    private List<String> method(ServiceProcess session, ServiceProcess gateway, ServiceProcess variant,
            Harness.Kafka kafka,
            Harness.Postgres postgres, TestDatabase database, String transport) {
        String vertxVersion = String.valueOf(Vertx.class.getPackage().getImplementationVersion());
        List<String> method = new ArrayList<>();
        method.add("Request: `GET /api/sessions/{id}` of one of " + settings.sessions() + " PUBLIC sessions (seeded "
                + "before the warm-up) at random. `" + GET + "`: with the bearer RS256 JWT (TestTokens) of one of "
                + settings.users() + " users at random — verified at the gateway's edge (quarkus-oidc, then remembered "
                + "for 60 s, so in steady state a cache hit) and again by session-service; `" + GET_ANON + "` ("
                + Report.percent(settings.anonymousShare()) + " of requests): no token, nothing verified anywhere. "
                + "session-service answers from PostgreSQL (one SELECT by primary key). Only 2xx responses enter the "
                + "histograms; anything else is an error.");
        method.add("Targets, same client and request stream: **direct** = session-service's port; **gateway** = the "
                + "gateway's port, which routes `/api/sessions/**` to that session-service (request id, X-Forwarded-*, "
                + "edge token check, vertx-http-proxy; upstream pool " + "200 keep-alive connections).");
        if (variant != null) {
            method.add("**variant** = a second gateway process, the same jar and environment plus "
                    + settings.variantEnv() + ", measured in turn with the other two (direct, gateway, variant, A B C "
                    + "A B C), so a configuration change is compared in the same run.");
        }
        method.add("Warm-up (not measured): closed loop on " + settings.connections() + " connections in 5 s slices, "
                + "gateway, gateway, direct, … (a request through the gateway warms the service too) for at least "
                + seconds(settings.warmup()) + " s and " + settings.warmupRequests() + " requests through the gateway "
                + "(at most " + seconds(settings.warmupCap()) + " s): this run took " + seconds(warmupTook) + " s, "
                + warmupThroughGateway + " requests through the gateway; then 2 s of the open loop against each.");
        method.add("Open loop (latency added): " + Report.trim(settings.rate()) + " requests/s constant arrival rate "
                + "against each target, " + settings.rounds() + " rounds of " + seconds(settings.openWindow())
                + " s direct then " + seconds(settings.openWindow()) + " s gateway (A B A B). Request k of a window is "
                + "due at start + k ÷ rate whatever happened to the others; latency = due time → whole response "
                + "read (so waiting for a connection, or a client that fell behind, counts: no coordinated "
                + "omission). Up to " + settings.openConnections() + " keep-alive connections per target, opened as "
                + "concurrency needs; a target more than " + Report.trim(OpenLoop.MAX_BACKLOG_SECONDS) + " s of "
                + "requests behind is saturated, and the rest of its window is not sent but counted as errors ("
                + OpenLoop.NOT_SENT + "). Client: Vert.x " + vertxVersion + " HttpClient on " + settings.clientThreads()
                + " event loop(s), " + transport + ", woken by Netty's scheduler at each due time.");
        method.add("Closed loop (throughput): " + settings.connections() + " connections, each sending its next "
                + "request when the previous response is read, " + settings.rounds() + " rounds of "
                + seconds(settings.closedWindow()) + " s direct then gateway. Throughput ratio = gateway ok/s ÷ "
                + "direct ok/s over all rounds.");
        if (settings.floor() && !settings.floorDuration().isZero()) {
            method.add("Floor (peers, after the rounds): the harness's plain Vert.x HttpServer (1 event loop, a fixed "
                    + FloorServer.BODY.length() + "-byte JSON) straight, and through a plain proxy hop — "
                    + "`ProxyHop`, its own JVM: vertx-http-proxy with the gateway's client settings ("
                    + (settings.hopMode().startsWith("shared") ? "one upstream client shared by all event loops, as the gateway"
                            : "one upstream client per event loop, unlike the gateway")
                    + (settings.hopMode().endsWith("+epoll") ? "; Netty native epoll, unlike the gateway's NIO" : "; Java NIO, as the gateway")
                    + ") and nothing else "
                    + "(no Quarkus, router, token check, request id, CORS, metrics), started before the warm-up. Warm-up: "
                    + "closed loop through the hop (a fresh JVM) for at least " + seconds(settings.floorWarmup())
                    + " s and " + settings.floorWarmupRequests() + " requests (this run: " + seconds(hopWarmupTook)
                    + " s, " + hopWarmupRequests + " requests), 2 s against the floor, 1 s open loop each, then " + seconds(settings.floorDuration()) + " s each open loop at the same rate and "
                    + seconds(settings.floorDuration()) + " s each closed loop. They tell what the client and "
                    + "loopback cost, and what one proxy hop costs on this machine, apart from the gateway.");
        }
        method.add("Processes, all on 127.0.0.1: session-service (java " + blankOr(settings.stack().serviceJavaOpts())
                + "-jar session-service/target/quarkus-app/quarkus-run.jar, pid " + session.pid() + ") and the gateway "
                + "(java " + blankOr(settings.gatewayJavaOpts()) + "-jar gateway/target/quarkus-app/quarkus-run.jar, pid "
                + gateway.pid() + ") as child processes on the harness's JDK with JVM defaults (C2); gateway extra "
                + "environment: " + (settings.gatewayEnv().isEmpty() ? "none" : settings.gatewayEnv()) + "; Kafka "
                + kafka.origin() + "; PostgreSQL " + postgres.origin() + ", database " + database.name()
                + ". Client, floor server (and the in-JVM Kafka broker) share the harness JVM; everything shares the "
                + "machine's cores.");
        if (settings.profile()) {
            method.add("Profiled: a JFR recording of the gateway (jcmd JFR.start settings=profile) over the measured "
                    + "direct and gateway rounds, which costs the gateway a little CPU.");
        }
        return method;
    }

    private static String blankOr(String options) {
        return options.isBlank() ? "" : options + " ";
    }

    private static String causes(Map<String, OpStats> stats) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        stats.forEach((op, s) -> s.errorsByCause().forEach((cause, n) -> byCause.put(op + " " + cause, n)));
        return byCause.toString();
    }

    private <T> T await(CompletableFuture<T> window) throws Exception {
        return Harness.await(window, settings.budget());
    }

    private static String seconds(Duration d) {
        return Harness.seconds(d);
    }

    private static void log(String message) {
        Harness.log(message);
    }

    /** The request stream: GET a random seeded session, with a random user's bearer or (a share of them) none. */
    static final class Requests implements LoadRequest.Source {
        private final List<String> uris;
        private final List<String> tokens;
        private final double anonymousShare;

        Requests(List<String> ids, List<String> tokens, double anonymousShare) {
            this.uris = ids.stream().map(id -> "/api/sessions/" + id).toList();
            this.tokens = List.copyOf(tokens);
            this.anonymousShare = anonymousShare;
        }

        @Override
        public LoadRequest next(RandomGenerator random) {
            String uri = uris.get(random.nextInt(uris.size()));
            if (anonymousShare > 0 && random.nextDouble() < anonymousShare) {
                return new LoadRequest(GET_ANON, HttpMethod.GET, uri, null, null);
            }
            return new LoadRequest(GET, HttpMethod.GET, uri, tokens.get(random.nextInt(tokens.size())), null);
        }
    }
}
