package io.livestage.bench;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run streaming}: recording-service's live stream of a session (issue 14) against a plain Vert.x peer
 * ({@link Floors}, its own JVM).
 */
public final class StreamingScenario implements Scenario {
    static final String HOST = "bench-stream-host";
    static final String PROBE_ORIGIN = "https://player.example";
    private static final List<String> TARGETS = List.of("service", "peer");
    private static final Map<String, String> SERVERS = Map.of("service", "recording-service", "peer", "peer");
    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(2);
    static final List<String> SSE_KEYS = List.of("sse_open", "sse_warmup", "sse_warmup_table",
            "sse_service_sweep", "sse_service_knee", "sse_peer_sweep", "sse_peer_knee", "sse_half", "sse_rounds",
            "sse_p99", "sse_cpu", "sse_cpu_ratio", "sse_counts", "sse_errors");
    static final List<String> HLS_KEYS = List.of("hls_files", "hls_probe", "hls_warmup", "hls_warmup_table",
            "hls_service_sweep", "hls_service_knee", "hls_peer_sweep", "hls_peer_knee", "hls_half", "hls_rounds",
            "hls_cpu", "hls_cpu_ratio", "hls_errors");

    private final Set<String> phases;
    private final int subscribers;
    private final int connectConcurrency;
    private final int clientThreads;
    private final String sessionJson;
    private final Duration liveTimeout;
    private final Duration timeout;
    private final Sweep sweep;
    private final int rounds;
    private final List<Double> sseRates;
    private final Duration sseStep;
    private final double sseGoal;
    private final double sseWarmupRate;
    private final Duration eventGrace;
    private final Duration sseRoundWindow;
    private final int segments;
    private final int segmentMinKib;
    private final int segmentMaxKib;
    private final int hlsConnections;
    private final List<Double> hlsRates;
    private final Duration hlsStep;
    private final double hlsGoal;
    private final double hlsWarmupRate;
    private final Duration hlsRoundWindow;

    public StreamingScenario(Knobs k) {
        phases = Set.of(k.string("phases", "sse,hls").split(","));
        Knobs.require(!phases.isEmpty() && Set.of("sse", "hls").containsAll(phases),
                "phases must be a comma-separated subset of sse,hls");
        subscribers = k.integer("subscribers", 2_000);
        connectConcurrency = k.integer("connect-concurrency", 200);
        clientThreads = k.integer("client-threads", 1);
        sessionJson = k.string("session-json", "{\"title\":\"Streaming bench\",\"kind\":\"VIDEO\","
                + "\"visibility\":\"PUBLIC\"}");
        liveTimeout = k.duration("live-timeout", "60s");
        timeout = k.duration("request-timeout", "10s");
        sweep = new Sweep(k, "10s", "120s");
        rounds = k.integer("rounds", 5);
        sseRates = k.decimals("sse-rates", "2,5,10,20,40");
        sseStep = k.duration("sse-step", "10s");
        sseGoal = k.decimal("sse-goal-ms", 100);
        sseWarmupRate = k.decimal("sse-warmup-rate", 5);
        eventGrace = k.duration("event-grace", "5s");
        sseRoundWindow = k.duration("sse-round-window", "10s");
        segments = k.integer("segments", 30);
        segmentMinKib = k.integer("segment-min-kib", 200);
        segmentMaxKib = k.integer("segment-max-kib", 400);
        hlsConnections = k.integer("hls-connections", 32);
        hlsRates = k.decimals("hls-rates", "250,500,1000,2000,3000,4000,6000");
        hlsStep = k.duration("hls-step", "5s");
        hlsGoal = k.decimal("hls-goal-ms", 50);
        hlsWarmupRate = k.decimal("hls-warmup-rate", 500);
        hlsRoundWindow = k.duration("hls-round-window", "5s");
        Knobs.require(subscribers >= 1 && subscribers <= 20_000, "subscribers must be 1..20000");
        Knobs.require(connectConcurrency >= 1 && clientThreads >= 1 && clientThreads <= 16,
                "connect-concurrency must be positive, client-threads 1..16");
        Knobs.require(sessionJson.trim().startsWith("{"), "session-json must be a JSON object");
        Knobs.require(rounds >= 1 && rounds <= 20, "rounds must be 1..20");
        Knobs.require(segments >= 1 && segments <= 1_000, "segments must be 1..1000");
        Knobs.require(segmentMinKib >= 1 && segmentMinKib <= segmentMaxKib && segmentMaxKib <= 16_384,
                "segment-min-kib and segment-max-kib must be 1 <= min <= max <= 16384");
        Knobs.require(hlsConnections >= 1 && hlsConnections <= 512, "hls-connections must be 1..512");
        Knobs.require(sseRates.stream().allMatch(r -> r > 0 && r <= 1_000), "sse-rates must be 0 < rate <= 1000");
        Knobs.require(hlsRates.stream().allMatch(r -> r > 0) && sseWarmupRate > 0 && hlsWarmupRate > 0,
                "rates must be positive");
    }

    @Override
    public Duration budget() {
        Duration total = Duration.ofMinutes(6).plus(liveTimeout);
        if (phases.contains("sse")) {
            total = total.plus(OPEN_TIMEOUT.multipliedBy(2)).plus(sweep.warmupCap)
                    .plus(sseStep.plus(eventGrace).plusSeconds(2).multipliedBy(2L * sseRates.size()))
                    .plus(sseRoundWindow.plus(eventGrace).plusSeconds(2).multipliedBy(2L * rounds));
        }
        if (phases.contains("hls")) {
            total = total.plus(sweep.warmupCap)
                    .plus(hlsStep.plus(timeout).plusSeconds(2).multipliedBy(2L * hlsRates.size()))
                    .plus(hlsRoundWindow.plus(timeout).plusSeconds(2).multipliedBy(2L * rounds));
        }
        return total;
    }

    @Override
    public Report run(Run run) throws Exception {
        Path storage = run.dir().resolve("storage");
        Run.deleteTree(storage);
        Files.createDirectories(storage.resolve("hls"));
        LiveKitStub livekit = run.own(LiveKitStub.start());
        // the folder has the same path for egress (the stub) and for the service: no mapping to get wrong
        livekit.egress().mount(storage.toString(), storage);
        run.describe("LiveKit: the testing module's LiveKitStub (RoomService over Twirp, egress writing into "
                + run.root().relativize(storage) + ") in the harness JVM");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> Run.livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        livekit.notifier().addUrl(token.url() + "/webhooks/livekit");
        ServiceProcess recording = run.service("recording-service", b -> Run.livekit(b, livekit)
                .env("LIVESTAGE_RECORDING_DIRECTORY", storage.toString())
                .env("LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", storage.toString()));
        Peer peer = run.own(Peer.jvm(Floors.class, List.of("stream", storage.resolve("hls").toString()),
                run.dir().resolve("stream-floor.log")));
        run.describe("the peer: io.livestage.bench.Floors stream in its own JVM (-Xmx512m), Vert.x core and Web "
                + "as a Vert.x user writes them: 2 × cores server instances; SSE streams fed from the local event "
                + "bus, the preset in memory; Vert.x Web's StaticHandler with a CorsHandler on the same HLS folder; "
                + "pid " + peer.pid());
        Map<String, Integer> ports = Map.of("service", recording.port(), "peer", peer.port);
        List<Cpu.Proc> procs = run.procs(recording.database(), true, Cpu.Proc.of(recording),
                new Cpu.Proc("peer", peer.pid()));
        sweep.measuring(new Cpu(procs));
        Cpu servers = new Cpu(procs.subList(0, 2));

        Report report = Report.load("streaming");
        String hostToken = TestTokens.token(HOST);
        try (Http http = new Http(clientThreads, hlsConnections, timeout)) {
            String id = http.session(session.port(), hostToken, sessionJson, true);
            Log.info("session %s created and started by %s", id, HOST);
            String notLive = awaitLive(http, recording.port(), id);
            report.put("session_json", "`" + sessionJson + "`").put("live", notLive == null ? "live" : notLive)
                    .put("subscribers", subscribers).put("sse_goal_ms", Table.f(sseGoal, 0))
                    .put("hls_goal_ms", Table.f(hlsGoal, 0)).put("hls_connections", hlsConnections);
            Sse sse = new Sse(http, ports, id, hostToken, servers);
            if (!phases.contains("sse")) {
                report.skip(SSE_KEYS, "not run (--phases)");
            } else if (notLive != null) {
                report.skip(SSE_KEYS, "not available: " + notLive);
            } else {
                sse.run(report);
            }
            if (phases.contains("hls")) {
                hls(report, http, ports, id, run.root(), storage, servers);
            } else {
                report.skip(HLS_KEYS, "not run (--phases)");
            }
        }
        return report;
    }

    /** Polls {@code GET /api/sessions/{id}/stream} until it answers {@code "status":"live"}; null then, else why not. */
    private String awaitLive(Http http, int port, String session) throws InterruptedException {
        String path = "/api/sessions/" + session + "/stream";
        long start = System.nanoTime();
        String last = "no answer";
        while (System.nanoTime() - start < liveTimeout.toNanos()) {
            try {
                JsonObject status = http.json(HttpMethod.GET, port, path, null, null);
                last = "200 " + status.encode();
                if ("live".equalsIgnoreCase(String.valueOf(status.getValue("status")))) {
                    Log.info("stream of %s live after %d ms", session, (System.nanoTime() - start) / 1_000_000);
                    return null;
                }
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        return "GET " + path + " did not answer \"status\":\"live\" within " + liveTimeout.toSeconds()
                + " s; last: " + last;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 1: status events to many subscribers

    /** The sse part: one subscriber set and one change log per target. */
    private final class Sse {
        private final Http http;
        private final Map<String, Integer> ports;
        private final String bearer;
        private final String qualityPath;
        private final String eventsPath;
        private final Cpu servers;
        private final Map<String, StreamSubscribers> subs = new LinkedHashMap<>();
        private final Map<String, QualityChanges> changes = new LinkedHashMap<>();

        Sse(Http http, Map<String, Integer> ports, String session, String bearer, Cpu servers) {
            this.http = http;
            this.ports = ports;
            this.bearer = bearer;
            this.qualityPath = "/api/sessions/" + session + "/stream/quality";
            this.eventsPath = "/api/sessions/" + session + "/stream/events";
            this.servers = servers;
        }

        void run(Report report) throws Exception {
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientThreads).setWorkerPoolSize(2)
                    .setInternalBlockingPoolSize(2).setBlockedThreadCheckInterval(10_000));
            try {
                Table open = new Table("target", "ready", "failed", "no first event", "time to open all ms",
                        "GET → first event p50 / p99 ms", "initial presets", "Content-Type");
                for (String t : TARGETS) {
                    StreamSubscribers s = new StreamSubscribers(vertx, ports.get(t), eventsPath, subscribers,
                            connectConcurrency, clientThreads);
                    subs.put(t, s);
                    Log.info("sse: opening %d subscribers at the %s", subscribers, t);
                    StreamSubscribers.OpenOutcome o = s.open(OPEN_TIMEOUT);
                    open.row(t, o.ready(), o.failed() + (o.failures().isEmpty() ? "" : " " + o.failures()),
                            o.pending(), o.millis(), Table.f(LoadResult.percentileMillis(o.firstEventMicros(), 50), 1)
                                    + " / " + Table.f(LoadResult.percentileMillis(o.firstEventMicros(), 99), 1),
                            o.initialPresets(), s.contentType());
                    if (o.ready() == 0) {
                        report.skip(SSE_KEYS, "not available: no subscriber of the " + t
                                + " received a first event: " + o.failures());
                        return;
                    }
                    String initial = Collections.max(o.initialPresets().entrySet(), Map.Entry.comparingByValue())
                            .getKey();
                    // the endpoint is there and takes the host's token: the current preset set again, untracked
                    int status = http.status(HttpMethod.PUT, ports.get(t), qualityPath, bearer,
                            "{\"quality\":\"" + initial + "\"}");
                    if (status != 200) {
                        report.skip(SSE_KEYS, "not available: PUT " + qualityPath + " at the " + t + " answered "
                                + (status < 0 ? "nothing" : status));
                        return;
                    }
                    Thread.sleep(1_000);
                    QualityChanges c = new QualityChanges(QualityChanges.plan(initial, capacity()));
                    changes.put(t, c);
                    s.track(c);
                }
                run(report, open);
            } finally {
                subs.values().forEach(StreamSubscribers::close);
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }

        /** Changes a target can be sent: the warm-up at most, every step and every round at the top rate. */
        private int capacity() {
            double max = sseRates.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            double seconds = sweep.warmupCap.toSeconds() + sweep.warmupWindow.toSeconds();
            double total = seconds * sseWarmupRate + sseRates.stream().mapToDouble(r -> r * sseStep.toMillis() / 1e3)
                    .sum() + rounds * max * sseRoundWindow.toMillis() / 1e3;
            return (int) Math.ceil(total * 1.1) + 100;
        }

        private void run(Report report, Table open) throws Exception {
            Map<String, Sweep.Load> targets = new LinkedHashMap<>();
            TARGETS.forEach(t -> targets.put(t, (label, rate, window) -> step(t, rate, window)));
            sweep.warmup(report, "sse_", servers, sseWarmupRate, targets);
            Map<String, Knee.Step> knees = new LinkedHashMap<>();
            targets.forEach((t, load) -> knees.put(t, sweep.knee(report, "sse_" + t, load, sseRates, sseGoal, sseStep,
                    "changes")));
            double half = Math.max(0.5, Sweep.half(knees.get("service"), sseRates));
            List<Map<String, Knee.Step>> rounds = sweep.rounds(StreamingScenario.this.rounds, half, sseRoundWindow,
                    targets);
            Table counts = new Table("target", "connected now", "streams dropped", "events skipped (lost)",
                    "events matching no change", "repeats", "inconsistent versions", "other event types",
                    "unreadable events", "events before the first change");
            for (String t : TARGETS) {
                StreamSubscribers s = subs.get(t);
                QualityChanges c = changes.get(t);
                counts.row(t, s.connected(), s.dropped().isEmpty() ? 0 : s.dropped(), c.skipped.sum(),
                        c.unmatched.sum(), c.repeats.sum(), c.inconsistentVersions.sum(), s.otherEventTypes.sum(),
                        s.unreadableEvents.sum(), s.eventsBeforeChanges.sum());
            }
            Stats p99 = Sweep.over(rounds, r -> r.get("service").load().p99Millis());
            Stats serviceCpu = Sweep.over(rounds, r -> r.get("service").cpuMicrosPerOp("recording-service"));
            Stats ratio = Sweep.over(rounds, StreamingScenario::ratio);
            report.put("sse_open", open).put("sse_half", Table.f(half, 1))
                    .put("sse_rounds", Sweep.roundsTable(rounds, SERVERS, "change")).put("sse_p99", p99.format("%.1f"))
                    .put("sse_cpu", serviceCpu.format("%.0f")).put("sse_cpu_ratio", ratio.format("%.2f"))
                    .put("sse_counts", counts).put("sse_errors", sweep.errors());
            report.result("status_knee", Sweep.rate(knees.get("service")))
                    .result("status_p99_ms", Table.plain(p99.median(), 1))
                    .result("status_cpu_us_per_change", Table.plain(serviceCpu.median(), 0))
                    .result("status_cpu_ratio_vs_peer", Table.plain(ratio.median(), 2));
        }

        /**
         * One open-loop window of quality changes to a target: change k due at start + k / rate; the window's latencies
         * are every (subscriber, change) pair of the window, from just before its PUT to the event; the window's
         * deliveries still missing {@code event-grace} after its last change are lost (errors).
         */
        LoadResult step(String target, double rate, Duration window) {
            QualityChanges c = changes.get(target);
            StreamSubscribers s = subs.get(target);
            int segment = c.startSegment();
            int connected = s.connected();
            int port = ports.get(target);
            LoadResult put = OpenLoop.run(target, rate, window, 1_000, timeout, seq -> {
                int k = c.published();
                c.publish(k, System.nanoTime());
                return http.call(HttpMethod.PUT, port, qualityPath, bearer, "{\"quality\":\"" + c.preset(k) + "\"}")
                        .thenApply(b -> "put");
            });
            int last = c.published() - 1;
            try {
                s.awaitDelivered(c, last, eventGrace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long expected = (long) connected * c.segmentSize(segment);
            long lost = Math.max(0, expected - c.segmentDelivered(segment));
            Map<String, Long> causes = new LinkedHashMap<>(put.errorsByCause());
            if (lost > 0) {
                causes.put("events lost (not delivered " + eventGrace.toMillis() + " ms after the window)", lost);
            }
            return new LoadResult(target, rate, put.seconds(), put.ok(), put.errors() + lost, c.latencies(segment),
                    Map.of("PUT", put.all()), causes, put.lateSends());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 2: HLS segments

    private void hls(Report report, Http http, Map<String, Integer> ports, String session, Path root, Path storage,
            Cpu servers) throws Exception {
        Path dir = storage.resolve("hls").resolve(session);
        HlsSegments files = HlsSegments.write(dir, segments, segmentMinKib * 1024L, segmentMaxKib * 1024L);
        String base = "/hls/" + session + "/";
        Map<String, Map<String, String>> probes = new LinkedHashMap<>();
        for (String t : TARGETS) {
            String refused = probe(t, ports.get(t), base, files, probes);
            if (refused != null) {
                report.skip(HLS_KEYS, "not available: the " + t + ": " + refused);
                return;
            }
        }
        Table probe = new Table("response", "recording-service /hls", "peer (Vert.x Web StaticHandler)");
        probes.get("service").keySet().forEach(k -> probe.row(k, probes.get("service").get(k),
                probes.get("peer").get(k)));
        Map<String, Sweep.Load> targets = new LinkedHashMap<>();
        for (String t : TARGETS) {
            int port = ports.get(t);
            targets.put(t, Sweep.open(seq -> {
                int i = (int) ((seq * 7919) % files.names().size());
                CompletionStage<String> answer = http.call(HttpMethod.GET, port, base + files.names().get(i), null,
                        null, Map.of("Accept", "*/*"), status -> status == 200).thenApply(body -> {
                            if (body.length() != files.sizes().get(i) || body.getByte(0) != HlsSegments.SYNC) {
                                throw new OpenLoop.Failure("segment of " + body.length() + " bytes, not "
                                        + files.sizes().get(i) + " starting with 0x47");
                            }
                            return "segment";
                        });
                return answer;
            }, hlsConnections * 8, timeout));
        }
        sweep.warmup(report, "hls_", servers, hlsWarmupRate, targets);
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        targets.forEach((t, load) -> knees.put(t, sweep.knee(report, "hls_" + t, load, hlsRates, hlsGoal, hlsStep,
                "segments")));
        double half = Sweep.half(knees.get("service"), hlsRates);
        List<Map<String, Knee.Step>> rounds = sweep.rounds(this.rounds, half, hlsRoundWindow, targets);
        Stats serviceCpu = Sweep.over(rounds, r -> r.get("service").cpuMicrosPerOp("recording-service"));
        Stats ratio = Sweep.over(rounds, StreamingScenario::ratio);
        report.put("hls_files", files.names().size() + " segments of " + Table.f(files.meanBytes() / 1000, 0)
                + " KB mean (" + segmentMinKib + " to " + segmentMaxKib + " KiB) and `" + files.playlist() + "` in `"
                + root.relativize(dir) + "`, requested in a fixed shuffled order as `GET " + base
                + "<segment>`")
                .put("hls_probe", probe).put("hls_half", Table.f(half, 0))
                .put("hls_rounds", Sweep.roundsTable(rounds, SERVERS, "segment"))
                .put("hls_cpu", serviceCpu.format("%.0f")).put("hls_cpu_ratio", ratio.format("%.2f"))
                .put("hls_errors", sweep.errors());
        report.result("hls_knee", Sweep.rate(knees.get("service")))
                .result("hls_peer_knee", Sweep.rate(knees.get("peer")))
                .result("hls_cpu_ratio_vs_peer", Table.plain(ratio.median(), 2));
    }

    /** GETs the playlist (with an Origin) and the first segment; what they answered, or why the probe failed. */
    private static String probe(String target, int port, String base, HlsSegments files,
            Map<String, Map<String, String>> probes) throws InterruptedException {
        HttpResponse<byte[]> playlist = Http.fetch(port, base + files.playlist(), Map.of("Origin", PROBE_ORIGIN));
        String text = playlist == null ? "" : new String(playlist.body(), StandardCharsets.UTF_8);
        if (playlist == null || playlist.statusCode() != 200 || !text.startsWith("#EXTM3U")) {
            return "GET " + base + files.playlist() + " answered " + (playlist == null ? "nothing" : playlist.statusCode()
                    + " with " + playlist.body().length + " bytes") + ", not 200 with the playlist";
        }
        HttpResponse<byte[]> segment = Http.fetch(port, base + files.names().getFirst(), Map.of());
        if (segment == null || segment.statusCode() != 200 || segment.body().length != files.sizes().getFirst()) {
            return "GET " + base + files.names().getFirst() + " answered " + (segment == null ? "nothing"
                    : segment.statusCode() + " with " + segment.body().length + " bytes") + ", not 200 with "
                    + files.sizes().getFirst();
        }
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("playlist Content-Type", playlist.headers().firstValue("Content-Type").orElse("(none)"));
        seen.put("playlist bytes as written", text.equals(HlsSegments.playlist(files.names())) ? "yes" : "no");
        seen.put("segment Content-Type", segment.headers().firstValue("Content-Type").orElse("(none)"));
        seen.put("segment Cache-Control", segment.headers().firstValue("Cache-Control").orElse("(none)"));
        seen.put("Access-Control-Allow-Origin (Origin: " + PROBE_ORIGIN + ")",
                playlist.headers().firstValue("Access-Control-Allow-Origin").orElse("(none)"));
        probes.put(target, seen);
        return null;
    }

    private static double ratio(Map<String, Knee.Step> round) {
        return round.get("service").cpuMicrosPerOp("recording-service") / round.get("peer").cpuMicrosPerOp("peer");
    }
}
