package io.livestage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Steps;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
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
    private final double jitThreshold;
    private final Duration warmupWindow;
    private final Duration warmupCap;
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
        jitThreshold = k.decimal("jit-threshold", 0.05);
        warmupWindow = k.duration("warmup-window", "10s");
        warmupCap = k.duration("warmup-cap", "120s");
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
        if (phases.contains("egress")) {
            total = total.plus(warmupCap).plus(egressStep.plus(egressTimeout).plusSeconds(5)
                    .multipliedBy(egressRates.size())).plus(roundWindow.plus(egressTimeout).plusSeconds(5)
                            .multipliedBy(rounds));
        }
        if (phases.contains("feed")) {
            total = total.plus(warmupCap).plus(feedStep.plus(timeout).plusSeconds(2)
                    .multipliedBy(2L * (feedRates.size() + feedFullRates.size())))
                    .plus(roundWindow.plus(timeout).plusSeconds(2).multipliedBy(4L * rounds));
        }
        if (phases.contains("range")) {
            total = total.plus(warmupCap).plus(Duration.ofMinutes(1)).plus(rangeStep.plus(timeout).plusSeconds(2)
                    .multipliedBy(2L * rangeRates.size()))
                    .plus(roundWindow.plus(timeout).plusSeconds(2).multipliedBy(2L * rounds));
        }
        return total;
    }

    @Override
    public Report run(Run run) throws Exception {
        Path egressDir = run.dir().resolve("out");
        deleteTree(egressDir);
        Files.createDirectories(egressDir);
        LiveKitStub livekit = run.own(LiveKitStub.start());
        livekit.egress().mount("/out", egressDir);
        run.describe("LiveKit: the testing module's LiveKitStub (RoomService and Egress over Twirp, its egress writing "
                + "into " + run.root().relativize(egressDir) + " mounted at /out) in the harness JVM");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        livekit.notifier().addUrl(token.url() + "/webhooks/livekit");
        ServiceProcess recording = run.service("recording-service", b -> livekit(b, livekit)
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
                skip(report, EGRESS_KEYS, "not run (--phases)");
            }
            Path feedFile = null;
            String feedPath = "/podcast/feeds/hosts/" + FEED_HOST + ".xml";
            Map<String, String> feedProbe = new LinkedHashMap<>();
            if (phases.contains("feed")) {
                feedFile = feedProbe(run, recording, feedPath, feedProbe);
                if (feedFile == null) {
                    skip(report, FEED_KEYS, "not available: " + feedProbe.get("why"));
                }
            } else {
                skip(report, FEED_KEYS, "not run (--phases)");
            }
            Range range = null;
            if (phases.contains("range")) {
                range = rangeSeed(run, recording, egressDir);
                if (range.why != null) {
                    skip(report, RANGE_KEYS, "not available: " + range.why);
                }
            } else {
                skip(report, RANGE_KEYS, "not run (--phases)");
            }
            boolean rangeReady = range != null && range.why == null;
            if (feedFile == null && !rangeReady) {
                return report;
            }
            Peer peer = run.own(Peer.jvm(Floors.class, List.of("range", rangeReady ? range.file.toString()
                    : "-", feedFile == null ? "-" : feedFile.toString()), run.dir().resolve("recording-floor.log")));
            run.describe("the peer: io.livestage.bench.Floors range in its own JVM (-Xmx512m), plain Vert.x core, "
                    + "2 × cores server instances: the feed the service answered, from memory with an ETag, and the "
                    + "recording file by sendfile with single byte ranges; pid " + peer.pid());
            List<Cpu.Proc> procs = new ArrayList<>(List.of(new Cpu.Proc("recording-service", recording.pid()),
                    new Cpu.Proc("peer", peer.pid())));
            run.postgresProc(recording.database()).ifPresent(procs::add);
            procs.add(Cpu.Proc.self("harness"));
            Cpu cpu = new Cpu(procs);
            if (feedFile != null) {
                feed(report, http, recording.port(), peer.port, feedPath, feedProbe, cpu, procs);
            }
            if (rangeReady) {
                range(report, http, recording.port(), peer.port, range, cpu, procs);
            }
        }
        return report;
    }

    private static ServiceProcess.Builder livekit(ServiceProcess.Builder b, LiveKitStub livekit) {
        return b.env("LIVEKIT_URL", livekit.url().replace("http://", "ws://")).env("LIVEKIT_API_KEY", livekit.apiKey())
                .env("LIVEKIT_API_SECRET", livekit.apiSecret());
    }

    static void skip(Report report, List<String> keys, String why) {
        String part = keys.getFirst().substring(0, keys.getFirst().indexOf('_'));
        Log.info("%s: %s", part, why);
        keys.forEach(key -> report.put(key, key.endsWith("_table") || key.endsWith("_errors") ? "" : "(" + why + ")"));
        report.result(part, "skipped");
    }

    private static void analyze(Run run, TestDatabase database) {
        try (Connection c = run.postgres().open(database); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        } catch (java.sql.SQLException e) {
            Log.info("ANALYZE %s: %s", database.name(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 1: session start → StartRoomCompositeEgress at the stub

    private void egress(Report report, Run run, Http http, LiveKitStub livekit, ServiceProcess session,
            ServiceProcess token, ServiceProcess recording) throws Exception {
        List<Cpu.Proc> procs = new ArrayList<>(List.of(new Cpu.Proc("recording-service", recording.pid()),
                new Cpu.Proc("session-service", session.pid()), new Cpu.Proc("token-service", token.pid())));
        run.postgresProc(session.database()).ifPresent(procs::add);
        procs.add(new Cpu.Proc("kafka", run.kafka().pid()));
        procs.add(Cpu.Proc.self("harness"));
        Cpu cpu = new Cpu(procs);
        List<String> names = procs.stream().map(Cpu.Proc::name).toList();
        try (EgressWatch watch = new EgressWatch(livekit::calls)) {
            Starts starts = new Starts(http, session.port(), watch);
            Warmup.Outcome warm = Warmup.run(new Cpu(procs.subList(0, 3)), jitThreshold, warmupWindow, warmupCap,
                    w -> starts.window(null, egressWarmupRate, w));
            analyze(run, session.database());
            analyze(run, recording.database());
            long refusedBefore = watch.refused.sum();
            List<Knee.Step> steps = Knee.sweep(egressRates, egressGoal, rate -> starts.window(cpu, rate, egressStep));
            Knee.Step knee = Knee.headline(steps, egressGoal).orElse(null);
            double half = Math.max(0.5, (knee == null ? egressRates.getFirst() : knee.offered()) / 2);
            Table roundsTable = new Table("round", "achieved /s", "p50 ms", "p99 ms", "errors",
                    "recording-service CPU µs/start", "session-service CPU µs/start", "token-service CPU µs/start");
            List<Double> p99 = new ArrayList<>();
            List<Double> cpuPerStart = new ArrayList<>();
            List<LoadResult> loads = new ArrayList<>(steps.stream().map(Knee.Step::load).toList());
            for (int r = 1; r <= rounds; r++) {
                Knee.Step s = starts.window(cpu, half, roundWindow);
                loads.add(s.load());
                roundsTable.row(r, Table.f(s.load().achieved(), 1), Table.f(s.load().p50Millis(), 1),
                        Table.f(s.load().p99Millis(), 1), s.load().errors(),
                        Table.f(s.cpuMicrosPerOp("recording-service"), 0),
                        Table.f(s.cpuMicrosPerOp("session-service"), 0),
                        Table.f(s.cpuMicrosPerOp("token-service"), 0));
                p99.add(s.load().p99Millis());
                cpuPerStart.add(s.cpuMicrosPerOp("recording-service"));
                Log.info("egress round %d/%d at %.1f/s: p99 %.1f ms", r, rounds, half, p99.getLast());
            }
            Stats p99Stats = Stats.of(p99);
            Stats cpuStats = Stats.of(cpuPerStart);
            report.put("egress_warmup", warm.summary()).put("egress_warmup_table", Warmup.table(warm))
                    .put("egress_sweep", Steps.sweep(steps, names, egressGoal))
                    .put("egress_knee", knee == null ? "no step met the goal" : Table.f(knee.offered(), 0)
                            + " starts/s (p99 " + Table.f(knee.load().p99Millis(), 1) + " ms)")
                    .put("egress_half", Table.f(half, 1)).put("egress_rounds", roundsTable)
                    .put("egress_p99", p99Stats.format("%.1f")).put("egress_cpu", cpuStats.format("%.0f"))
                    .put("egress_refused", watch.refused.sum() - refusedBefore)
                    .put("egress_errors", Steps.errors(loads));
            report.result("egress_knee", knee == null ? "0" : Table.plain(knee.offered(), 0))
                    .result("egress_p99_ms", Table.plain(p99Stats.median(), 1))
                    .result("egress_cpu_us_per_start", Table.plain(cpuStats.median(), 0));
        }
    }

    /** Sessions with recording enabled, created just before the window that starts them (not measured). */
    private final class Starts {
        private final Http http;
        private final int port;
        private final EgressWatch watch;
        private int created;

        Starts(Http http, int port, EgressWatch watch) {
            this.http = http;
            this.port = port;
            this.watch = watch;
        }

        /** One open-loop window: start k of the window due at start + k / rate; CPU measured when {@code cpu}. */
        Knee.Step window(Cpu cpu, double rate, Duration window) {
            int count = (int) Math.ceil(rate * window.toMillis() / 1000.0) + 2;
            List<String[]> sessions = create(count);
            OpenLoop.Op op = seq -> {
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
            };
            if (cpu == null) {
                OpenLoop.run("egress warm-up", rate, window, 10_000, egressTimeout, op);
                return null;
            }
            return Steps.measured(cpu, rate, () -> OpenLoop.run("egress", rate, window, 10_000, egressTimeout, op));
        }

        /** {@code count} AUDIO sessions with recording enabled, one host each: {id, bearer}. */
        private List<String[]> create(int count) {
            List<CompletableFuture<String[]>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = ++created;
                String host = TestTokens.token(String.format("bench-rec-host-%05d", n));
                futures.add(http.call(HttpMethod.POST, port, "/api/sessions", host, "{\"title\":\"Recording bench "
                        + n + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\",\"settings\":{\"recordingEnabled\":"
                        + "true}}").thenApply(body -> new String[] {body.toJsonObject().getString("id"), host})
                        .toCompletableFuture());
            }
            return futures.stream().map(CompletableFuture::join).toList();
        }
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
        HttpResponse<byte[]> first = get(recording.port(), path, Map.of());
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
        HttpResponse<byte[]> conditional = get(recording.port(), path, Map.of("If-None-Match", etag));
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
            Cpu cpu, List<Cpu.Proc> procs) throws Exception {
        HttpResponse<byte[]> peerFirst = get(peerPort, "/feed", Map.of());
        String peerTag = peerFirst.headers().firstValue("ETag").orElseThrow();
        int bytes = Integer.parseInt(probe.get("bytes"));
        Map<String, OpenLoop.Op> ops = new LinkedHashMap<>();
        ops.put("service_304", feedOp(http, servicePort, path, probe.get("etag"), bytes));
        ops.put("peer_304", feedOp(http, peerPort, "/feed", peerTag, bytes));
        ops.put("service_200", feedOp(http, servicePort, path, null, bytes));
        ops.put("peer_200", feedOp(http, peerPort, "/feed", null, bytes));
        int backlog = connections * 8;
        Warmup.Outcome warm = Warmup.run(new Cpu(procs.subList(0, 2)), jitThreshold, warmupWindow, warmupCap, w -> {
            for (OpenLoop.Op op : ops.values()) {
                OpenLoop.run("warm-up", feedWarmupRate, w.dividedBy(4), backlog, timeout, op);
            }
        });
        List<String> names = procs.stream().map(Cpu.Proc::name).toList();
        List<LoadResult> loads = new ArrayList<>();
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        for (Map.Entry<String, OpenLoop.Op> e : ops.entrySet()) {
            List<Double> rates = e.getKey().endsWith("304") ? feedRates : feedFullRates;
            List<Knee.Step> steps = Knee.sweep(rates, feedGoal, rate -> Steps.measured(cpu, rate,
                    () -> OpenLoop.run(e.getKey(), rate, feedStep, backlog, timeout, e.getValue())));
            steps.forEach(s -> loads.add(s.load()));
            Knee.Step knee = Knee.headline(steps, feedGoal).orElse(null);
            knees.put(e.getKey(), knee);
            report.put("feed_" + e.getKey() + "_sweep", Steps.sweep(steps, names, feedGoal))
                    .put("feed_" + e.getKey() + "_knee", knee == null ? "no step met the goal"
                            : Table.f(knee.offered(), 0) + " requests/s (p99 " + Table.f(knee.load().p99Millis(), 2)
                                    + " ms)");
        }
        double half304 = half(knees.get("service_304"), feedRates);
        double half200 = half(knees.get("service_200"), feedFullRates);
        Table table = roundsTable("request");
        List<Double> cpu304 = new ArrayList<>();
        List<Double> ratio304 = new ArrayList<>();
        List<Double> cpu200 = new ArrayList<>();
        List<Double> ratio200 = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Map<String, Knee.Step> round = new LinkedHashMap<>();
            for (Map.Entry<String, OpenLoop.Op> e : ops.entrySet()) {
                double rate = e.getKey().endsWith("304") ? half304 : half200;
                Knee.Step s = Steps.measured(cpu, rate, () -> OpenLoop.run(e.getKey() + " round", rate, roundWindow,
                        backlog, timeout, e.getValue()));
                round.put(e.getKey(), s);
                loads.add(s.load());
                roundRow(table, r, e.getKey(), s, e.getKey().startsWith("service") ? "recording-service" : "peer");
            }
            cpu304.add(round.get("service_304").cpuMicrosPerOp("recording-service"));
            ratio304.add(cpu304.getLast() / round.get("peer_304").cpuMicrosPerOp("peer"));
            cpu200.add(round.get("service_200").cpuMicrosPerOp("recording-service"));
            ratio200.add(cpu200.getLast() / round.get("peer_200").cpuMicrosPerOp("peer"));
            Log.info("feed round %d/%d: 304 %.0f µs (%.2f × the peer's), 200 %.0f µs (%.2f ×)", r, rounds,
                    cpu304.getLast(), ratio304.getLast(), cpu200.getLast(), ratio200.getLast());
        }
        report.put("feed_body", probe.get("body")).put("feed_warmup", warm.summary())
                .put("feed_warmup_table", Warmup.table(warm)).put("feed_rounds", "At " + Table.f(half304, 0)
                        + " conditional and " + Table.f(half200, 0) + " unconditional requests/s (half the "
                        + "service's knees):\n\n" + table.markdown())
                .put("feed_cpu_304", Stats.of(cpu304).format("%.0f")).put("feed_ratio_304",
                        Stats.of(ratio304).format("%.2f"))
                .put("feed_cpu_200", Stats.of(cpu200).format("%.0f")).put("feed_ratio_200",
                        Stats.of(ratio200).format("%.2f"))
                .put("feed_errors", Steps.errors(loads));
        Knee.Step knee = knees.get("service_304");
        report.result("feed_rps", knee == null ? "0" : Table.plain(knee.offered(), 0))
                .result("feed_cpu_ratio_vs_peer", Table.plain(Stats.of(ratio304).median(), 2));
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
        HttpResponse<byte[]> probe = get(recording.port(), path, Map.of("Authorization", "Bearer " + bearer,
                "Range", "bytes=0-" + (slice - 1)));
        String why = probe != null && probe.statusCode() == 206 && probe.body().length == slice ? null
                : "GET " + path + " with Range: bytes=0-" + (slice - 1) + " answered " + (probe == null ? "nothing"
                        : probe.statusCode() + " with " + probe.body().length + " bytes") + ", not 206 with " + slice;
        return new Range(file, path, bearer, size, slice, why);
    }

    private void range(Report report, Http http, int servicePort, int peerPort, Range range, Cpu cpu,
            List<Cpu.Proc> procs) throws Exception {
        Map<String, OpenLoop.Op> ops = new LinkedHashMap<>();
        ops.put("service", rangeOp(http, servicePort, range.path, range.bearer, range));
        ops.put("peer", rangeOp(http, peerPort, "/file", null, range));
        int backlog = connections * 8;
        Warmup.Outcome warm = Warmup.run(new Cpu(procs.subList(0, 2)), jitThreshold, warmupWindow, warmupCap, w -> {
            for (OpenLoop.Op op : ops.values()) {
                OpenLoop.run("warm-up", rangeWarmupRate, w.dividedBy(2), backlog, timeout, op);
            }
        });
        List<String> names = procs.stream().map(Cpu.Proc::name).toList();
        List<LoadResult> loads = new ArrayList<>();
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        for (Map.Entry<String, OpenLoop.Op> e : ops.entrySet()) {
            List<Knee.Step> steps = Knee.sweep(rangeRates, rangeGoal, rate -> Steps.measured(cpu, rate,
                    () -> OpenLoop.run(e.getKey(), rate, rangeStep, backlog, timeout, e.getValue())));
            steps.forEach(s -> loads.add(s.load()));
            Knee.Step knee = Knee.headline(steps, rangeGoal).orElse(null);
            knees.put(e.getKey(), knee);
            report.put("range_" + e.getKey() + "_sweep", Steps.sweep(steps, names, rangeGoal))
                    .put("range_" + e.getKey() + "_knee", knee == null ? "no step met the goal"
                            : Table.f(knee.offered(), 0) + " ranges/s (p99 " + Table.f(knee.load().p99Millis(), 2)
                                    + " ms, " + Table.f(knee.offered() * range.slice / 1e6, 0) + " MB/s)");
        }
        double half = half(knees.get("service"), rangeRates);
        Table table = roundsTable("range");
        List<Double> serviceCpu = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Map<String, Knee.Step> round = new LinkedHashMap<>();
            for (Map.Entry<String, OpenLoop.Op> e : ops.entrySet()) {
                Knee.Step s = Steps.measured(cpu, half, () -> OpenLoop.run(e.getKey() + " round", half, roundWindow,
                        backlog, timeout, e.getValue()));
                round.put(e.getKey(), s);
                loads.add(s.load());
                roundRow(table, r, e.getKey(), s, e.getKey().equals("service") ? "recording-service" : "peer");
            }
            serviceCpu.add(round.get("service").cpuMicrosPerOp("recording-service"));
            ratio.add(serviceCpu.getLast() / round.get("peer").cpuMicrosPerOp("peer"));
            Log.info("range round %d/%d: %.0f µs/range, %.2f × the peer's", r, rounds, serviceCpu.getLast(),
                    ratio.getLast());
        }
        report.put("range_file", range.size / (1024 * 1024) + " MiB of random bytes at `"
                + range.file.getFileName() + "`, served as `GET " + range.path.replaceAll("[0-9a-f-]{36}", "{id}")
                + "`").put("range_warmup", warm.summary()).put("range_warmup_table", Warmup.table(warm))
                .put("range_half", Table.f(half, 0)).put("range_rounds", table)
                .put("range_cpu", Stats.of(serviceCpu).format("%.0f")).put("range_ratio", Stats.of(ratio)
                        .format("%.2f")).put("range_errors", Steps.errors(loads));
        Knee.Step knee = knees.get("service");
        Knee.Step peerKnee = knees.get("peer");
        report.result("range_knee", knee == null ? "0" : Table.plain(knee.offered(), 0))
                .result("range_peer_knee", peerKnee == null ? "0" : Table.plain(peerKnee.offered(), 0))
                .result("range_cpu_ratio_vs_peer", Table.plain(Stats.of(ratio).median(), 2));
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

    // ---------------------------------------------------------------------------------------------------------------
    // shared

    private static double half(Knee.Step knee, List<Double> rates) {
        return (knee == null ? rates.getFirst() : knee.offered()) / 2;
    }

    private static Table roundsTable(String op) {
        return new Table("round", "target", "achieved /s", "p50 ms", "p99 ms", "errors",
                "server CPU µs/" + op + " (JIT)", "harness CPU µs/" + op);
    }

    private static void roundRow(Table table, int round, String target, Knee.Step s, String server) {
        Cpu.Usage u = s.cpu().get(server);
        table.row(round, target, Table.f(s.load().achieved(), 0), Table.f(s.load().p50Millis(), 2),
                Table.f(s.load().p99Millis(), 2), s.load().errors(), Table.f(u.microsPer(s.load().ok()), 1) + " ("
                        + Table.pct(u.jitShare()) + ")", Table.f(s.cpuMicrosPerOp("harness"), 1));
    }

    /** A GET with the JDK's client (to read headers); null when it failed. */
    private static HttpResponse<byte[]> get(int port, String path, Map<String, String> headers)
            throws InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            headers.forEach(request::header);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            Log.info("GET %s failed: %s", path, e);
            return null;
        }
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
