package io.livestage.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntPredicate;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import io.livestage.events.Topics;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * recording: three parts of recording-service under load (see bench/README.md). (1) egress: sessions with recording
 * enabled are started at a steady rate; measured from the start's 2xx response (the session.started outbox row is
 * committed) to the LiveKit stub accepting StartRoomCompositeEgress for that room, counting refused attempts (the
 * room not created yet). (2) feed: a host's RSS feed of 1,000 published episodes, conditional GETs (If-None-Match) and
 * unconditional ones in a closed loop. (3) range: random 64 KiB ranges of a 50 MB recording file from the service's
 * file endpoint against a plain Vert.x static-file server, A B A B. Parts whose endpoint is missing are skipped and
 * say so.
 */
public final class RecordingBenchmark {
    static final String SESSION_STARTED = "session.started";
    static final String START_EGRESS = "StartRoomCompositeEgress";
    private static final Duration EVENT_GRACE = Duration.ofSeconds(10);
    /** Behind its scheduled time by more than this, a start counts as sent late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final String FEED_HOST = "bench-podcast-host";

    /** What happened to one session start (nanoTime values; 0 when it did not happen). */
    static final class Start {
        final int index;
        final String session;
        long scheduled;
        long sent;
        long responded;
        boolean startOk;
        /** The first StartRoomCompositeEgress for the room that the stub accepted. */
        long egress;
        /** The first StartRoomCompositeEgress for the room, whatever its answer. */
        long firstAttempt;
        /** Attempts the stub refused before the accepted one (not_found: the room did not exist yet, ...). */
        int refused;
        /** token-service's first accepted CreateRoom for the room; 0 when not seen. */
        long roomCreated;
        /** When the harness's own consumer polled the session.started record; 0 when it did not. */
        long polled;
        String error;

        Start(int index, String session) {
            this.index = index;
            this.session = session;
        }
    }

    /** One measured closed-loop window. */
    record Window(String target, int round, ClosedLoop.Result result) {
    }

    /** The feed part: skipped (why) or its windows; CPU per kind of window. */
    record FeedOutcome(String skipped, int episodes, int bodyBytes, String etag, List<Window> windows,
            CpuMeter.Usage conditionalCpu, CpuMeter.Usage unconditionalCpu, List<String> notes) {
        static FeedOutcome skip(String why) {
            return new FeedOutcome(why, 0, 0, null, List.of(), null, null, List.of());
        }
    }

    /** The range part: skipped (why) or its windows; CPU over the service's and over the peer's windows. */
    record RangeOutcome(String skipped, long fileBytes, int sliceBytes, String file, List<Window> windows,
            CpuMeter.Usage serviceCpu, CpuMeter.Usage peerCpu, List<String> notes) {
        static RangeOutcome skip(String why) {
            return new RangeOutcome(why, 0, 0, null, List.of(), null, null, List.of());
        }
    }

    private final RecordingSettings settings;
    private final Http probes;

    public RecordingBenchmark(RecordingSettings settings) {
        this.settings = settings;
        this.probes = new Http(settings.requestTimeout());
    }

    public RecordingReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        try (LiveStack stack = LiveStack.start("recording", settings.stack(), notes)) {
            Path egressDir = settings.stack().repoRoot().resolve("bench/target/recording/out");
            deleteTree(egressDir);
            Files.createDirectories(egressDir);
            stack.livekit.egress().mount("/out", egressDir);
            stack.livekit.notifier().addUrl(stack.tokenService.url() + "/webhooks/livekit");
            TestDatabase recordingDb = stack.postgres.create("livestage_recording_bench_recording");
            try (ServiceProcess recording = RecordingProcess.start(stack, settings.stack(), settings.recordingJar(),
                    recordingDb, "/out", egressDir,
                    settings.stack().repoRoot().resolve("bench/target/recording/recording-service.log"))) {
                List<Start> starts = List.of();
                CpuMeter.Usage egressCpu = null;
                if (settings.runs("egress")) {
                    EgressPhase phase = new EgressPhase(stack, recording, notes);
                    starts = phase.run();
                    egressCpu = phase.cpu;
                }
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                        .setWorkerPoolSize(2).setInternalBlockingPoolSize(2).setPreferNativeTransport(true));
                try {
                    FeedOutcome feed = settings.runs("feed") ? feed(vertx, stack, recordingDb, recording)
                            : FeedOutcome.skip("not run (--phases)");
                    RangeOutcome range = settings.runs("range")
                            ? range(vertx, stack, recordingDb, recording, egressDir)
                            : RangeOutcome.skip("not run (--phases)");
                    egressCalls(Harness.metrics(recording.port()), notes);
                    notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                            + " s including start-up of Kafka, PostgreSQL and the three services.");
                    String load = loadAtStart.isBlank() ? ""
                            : loadAtStart + " before the run, " + Harness.loadAverage() + " after";
                    return new RecordingReport(Harness.machine(), settings, starts, egressCpu, feed, range,
                            stack.describe() + "; recording-service likewise (database " + recordingDb.name()
                                    + ", LIVEKIT_URL = the stub, the stub's egress writing to "
                                    + settings.stack().repoRoot().relativize(egressDir)
                                    + " mounted at /out)", notes, load);
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** recording-service's own count of its egress calls by outcome (whole run), from /q/metrics. */
    private static void egressCalls(String metrics, List<String> notes) {
        if (metrics == null || metrics.isBlank()) {
            return;
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (String outcome : List.of("accepted", "room-missing", "refused", "unavailable")) {
            double value = Harness.sample(metrics, "livestage_recording_egress_calls_total", "call=\"start\"",
                    "outcome=\"" + outcome + "\"");
            if (!Double.isNaN(value) && value > 0) {
                outcomes.put(outcome, Math.round(value));
            }
        }
        if (!outcomes.isEmpty()) {
            notes.add("recording-service's start calls to LiveKit over the whole run (warm-up included), by outcome, "
                    + "from its livestage.recording.egress.calls counter: " + outcomes + ".");
        }
    }

    /** Part 1: session.started → StartRoomCompositeEgress at the stub. */
    private final class EgressPhase {
        private final LiveStack stack;
        private final ServiceProcess recording;
        private final List<String> notes;
        private final Http http = new Http(settings.requestTimeout());
        CpuMeter.Usage cpu;

        EgressPhase(LiveStack stack, ServiceProcess recording, List<String> notes) {
            this.stack = stack;
            this.recording = recording;
            this.notes = notes;
        }

        List<Start> run() throws Exception {
            int port = stack.sessionService.port();
            int total = settings.warmupSessions() + settings.sessions();
            Harness.log("egress: creating " + total + " AUDIO sessions with recording enabled (one host each)");
            List<String> sessions = new ArrayList<>(total);
            List<String> hosts = new ArrayList<>(total);
            for (int i = 1; i <= total; i++) {
                String host = TestTokens.token(String.format("bench-rec-host-%05d", i));
                String id = http.postOk(port, "/api/sessions", host, "{\"title\":\"Recording bench " + i
                        + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\",\"settings\":{\"recordingEnabled\":true}}",
                        "POST /api/sessions").getString("id");
                sessions.add(id);
                hosts.add(host);
            }
            try (EventLatencyProbe probe = new EventLatencyProbe(stack.kafka.bootstrapServers(), Topics.SESSION,
                    SESSION_STARTED, settings.pollTimeout())) {
                probe.awaitAssigned(Duration.ofSeconds(60));
                stack.analyze();
                if (settings.warmupSessions() > 0) {
                    Harness.log("egress warm-up: " + settings.warmupSessions() + " starts at "
                            + Report.trim(settings.warmupRate()) + "/s");
                    List<Start> warm = phase(sessions, hosts, 0, settings.warmupSessions(), settings.warmupRate(),
                            probe, false);
                    long failed = warm.stream().filter(s -> s.error != null).count();
                    Harness.log("egress warm-up: " + (warm.size() - failed) + " recordings started, " + failed
                            + " failed");
                    if (failed > 0) {
                        notes.add("Egress warm-up (not measured): " + failed + " of " + warm.size()
                                + " starts failed " + causes(warm));
                    }
                }
                stack.analyze();
                CpuMeter meter = new CpuMeter(List.of(new CpuMeter.Part("session-service",
                        stack.sessionService.handle()), new CpuMeter.Part("token-service", stack.tokenService.handle()),
                        new CpuMeter.Part("recording-service", recording.handle())),
                        stack.postgres.postmaster(stack.sessionDatabase));
                Harness.log("egress measured: " + settings.sessions() + " starts at " + Report.trim(settings.rate())
                        + "/s (" + Harness.seconds(RecordingSettings.phase(settings.sessions(), settings.rate()))
                        + " s)");
                meter.begin();
                List<Start> measured = phase(sessions, hosts, settings.warmupSessions(), settings.sessions(),
                        settings.rate(), probe, true);
                meter.end();
                cpu = meter.usage().orElse(null);
                long missing = probe.awaitOutstanding(EVENT_GRACE);
                if (missing > 0) {
                    notes.add(missing + " measured session.started events were not polled by the harness's probe "
                            + "within " + EVENT_GRACE.toSeconds() + " s (their split is left out).");
                }
                for (Start start : measured) {
                    start.polled = probe.polledAt(start.session).orElse(0L);
                }
                String relayLag = Harness.outboxLag(Harness.metrics(port));
                if (relayLag != null) {
                    notes.add("session-service's outbox relay lag (commit → Kafka acknowledgement, whole run, from "
                            + "/q/metrics): " + relayLag);
                }
                return measured;
            }
        }

        /** Starts sessions {@code first} .. {@code first + count - 1}, start k at start + k / rate (open loop). */
        private List<Start> phase(List<String> sessions, List<String> hosts, int first, int count, double rate,
                EventLatencyProbe probe, boolean measured) throws InterruptedException {
            long interval = Math.round(1e9 / rate);
            long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            List<Start> starts = new ArrayList<>(count);
            ScheduledExecutorService senders = Executors.newScheduledThreadPool(8,
                    Thread.ofPlatform().name("bench-rec-start-", 0).factory());
            List<CompletableFuture<Void>> done = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                Start start = new Start(first + k, sessions.get(first + k));
                start.scheduled = begin + k * interval;
                starts.add(start);
                String host = hosts.get(first + k);
                CompletableFuture<Void> sent = new CompletableFuture<>();
                done.add(sent);
                senders.schedule(() -> {
                    try {
                        send(start, host, probe, measured);
                    } finally {
                        sent.complete(null);
                    }
                }, start.scheduled - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            try {
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(count * interval / 1_000_000
                        + settings.requestTimeout().toMillis() * 4 + 10_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                Harness.log("egress: not every start was sent in time: " + e);
            } finally {
                senders.shutdownNow();
            }
            awaitEgresses(starts);
            return starts;
        }

        private void send(Start start, String host, EventLatencyProbe probe, boolean measured) {
            start.sent = System.nanoTime();
            probe.expect(start.session, start.sent, measured);
            try {
                Http.Response response = http.post(stack.sessionService.port(), "/api/sessions/" + start.session
                        + "/start", host, null);
                start.responded = System.nanoTime();
                if (response.ok()) {
                    start.startOk = true;
                    probe.responded(start.session, start.responded);
                } else {
                    start.error = "start " + response.status();
                    probe.forget(start.session);
                }
            } catch (IOException e) {
                start.error = "start failed: " + e.getClass().getSimpleName();
                probe.forget(start.session);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                start.error = "interrupted";
                probe.forget(start.session);
            }
        }

        /** Waits until the stub accepted an egress for every started room (or the timeout), then reads the calls. */
        private void awaitEgresses(List<Start> starts) throws InterruptedException {
            long deadline = System.nanoTime() + settings.egressTimeout().toNanos();
            Map<String, List<RecordedCall>> byRoom = Map.of();
            while (true) {
                byRoom = callsByRoom(START_EGRESS);
                Map<String, List<RecordedCall>> rooms = byRoom;
                boolean all = starts.stream().filter(s -> s.startOk)
                        .allMatch(s -> rooms.getOrDefault(s.session, List.of()).stream()
                                .anyMatch(RecordedCall::succeeded));
                if (all || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(100);
            }
            Map<String, List<RecordedCall>> created = callsByRoom("CreateRoom");
            for (Start start : starts) {
                if (!start.startOk) {
                    continue;
                }
                List<RecordedCall> calls = byRoom.getOrDefault(start.session, List.of());
                apply(start, calls, created.getOrDefault(start.session, List.of()));
                if (start.egress == 0) {
                    start.error = "no " + START_EGRESS + " accepted within " + settings.egressTimeout().toMillis()
                            + " ms (" + calls.size() + " attempts)";
                }
            }
        }

        private Map<String, List<RecordedCall>> callsByRoom(String method) {
            Map<String, List<RecordedCall>> out = new HashMap<>();
            for (RecordedCall call : stack.livekit.calls(method)) {
                out.computeIfAbsent(call.room(), r -> new ArrayList<>()).add(call);
            }
            return out;
        }
    }

    /** Fills the egress fields of {@code start} from the stub's calls for its room (in any order). */
    static void apply(Start start, List<RecordedCall> egressCalls, List<RecordedCall> createRoomCalls) {
        List<RecordedCall> calls = new ArrayList<>(egressCalls);
        calls.sort(Comparator.comparingLong(RecordedCall::receivedNanos));
        int refused = 0;
        for (RecordedCall call : calls) {
            if (start.firstAttempt == 0) {
                start.firstAttempt = call.receivedNanos();
            }
            if (call.succeeded()) {
                start.egress = call.receivedNanos();
                break;
            }
            refused++;
        }
        start.refused = refused;
        createRoomCalls.stream().filter(RecordedCall::succeeded).mapToLong(RecordedCall::receivedNanos).min()
                .ifPresent(at -> start.roomCreated = at);
    }

    static String causes(List<Start> starts) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        starts.stream().filter(s -> s.error != null).forEach(s -> byCause.merge(s.error, 1L, Long::sum));
        return byCause.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 2: the feed

    private FeedOutcome feed(Vertx vertx, LiveStack stack, TestDatabase db, ServiceProcess recording)
            throws Exception {
        List<String> notes = new ArrayList<>();
        boolean table;
        try (Connection connection = stack.postgres.server().open(db)) {
            table = RecordingSeed.hasEpisodes(connection);
            if (table) {
                long seedStart = System.nanoTime();
                RecordingSeed.publishedEpisodes(connection, FEED_HOST, settings.episodes());
                Harness.log("feed: inserted " + settings.episodes() + " published episodes of " + FEED_HOST + " in "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - seedStart) + " ms");
            }
        }
        String path = "/podcast/feeds/hosts/" + FEED_HOST + ".xml";
        HttpResponse<byte[]> first;
        try {
            first = get(recording.port(), path, null, Map.of());
        } catch (IOException e) {
            return FeedOutcome.skip("GET " + path + " failed: " + e.getMessage());
        }
        if (first.statusCode() == 404) {
            String why = "endpoint not available (404): GET " + path + " answered 404"
                    + (table ? "" : "; recording-service has no episodes table either (the podcast library and feeds "
                            + "are not on this branch), so no episodes were inserted");
            Harness.log("feed: skipped, " + why);
            return FeedOutcome.skip(why);
        }
        if (first.statusCode() != 200) {
            return FeedOutcome.skip("GET " + path + " answered " + first.statusCode() + ", not 200");
        }
        String etag = first.headers().firstValue("ETag").orElse(null);
        if (etag == null) {
            return FeedOutcome.skip("GET " + path + " answered 200 without an ETag: nothing to make conditional");
        }
        int bodyBytes = first.body().length;
        int items = countOccurrences(first.body(), "<item>");
        if (items != settings.episodes()) {
            notes.add("The feed lists " + items + " items, not the " + settings.episodes() + " episodes inserted.");
        }
        HttpResponse<byte[]> conditional = get(recording.port(), path, null, Map.of("If-None-Match", etag));
        if (conditional.statusCode() != 304) {
            notes.add("A GET with If-None-Match: " + etag + " answered " + conditional.statusCode()
                    + ", not 304: every conditional request below counts as an error.");
        }
        Harness.log("feed: " + bodyBytes + " bytes, " + items + " items, ETag " + etag);

        int connections = settings.feedConnections();
        var client = Harness.client(vertx, connections);
        LoadRequest.Source source = random -> new LoadRequest("feed", HttpMethod.GET, path, null, null);
        ClosedLoop conditionalLoop = new ClosedLoop(vertx, client, recording.port(), source, settings.requestTimeout(),
                null, r -> Map.of("If-None-Match", etag, "Accept", "*/*"), status -> status == 304);
        ClosedLoop fullLoop = new ClosedLoop(vertx, client, recording.port(), source, settings.requestTimeout(),
                (r, body) -> {
                    if (body.length() != bodyBytes) {
                        throw new IllegalStateException("feed of " + body.length() + " bytes");
                    }
                }, r -> Map.of("Accept", "*/*"), status -> status == 200);
        Duration slice = Duration.ofSeconds(5);
        Harness.log("feed warm-up: " + settings.feedWarmup().toSeconds() + " s, conditional and full in turn");
        warmUp(List.of(conditionalLoop, fullLoop), connections, settings.feedWarmup(), slice);
        stack.postgres.analyze(db);

        CpuMeter.Part service = new CpuMeter.Part("recording-service", recording.handle());
        ProcessHandle postmaster = stack.postgres.postmaster(db);
        CpuMeter conditionalCpu = new CpuMeter(List.of(service), postmaster);
        CpuMeter fullCpu = new CpuMeter(List.of(service), postmaster);
        Duration window = settings.feedDuration().dividedBy(settings.feedRounds());
        List<Window> windows = new ArrayList<>();
        for (int round = 1; round <= settings.feedRounds(); round++) {
            Harness.log("feed round " + round + "/" + settings.feedRounds() + ": " + Harness.seconds(window)
                    + " s conditional, then " + Harness.seconds(window) + " s unconditional");
            windows.add(measure(conditionalLoop, RecordingReport.FEED_304, round, window, connections,
                    conditionalCpu));
            windows.add(measure(fullLoop, RecordingReport.FEED_200, round, window, connections, fullCpu));
        }
        return new FeedOutcome(null, items, bodyBytes, etag, windows, conditionalCpu.usage().orElse(null),
                fullCpu.usage().orElse(null), notes);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 3: byte ranges of a recording file against a plain Vert.x static-file server

    private RangeOutcome range(Vertx vertx, LiveStack stack, TestDatabase db, ServiceProcess recording, Path egressDir)
            throws Exception {
        List<String> notes = new ArrayList<>();
        String host = "bench-range-host";
        UUID session;
        UUID recordingId;
        Path file;
        try (Connection connection = stack.postgres.server().open(db)) {
            session = RecordingSeed.session(connection, host, "Range bench");
            recordingId = RecordingSeed.recording(connection, session, host);
            String name = recordingId + "-bench.mp3";
            file = egressDir.resolve(session.toString()).resolve(name);
            writeFile(file, settings.fileBytes());
            RecordingSeed.completedMp3(connection, recordingId, "/out/" + session + "/" + name,
                    settings.fileBytes(), settings.fileBytes() / 16);
        }
        Harness.log("range: " + settings.fileMb() + " MB file " + file + ", COMPLETE MP3 output of recording "
                + recordingId);
        String bearer = TestTokens.token("bench-range-listener");
        String path = "/api/sessions/" + session + "/recordings/" + recordingId + "/files/mp3";
        int slice = settings.sliceKib() * 1024;
        HttpResponse<byte[]> probe;
        try {
            probe = get(recording.port(), path, bearer, Map.of("Range", "bytes=0-" + (slice - 1)));
        } catch (IOException e) {
            String why = "GET " + path + " with Range: bytes=0-" + (slice - 1) + " failed: " + e.getMessage()
                    + "; what the service sent, read from a plain socket for 3 s: `"
                    + peek(recording.port(), path, bearer, "bytes=0-" + (slice - 1)) + "`";
            Harness.log("range: skipped, " + why);
            return RangeOutcome.skip(why);
        }
        if (probe.statusCode() == 404) {
            String why = "endpoint not available (404): GET " + path + " answered 404 (recording-service's file "
                    + "endpoint is not on this branch)";
            Harness.log("range: skipped, " + why);
            return RangeOutcome.skip(why);
        }
        if (probe.statusCode() != 206 || probe.body().length != slice) {
            return RangeOutcome.skip("GET " + path + " with Range: bytes=0-" + (slice - 1) + " answered "
                    + probe.statusCode() + " with " + probe.body().length + " bytes, not 206 with " + slice);
        }
        try (RangeFloorServer.Process peer = RangeFloorServer.Process.start(file,
                settings.stack().repoRoot().resolve("bench/target/recording/range-floor.log"))) {
            HttpResponse<byte[]> peerProbe = get(peer.port, "/file", null, Map.of("Range", "bytes=0-" + (slice - 1)));
            if (peerProbe.statusCode() != 206 || peerProbe.body().length != slice) {
                throw new IllegalStateException("the range floor server answered " + peerProbe.statusCode());
            }
            int connections = settings.rangeConnections();
            long size = settings.fileBytes();
            LoadRequest.Source serviceSource = random -> rangeRequest(path, bearer, random.nextLong(size - slice + 1),
                    slice);
            LoadRequest.Source peerSource = random -> rangeRequest("/file", null, random.nextLong(size - slice + 1),
                    slice);
            Function<LoadRequest, Map<String, String>> rangeHeader = r -> {
                long offset = (Long) r.context();
                return Map.of("Range", "bytes=" + offset + "-" + (offset + slice - 1), "Accept", "*/*");
            };
            IntPredicate partial = status -> status == 206;
            BiConsumer<LoadRequest, Buffer> check = (r, body) -> {
                if (body.length() != slice) {
                    throw new IllegalStateException("range of " + body.length() + " bytes");
                }
            };
            ClosedLoop serviceLoop = new ClosedLoop(vertx, Harness.client(vertx, connections), recording.port(),
                    serviceSource, settings.requestTimeout(), check, rangeHeader, partial);
            ClosedLoop peerLoop = new ClosedLoop(vertx, Harness.client(vertx, connections), peer.port, peerSource,
                    settings.requestTimeout(), check, rangeHeader, partial);
            Harness.log("range warm-up: " + settings.rangeWarmup().toSeconds() + " s each, service and peer in turn");
            warmUp(List.of(serviceLoop, peerLoop), connections, settings.rangeWarmup().multipliedBy(2),
                    Duration.ofSeconds(5));
            List<CpuMeter.Part> parts = List.of(new CpuMeter.Part("recording-service", recording.handle()),
                    new CpuMeter.Part("Vert.x static-file peer", peer.handle()));
            ProcessHandle postmaster = stack.postgres.postmaster(db);
            CpuMeter serviceCpu = new CpuMeter(parts, postmaster);
            CpuMeter peerCpu = new CpuMeter(parts, postmaster);
            Duration window = settings.rangeDuration().dividedBy(settings.rangeRounds());
            List<Window> windows = new ArrayList<>();
            for (int round = 1; round <= settings.rangeRounds(); round++) {
                Harness.log("range round " + round + "/" + settings.rangeRounds() + ": " + Harness.seconds(window)
                        + " s service, then " + Harness.seconds(window) + " s peer");
                windows.add(measure(serviceLoop, RecordingReport.RANGE_SERVICE, round, window, connections,
                        serviceCpu));
                windows.add(measure(peerLoop, RecordingReport.RANGE_PEER, round, window, connections, peerCpu));
            }
            return new RangeOutcome(null, size, slice,
                    settings.stack().repoRoot().relativize(file).toString(), windows, serviceCpu.usage().orElse(null),
                    peerCpu.usage().orElse(null), notes);
        }
    }

    private static LoadRequest rangeRequest(String path, String bearer, long offset, int slice) {
        return new LoadRequest("range", HttpMethod.GET, path, bearer, null, offset);
    }

    /** Runs the loops in turn, {@code slice} each, until {@code total} has passed. */
    private void warmUp(List<ClosedLoop> loops, int connections, Duration total, Duration slice) throws Exception {
        long end = System.nanoTime() + total.toNanos();
        int turn = 0;
        while (System.nanoTime() < end) {
            Duration left = Duration.ofNanos(end - System.nanoTime());
            Duration window = Harness.min(slice, left);
            if (window.toMillis() < 100) {
                break;
            }
            ClosedLoop loop = loops.get(turn++ % loops.size());
            Harness.await(loop.run("warm-up", connections, settings.clientThreads(), window, settings.maxRequests()),
                    window.plus(settings.requestTimeout()).plusSeconds(10));
        }
    }

    private Window measure(ClosedLoop loop, String target, int round, Duration window, int connections, CpuMeter cpu)
            throws Exception {
        cpu.begin();
        ClosedLoop.Result result = Harness.await(loop.run(target, connections, settings.clientThreads(), window,
                settings.maxRequests()), window.plus(settings.requestTimeout()).plusSeconds(10));
        cpu.end();
        Harness.log(String.format(Locale.ROOT, "  %s: %.0f ok/s, %d errors", target, result.okPerSecond(),
                result.errors()));
        return new Window(target, round, result);
    }

    private HttpResponse<byte[]> get(int port, String path, String bearer, Map<String, String> headers)
            throws IOException, InterruptedException {
        return probes.get(port, path, bearer, headers);
    }

    /**
     * The raw answer to a GET (status line, headers, up to 2 KB of body, control characters escaped) as far as it
     * arrives within 3 s: to say in the report what a server that breaks a response actually sent.
     */
    static String peek(int port, String path, String bearer, String range) {
        StringBuilder out = new StringBuilder();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: " + range
                    + (bearer == null ? "" : "\r\nAuthorization: Bearer " + bearer) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[2048];
            int total = 0;
            try {
                for (int n; total < buffer.length && (n = socket.getInputStream().read(buffer, total,
                        buffer.length - total)) > 0;) {
                    total += n;
                }
            } catch (SocketTimeoutException stalled) {
                out.append("[stalled after ").append(total).append(" bytes] ");
            }
            String text = new String(buffer, 0, total, StandardCharsets.ISO_8859_1);
            int headerEnd = text.indexOf("\r\n\r\n");
            out.append(headerEnd < 0 ? "" : "[body " + (total - headerEnd - 4) + " bytes] ");
            out.append(text.replace("\r\n", " | ").replaceAll("[^\\x20-\\x7e|]", "."));
        } catch (IOException e) {
            out.append("socket failed: ").append(e);
        }
        return out.length() > 1_200 ? out.substring(0, 1_200) + "…" : out.toString();
    }

    static int countOccurrences(byte[] body, String needle) {
        String text = new String(body, StandardCharsets.UTF_8);
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** {@code bytes} of pseudo-random data (fixed seed), written in 1 MiB blocks. */
    static void writeFile(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = bytes;
            while (left > 0) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
