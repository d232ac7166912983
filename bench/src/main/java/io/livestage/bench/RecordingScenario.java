package io.livestage.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.vertx.core.http.HttpMethod;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
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
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/** {@code ./bench/run recording}: three parts of recording-service, open loop. */
public final class RecordingScenario implements Scenario {
    static final String START_EGRESS = "StartRoomCompositeEgress";
    static final String FEED_HOST = "bench-podcast-host";
    static final List<String> EGRESS_KEYS = List.of("egress_warmup", "egress_warmup_table", "egress_sweep",
            "egress_knee", "egress_half", "egress_rounds", "egress_p99", "egress_cpu", "egress_refused",
            "egress_errors");
    static final List<String> FEED_KEYS = List.of("feed_body", "feed_warmup", "feed_warmup_table",
            "feed_service_304_sweep", "feed_service_304_knee", "feed_peer_304_sweep", "feed_peer_304_knee",
            "feed_service_200_sweep", "feed_service_200_knee", "feed_peer_200_sweep", "feed_peer_200_knee",
            "feed_rounds", "feed_cpu_304", "feed_ratio_304", "feed_cpu_200", "feed_ratio_200", "feed_errors");
    static final List<String> RANGE_KEYS = List.of("range_file", "range_warmup", "range_warmup_table",
            "range_service_sweep", "range_service_knee", "range_peer_sweep", "range_peer_knee", "range_half",
            "range_rounds", "range_cpu", "range_ratio", "range_errors");

    private final Set<String> phases;
    private final Duration timeout;
    private final Sweep sweep;
    private final int rounds;
    private final Duration roundWindow;
    private final int connections;
    private final List<Double> egressRates;
    private final Duration egressStep;
    private final double egressGoal;
    private final double egressWarmupRate;
    private final Duration egressTimeout;
    private final int episodes;
    private final List<Double> feedRates;
    private final List<Double> feedFullRates;
    private final Duration feedStep;
    private final double feedGoal;
    private final double feedWarmupRate;
    private final int fileMb;
    private final int sliceKib;
    private final List<Double> rangeRates;
    private final Duration rangeStep;
    private final double rangeGoal;
    private final double rangeWarmupRate;

    public RecordingScenario(Knobs k) {
        phases = Set.of(k.string("phases", "egress,feed,range").split(","));
        Knobs.require(!phases.isEmpty() && Set.of("egress", "feed", "range").containsAll(phases),
                "phases must be a comma-separated subset of egress,feed,range");
        timeout = k.duration("request-timeout", "10s");
        sweep = new Sweep(k, "10s", "120s");
        rounds = k.integer("rounds", 5);
        roundWindow = k.duration("round-window", "5s");
        connections = k.integer("connections", 32);
        egressRates = k.decimals("egress-rates", "2,5,10,20,40");
        egressStep = k.duration("egress-step", "10s");
        egressGoal = k.decimal("egress-goal-ms", 100);
        egressWarmupRate = k.decimal("egress-warmup-rate", 10);
        egressTimeout = k.duration("egress-timeout", "30s");
        episodes = k.integer("episodes", 1_000);
        feedRates = k.decimals("feed-rates", "1000,2000,5000,8000,12000");
        feedFullRates = k.decimals("feed-full-rates", "50,100,200,400,800");
        feedStep = k.duration("feed-step", "5s");
        feedGoal = k.decimal("feed-goal-ms", 10);
        feedWarmupRate = k.decimal("feed-warmup-rate", 500);
        fileMb = k.integer("file-mb", 50);
        sliceKib = k.integer("slice-kib", 64);
        rangeRates = k.decimals("range-rates", "250,500,1000,2000,4000,8000");
        rangeStep = k.duration("range-step", "5s");
        rangeGoal = k.decimal("range-goal-ms", 20);
        rangeWarmupRate = k.decimal("range-warmup-rate", 500);
        Knobs.require(rounds >= 1 && rounds <= 20, "rounds must be 1..20");
        Knobs.require(connections >= 1 && connections <= 512, "connections must be 1..512");
        Knobs.require(egressRates.stream().allMatch(r -> r > 0 && r <= 200) && egressWarmupRate > 0
                && egressWarmupRate <= 200, "egress rates must be 0 < rate <= 200 per second");
        Knobs.require(episodes >= 1 && episodes <= 100_000, "episodes must be 1..100000");
        Knobs.require(fileMb >= 1 && fileMb <= 2_048, "file-mb must be 1..2048");
        Knobs.require(sliceKib >= 1 && (long) sliceKib * 1024 <= (long) fileMb * 1024 * 1024,
                "slice-kib must be at least 1 and at most the file");
        Knobs.require(Stream.of(feedRates, feedFullRates, rangeRates).flatMap(List::stream).allMatch(r -> r > 0)
                && feedWarmupRate > 0 && rangeWarmupRate > 0, "rates must be positive");
    }

    @Override
    public Duration budget() {
        Duration total = Duration.ofMinutes(6);
        Duration perRequest = timeout.plusSeconds(2);
        if (phases.contains("egress")) {
            Duration perStart = egressTimeout.plusSeconds(5);
            total = total.plus(sweep.warmupCap).plus(egressStep.plus(perStart).multipliedBy(egressRates.size()))
                    .plus(roundWindow.plus(perStart).multipliedBy(rounds));
        }
        if (phases.contains("feed")) {
            total = total.plus(sweep.warmupCap).plus(feedStep.plus(perRequest)
                    .multipliedBy(2L * (feedRates.size() + feedFullRates.size())))
                    .plus(roundWindow.plus(perRequest).multipliedBy(4L * rounds));
        }
        if (phases.contains("range")) {
            total = total.plus(sweep.warmupCap).plus(Duration.ofMinutes(1)).plus(rangeStep.plus(perRequest)
                    .multipliedBy(2L * rangeRates.size())).plus(roundWindow.plus(perRequest).multipliedBy(2L * rounds));
        }
        return total;
    }

    @Override
    public Report run(Run run) throws Exception {
        Path egressDir = run.dir().resolve("out");
        Run.deleteTree(egressDir);
        Files.createDirectories(egressDir);
        LiveKitStub livekit = run.own(LiveKitStub.start());
        livekit.egress().mount("/out", egressDir);
        run.describe("LiveKit: the testing module's LiveKitStub (RoomService and Egress over Twirp, its egress writing "
                + "into " + run.root().relativize(egressDir) + " mounted at /out) in the harness JVM");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> Run.livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        livekit.notifier().addUrl(token.url() + "/webhooks/livekit");
        ServiceProcess recording = run.service("recording-service", b -> Run.livekit(b, livekit)
                .env("LIVESTAGE_RECORDING_DIRECTORY", "/out")
                .env("LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", egressDir.toString()));
        Report report = Report.load("recording");
        report.put("episodes", episodes).put("egress_goal_ms", Table.f(egressGoal, 0))
                .put("feed_goal_ms", Table.f(feedGoal, 0)).put("range_goal_ms", Table.f(rangeGoal, 0))
                .put("slice_kib", sliceKib).put("file_mb", fileMb).put("connections", connections)
                .put("round_window", Table.f(roundWindow.toMillis() / 1000.0, 1));
        try (Http http = new Http(1, connections, timeout)) {
            if (phases.contains("egress")) {
                egress(report, run, http, livekit, session, token, recording);
            } else {
                report.skip(EGRESS_KEYS, "not run (--phases)");
            }
            String feedPath = "/podcast/feeds/hosts/" + FEED_HOST + ".xml";
            Map<String, String> feedProbe = new LinkedHashMap<>();
            Path feedFile = phases.contains("feed") ? feedProbe(run, recording, feedPath, feedProbe) : null;
            if (phases.contains("feed") && feedFile == null) {
                report.skip(FEED_KEYS, "not available: " + feedProbe.get("why"));
            } else if (feedFile == null) {
                report.skip(FEED_KEYS, "not run (--phases)");
            }
            Range range = phases.contains("range") ? rangeSeed(run, recording, egressDir) : null;
            if (range != null && range.why != null) {
                report.skip(RANGE_KEYS, "not available: " + range.why);
            } else if (range == null) {
                report.skip(RANGE_KEYS, "not run (--phases)");
            }
            boolean rangeReady = range != null && range.why == null;
            if (feedFile == null && !rangeReady) {
                return report;
            }
            Peer peer = run.own(Peer.jvm(Floors.class, List.of("range", rangeReady ? range.file.toString() : "-",
                    feedFile == null ? "-" : feedFile.toString()), run.dir().resolve("recording-floor.log")));
            run.describe("the peer: io.livestage.bench.Floors range in its own JVM (-Xmx512m), plain Vert.x core, "
                    + "2 × cores server instances: the feed the service answered, from memory with an ETag, and the "
                    + "recording file by sendfile with single byte ranges; pid " + peer.pid());
            List<Cpu.Proc> procs = run.procs(recording.database(), false, Cpu.Proc.of(recording),
                    new Cpu.Proc("peer", peer.pid()));
            sweep.measuring(new Cpu(procs));
            Cpu servers = new Cpu(procs.subList(0, 2));
            if (feedFile != null) {
                feed(report, http, recording.port(), peer.port, feedPath, feedProbe, servers);
            }
            if (rangeReady) {
                range(report, http, recording.port(), peer.port, range, servers);
            }
        }
        return report;
    }

    private static void analyze(Run run, TestDatabase database) {
        try (Connection c = run.postgres().open(database); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        } catch (java.sql.SQLException e) {
            Log.info("ANALYZE %s: %s", database.name(), e);
        }
    }

    /** Part 1: session start → StartRoomCompositeEgress at the stub. */
    private void egress(Report report, Run run, Http http, LiveKitStub livekit, ServiceProcess session,
            ServiceProcess token, ServiceProcess recording) throws Exception {
        List<Cpu.Proc> procs = run.procs(session.database(), true, Cpu.Proc.of(recording), Cpu.Proc.of(session),
                Cpu.Proc.of(token));
        sweep.measuring(new Cpu(procs));
        try (EgressWatch watch = new EgressWatch(livekit::calls)) {
            Sweep.Load starts = starts(http, session.port(), watch);
            sweep.warmup(report, "egress_", new Cpu(procs.subList(0, 3)), egressWarmupRate, Map.of("egress", starts));
            analyze(run, session.database());
            analyze(run, recording.database());
            long refusedBefore = watch.refused.sum();
            Knee.Step knee = sweep.knee(report, "egress", starts, egressRates, egressGoal, egressStep, "starts");
            double half = Math.max(0.5, Sweep.half(knee, egressRates));
            List<Map<String, Knee.Step>> rounds = sweep.rounds(this.rounds, half, roundWindow,
                    Map.of("egress", starts));
            Stats p99 = Sweep.over(rounds, r -> r.get("egress").load().p99Millis());
            Stats cpu = Sweep.over(rounds, r -> r.get("egress").cpuMicrosPerOp("recording-service"));
            report.put("egress_half", Table.f(half, 1))
                    .put("egress_rounds", Sweep.roundsTable(rounds, Map.of("egress", "recording-service"), "start"))
                    .put("egress_p99", p99.format("%.1f")).put("egress_cpu", cpu.format("%.0f"))
                    .put("egress_refused", watch.refused.sum() - refusedBefore).put("egress_errors", sweep.errors());
            report.result("egress_knee", Sweep.rate(knee)).result("egress_p99_ms", Table.plain(p99.median(), 1))
                    .result("egress_cpu_us_per_start", Table.plain(cpu.median(), 0));
        }
    }

    /**
     * Session starts, open loop: each window first creates its sessions (recording enabled, one host each; not
     * measured), then start k is due at start + k / rate and completes when the stub accepted its egress.
     */
    private Sweep.Load starts(Http http, int port, EgressWatch watch) {
        int[] created = {0};
        return (label, rate, window) -> {
            int count = (int) Math.ceil(rate * window.toMillis() / 1000.0) + 2;
            List<CompletableFuture<String[]>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = ++created[0];
                String host = TestTokens.token(String.format("bench-rec-host-%05d", n));
                futures.add(http.call(HttpMethod.POST, port, "/api/sessions", host, "{\"title\":\"Recording bench "
                        + n + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\",\"settings\":{\"recordingEnabled\":"
                        + "true}}").thenApply(body -> new String[] {body.toJsonObject().getString("id"), host})
                        .toCompletableFuture());
            }
            List<String[]> sessions = futures.stream().map(CompletableFuture::join).toList();
            return OpenLoop.run(label, rate, window, 10_000, egressTimeout, seq -> {
                if (seq >= sessions.size()) {
                    return CompletableFuture.failedFuture(new OpenLoop.Failure("no session left to start"));
                }
                String[] s = sessions.get((int) seq);
                CompletableFuture<Void> accepted = watch.expect(s[0]);
                return http.call(HttpMethod.POST, port, "/api/sessions/" + s[0] + "/start", s[1], null)
                        .whenComplete((body, error) -> {
                            if (error != null) {
                                watch.forget(s[0]);
                            }
                        })
                        .thenCompose(body -> accepted.orTimeout(egressTimeout.toMillis(), TimeUnit.MILLISECONDS))
                        .thenApply(v -> "egress");
            });
        };
    }

    /**
     * The stub's StartRoomCompositeEgress calls, read every millisecond: completes a room's future when the stub
     * accepted one (up to 1 ms late), counts the refused ones (the room not created yet, ...).
     */
    static final class EgressWatch implements AutoCloseable {
        private final Supplier<List<RecordedCall>> calls;
        private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        final LongAdder refused = new LongAdder();
        private final Thread thread;
        private volatile boolean running = true;

        EgressWatch(Supplier<List<RecordedCall>> calls) {
            this.calls = calls;
            this.thread = Thread.ofPlatform().daemon().name("bench-egress-watch").start(this::poll);
        }

        CompletableFuture<Void> expect(String room) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            pending.put(room, future);
            return future;
        }

        void forget(String room) {
            pending.remove(room);
        }

        private void poll() {
            int seen = 0;
            while (running) {
                List<RecordedCall> now = calls.get();
                for (int i = seen; i < now.size(); i++) {
                    seen(now.get(i));
                }
                seen = now.size();
                LockSupport.parkNanos(1_000_000);
            }
        }

        private void seen(RecordedCall call) {
            if (!START_EGRESS.equals(call.method())) {
                return;
            }
            if (!call.succeeded()) {
                refused.increment();
                return;
            }
            CompletableFuture<Void> waiting = pending.remove(call.room());
            if (waiting != null) {
                waiting.complete(null);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 2: the feed

    /** Seeds the episodes and probes the feed; the file holding its body (for the peer), or null (why in probe). */
    private Path feedProbe(Run run, ServiceProcess recording, String path, Map<String, String> probe)
            throws Exception {
        boolean table;
        try (Connection c = run.postgres().open(recording.database())) {
            table = RecordingSeed.hasEpisodes(c);
            if (table) {
                RecordingSeed.publishedEpisodes(c, FEED_HOST, episodes);
            }
        }
        analyze(run, recording.database());
        HttpResponse<byte[]> first = Http.fetch(recording.port(), path, Map.of());
        if (first == null || first.statusCode() != 200) {
            probe.put("why", "GET " + path + " answered " + (first == null ? "nothing" : first.statusCode())
                    + (table ? "" : "; recording-service has no episodes table (no podcast feeds on this branch)"));
            return null;
        }
        String etag = first.headers().firstValue("ETag").orElse(null);
        if (etag == null) {
            probe.put("why", "GET " + path + " answered 200 without an ETag: nothing to make conditional");
            return null;
        }
        HttpResponse<byte[]> conditional = Http.fetch(recording.port(), path, Map.of("If-None-Match", etag));
        if (conditional == null || conditional.statusCode() != 304) {
            probe.put("why", "GET " + path + " with If-None-Match: " + etag + " answered "
                    + (conditional == null ? "nothing" : conditional.statusCode()) + ", not 304");
            return null;
        }
        String text = new String(first.body(), StandardCharsets.UTF_8);
        int items = text.split("<item>", -1).length - 1;
        probe.put("etag", etag);
        probe.put("bytes", Integer.toString(first.body().length));
        probe.put("body", Table.f(first.body().length / 1000.0, 0) + " KB, " + items + " items (of " + episodes
                + " episodes inserted), ETag `" + etag + "`, Content-Type `"
                + first.headers().firstValue("Content-Type").orElse("(none)") + "`");
        Path file = run.dir().resolve("feed.xml");
        Files.write(file, first.body());
        return file;
    }

    private void feed(Report report, Http http, int servicePort, int peerPort, String path, Map<String, String> probe,
            Cpu servers) throws Exception {
        String peerTag = Http.fetch(peerPort, "/feed", Map.of()).headers().firstValue("ETag").orElseThrow();
        int bytes = Integer.parseInt(probe.get("bytes"));
        int backlog = connections * 8;
        Map<String, Sweep.Load> conditional = new LinkedHashMap<>();
        conditional.put("service_304", Sweep.open(feedOp(http, servicePort, path, probe.get("etag"), bytes), backlog,
                timeout));
        conditional.put("peer_304", Sweep.open(feedOp(http, peerPort, "/feed", peerTag, bytes), backlog, timeout));
        Map<String, Sweep.Load> full = new LinkedHashMap<>();
        full.put("service_200", Sweep.open(feedOp(http, servicePort, path, null, bytes), backlog, timeout));
        full.put("peer_200", Sweep.open(feedOp(http, peerPort, "/feed", null, bytes), backlog, timeout));
        Map<String, Sweep.Load> targets = new LinkedHashMap<>(conditional);
        targets.putAll(full);
        sweep.warmup(report, "feed_", servers, feedWarmupRate, targets);
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        targets.forEach((t, load) -> knees.put(t, sweep.knee(report, "feed_" + t, load, t.endsWith("304")
                ? feedRates : feedFullRates, feedGoal, feedStep, "requests")));
        double half304 = Sweep.half(knees.get("service_304"), feedRates);
        double half200 = Sweep.half(knees.get("service_200"), feedFullRates);
        List<Map<String, Knee.Step>> rounds304 = new ArrayList<>();
        List<Map<String, Knee.Step>> rounds200 = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            rounds304.addAll(sweep.rounds(1, half304, roundWindow, conditional));
            rounds200.addAll(sweep.rounds(1, half200, roundWindow, full));
        }
        Map<String, String> server = Map.of("service_304", "recording-service", "service_200", "recording-service",
                "peer_304", "peer", "peer_200", "peer");
        report.put("feed_body", probe.get("body")).put("feed_rounds", "At " + Table.f(half304, 0)
                + " conditional and " + Table.f(half200, 0) + " unconditional requests/s (half the service's "
                + "knees):\n\n" + Sweep.roundsTable(rounds304, server, "request").markdown() + "\n\n"
                + Sweep.roundsTable(rounds200, server, "request").markdown());
        Stats ratio304 = cpu(report, "feed_cpu_304", "feed_ratio_304", rounds304, "service_304", "peer_304");
        cpu(report, "feed_cpu_200", "feed_ratio_200", rounds200, "service_200", "peer_200");
        report.put("feed_errors", sweep.errors()).result("feed_rps", Sweep.rate(knees.get("service_304")))
                .result("feed_cpu_ratio_vs_peer", Table.plain(ratio304.median(), 2));
    }

    /** Puts the service's CPU per request and its ratio to the peer's over the rounds; returns the ratio. */
    private static Stats cpu(Report report, String cpuKey, String ratioKey, List<Map<String, Knee.Step>> rounds,
            String service, String peer) {
        Stats ratio = Sweep.over(rounds, r -> r.get(service).cpuMicrosPerOp("recording-service")
                / r.get(peer).cpuMicrosPerOp("peer"));
        report.put(cpuKey, Sweep.over(rounds, r -> r.get(service).cpuMicrosPerOp("recording-service"))
                .format("%.0f")).put(ratioKey, ratio.format("%.2f"));
        return ratio;
    }

    /** A conditional GET expecting 304 when {@code etag} is set, else a full GET expecting 200 and the body's size. */
    private static OpenLoop.Op feedOp(Http http, int port, String path, String etag, int bytes) {
        Map<String, String> headers = etag == null ? Map.of("Accept", "*/*")
                : Map.of("Accept", "*/*", "If-None-Match", etag);
        int expected = etag == null ? 200 : 304;
        return seq -> http.call(HttpMethod.GET, port, path, null, null, headers, s -> s == expected)
                .thenApply(body -> {
                    if (expected == 200 && body.length() != bytes) {
                        throw new OpenLoop.Failure("feed of " + body.length() + " bytes, not " + bytes);
                    }
                    return "feed";
                });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 3: byte ranges of a recording file

    /** The seeded file and the service's path to it, or why the part cannot run. */
    private record Range(Path file, String path, String bearer, long size, int slice, String why) {
    }

    private Range rangeSeed(Run run, ServiceProcess recording, Path egressDir) throws Exception {
        String host = "bench-range-host";
        long size = (long) fileMb * 1024 * 1024;
        int slice = sliceKib * 1024;
        UUID sessionId;
        UUID recordingId;
        Path file;
        try (Connection c = run.postgres().open(recording.database())) {
            sessionId = RecordingSeed.session(c, host, "Range bench");
            recordingId = RecordingSeed.recording(c, sessionId, host);
            String name = recordingId + "-bench.mp3";
            file = egressDir.resolve(sessionId.toString()).resolve(name);
            writeFile(file, size);
            RecordingSeed.completedMp3(c, recordingId, "/out/" + sessionId + "/" + name, size, size / 16);
        }
        String bearer = TestTokens.token("bench-range-listener");
        String path = "/api/sessions/" + sessionId + "/recordings/" + recordingId + "/files/mp3";
        HttpResponse<byte[]> probe = Http.fetch(recording.port(), path, Map.of("Authorization", "Bearer " + bearer,
                "Range", "bytes=0-" + (slice - 1)));
        String why = probe != null && probe.statusCode() == 206 && probe.body().length == slice ? null
                : "GET " + path + " with Range: bytes=0-" + (slice - 1) + " answered " + (probe == null ? "nothing"
                        : probe.statusCode() + " with " + probe.body().length + " bytes") + ", not 206 with " + slice;
        return new Range(file, path, bearer, size, slice, why);
    }

    private void range(Report report, Http http, int servicePort, int peerPort, Range range, Cpu servers) {
        int backlog = connections * 8;
        Map<String, Sweep.Load> targets = new LinkedHashMap<>();
        targets.put("service", Sweep.open(rangeOp(http, servicePort, range.path, range.bearer, range), backlog,
                timeout));
        targets.put("peer", Sweep.open(rangeOp(http, peerPort, "/file", null, range), backlog, timeout));
        sweep.warmup(report, "range_", servers, rangeWarmupRate, targets);
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        targets.forEach((t, load) -> knees.put(t, sweep.knee(report, "range_" + t, load, rangeRates, rangeGoal,
                rangeStep, "ranges")));
        double half = Sweep.half(knees.get("service"), rangeRates);
        List<Map<String, Knee.Step>> rounds = sweep.rounds(this.rounds, half, roundWindow, targets);
        report.put("range_file", range.size / (1024 * 1024) + " MiB of random bytes at `"
                + range.file.getFileName() + "`, served as `GET " + range.path.replaceAll("[0-9a-f-]{36}", "{id}")
                + "`").put("range_half", Table.f(half, 0)).put("range_rounds", Sweep.roundsTable(rounds,
                        Map.of("service", "recording-service", "peer", "peer"), "range"));
        Stats ratio = cpu(report, "range_cpu", "range_ratio", rounds, "service", "peer");
        report.put("range_errors", sweep.errors()).result("range_knee", Sweep.rate(knees.get("service")))
                .result("range_peer_knee", Sweep.rate(knees.get("peer")))
                .result("range_cpu_ratio_vs_peer", Table.plain(ratio.median(), 2));
    }

    /** A random single range of {@code slice} bytes (fixed seed per sequence number), expecting 206 and its size. */
    private static OpenLoop.Op rangeOp(Http http, int port, String path, String bearer, Range range) {
        return seq -> {
            long offset = new SplittableRandom(seq).nextLong(range.size - range.slice + 1);
            CompletionStage<String> answer = http.call(HttpMethod.GET, port, path, bearer, null,
                    Map.of("Accept", "*/*", "Range", "bytes=" + offset + "-" + (offset + range.slice - 1)),
                    s -> s == 206).thenApply(body -> {
                        if (body.length() != range.slice) {
                            throw new OpenLoop.Failure("range of " + body.length() + " bytes");
                        }
                        return "range";
                    });
            return answer;
        };
    }

    /** {@code bytes} of pseudo-random data (fixed seed), written in 1 MiB blocks. */
    static void writeFile(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(42);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }
}
