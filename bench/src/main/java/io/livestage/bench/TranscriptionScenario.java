package io.livestage.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import io.livestage.bench.TranscriptionLoad.Group;
import io.livestage.bench.TranscriptionLoad.Sent;
import io.livestage.bench.TranscriptionLoad.Speaker;
import io.livestage.bench.TranscriptionLoad.Window;
import io.livestage.bench.TranscriptionLoad.WindowStats;
import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.EventWatch;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Jfr;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Table;
import io.livestage.events.Topics;
import io.livestage.testing.gladia.GladiaSession;
import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run transcription}: speakers on stage streaming real-time 16 kHz audio through transcription-service
 * to the Gladia contract stub (in the harness), their captions reaching viewers' room sockets on chat-service.
 */
public final class TranscriptionScenario implements Scenario {
    /** 16 kHz mono PCM16. */
    static final int SAMPLE_RATE = 16_000;
    static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;
    private static final int CONNECT_BATCH = 10;
    private static final Duration KAFKA_HOP_PERIOD = Duration.ofMillis(50);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SERVICES = List.of("transcription-service", "chat-service", "session-service");

    private final int sessions;
    private final int speakersPerSession;
    private final int viewersPerSession;
    private final Duration chunk;
    private final Duration utterance;
    private final int warmupWindows;
    private final Duration warmupWindow;
    private final Duration window;
    private final Duration floorWindow;
    private final int rounds;
    private final Duration drain;
    private final int clientThreads;
    private final boolean jfr;
    private final Duration pollTimeout;
    private final double jitThreshold;
    private final double relayGoalMillis;
    private final double captionGoalMillis;

    public TranscriptionScenario(Knobs k) {
        sessions = k.integer("sessions", 25);
        speakersPerSession = k.integer("speakers-per-session", 4);
        viewersPerSession = k.integer("viewers-per-session", 2);
        chunk = k.duration("chunk", "100ms");
        utterance = k.duration("utterance", "1s");
        warmupWindow = k.duration("warmup-window", "10s");
        warmupWindows = (int) (k.duration("warmup", "60s").toMillis() / Math.max(1, warmupWindow.toMillis()));
        window = k.duration("window", "12s");
        floorWindow = k.duration("floor-window", "4s");
        rounds = k.integer("rounds", 5);
        drain = k.duration("drain", "3s");
        clientThreads = k.integer("client-threads", 2);
        jfr = k.flag("jfr", false);
        pollTimeout = k.duration("poll", "5ms");
        jitThreshold = k.decimal("jit-threshold", 0.05);
        relayGoalMillis = k.decimal("relay-goal-ms", 2);
        captionGoalMillis = k.decimal("caption-goal-ms", 20);
        Knobs.require(sessions >= 1 && sessions <= 100, "sessions must be 1..100");
        Knobs.require(speakersPerSession >= 1 && speakersPerSession <= 10, "speakers-per-session must be 1..10");
        Knobs.require(sessions * speakersPerSession <= 400, "sessions × speakers-per-session must be at most 400");
        Knobs.require(viewersPerSession >= 1 && viewersPerSession <= 50, "viewers-per-session must be 1..50");
        Knobs.require(chunk.toMillis() >= 10 && chunk.toMillis() <= 1000 && chunk.toMillis() % 10 == 0,
                "chunk must be 10ms..1s, a multiple of 10 ms");
        Knobs.require(utterance.toMillis() >= 200 && utterance.compareTo(chunk) >= 0,
                "utterance must be at least 200ms and at least chunk");
        Knobs.require(warmupWindow.toMillis() >= 1000, "warmup-window must be at least 1s");
        Knobs.require(window.toMillis() >= 1000 && floorWindow.toMillis() >= 1000, "windows must be at least 1s");
        Knobs.require(rounds >= 1 && rounds <= 20, "rounds must be 1..20");
        Knobs.require(clientThreads >= 1 && clientThreads <= 8, "client-threads must be 1..8");
    }

    private int speakers() {
        return sessions * speakersPerSession;
    }

    private Duration streaming() {
        return warmupWindow.multipliedBy(warmupWindows).plus(window.plus(floorWindow).multipliedBy(rounds));
    }

    @Override
    public Duration budget() {
        return streaming().multipliedBy(2).plus(drain.multipliedBy(4)).plus(Duration.ofMinutes(8));
    }

    @Override
    public Report run(Run run) throws Exception {
        try (Admin admin = run.kafka().admin()) {
            admin.createTopics(List.of(new NewTopic(KafkaHop.TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        GladiaStub gladia = run.own(GladiaStub.start().retainAudio(false).utteranceDuration(utterance));
        run.describe("Gladia: the testing module's GladiaStub (Netty) in the harness JVM, retainAudio(false), "
                + "utterances of " + utterance.toMillis() + " ms (a partial at half, the final at the end)");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess chat = run.service("chat-service", b -> b);
        ServiceProcess transcription = run.service("transcription-service", b -> b
                .env("GLADIA_URL", gladia.baseUrl()).env("GLADIA_API_KEY", gladia.apiKey()));
        List<String> ids = createSessions(session.port());

        Vertx vertx = FanoutClient.vertx(clientThreads);
        run.own(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        int capacity = (int) (streaming().toNanos() / chunk.toNanos()) + 100;
        TranscriptionLoad load = run.own(new TranscriptionLoad(vertx, (int) (BYTES_PER_SECOND * chunk.toMillis()
                / 1000), chunk.toNanos(), capacity));
        gladia.onAudio(load::onAudio).onTranscript(load::onTranscript);
        Vertx floorVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        run.own(() -> floorVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        String floor = "ws://127.0.0.1:" + Floors.relay(floorVertx, gladia.port(), gladia.apiKey()).actualPort()
                + "/floor";
        run.describe("the floor: a plain Vert.x relay in the harness JVM on its own Vert.x instance (1 event loop) at "
                + floor + ", to the same stub: per speaker socket POST /v2/live + connect, then binary frames "
                + "forwarded as they are and transcript messages forwarded back; no auth, acknowledgement tracking, "
                + "resend buffer, database or Kafka");
        for (int i = 1; i <= warmupWindows; i++) {
            load.plan(Group.SERVICE, "warm-up " + i, 0, false, warmupWindow.toNanos());
        }
        load.plan(Group.FLOOR, "floor warm-up", 0, false, floorWindow.toNanos());
        for (int r = 1; r <= rounds; r++) {
            load.plan(Group.SERVICE, "round " + r + " services", r, true, window.toNanos());
            load.plan(Group.FLOOR, "round " + r + " floor", r, true, floorWindow.toNanos());
        }

        // viewers first: a caption reaches only the sockets already in the room
        String chatWs = chat.url().replace("http://", "ws://");
        List<CompletableFuture<Void>> welcomes = new ArrayList<>();
        for (int s = 0; s < ids.size(); s++) {
            for (int v = 0; v < viewersPerSession; v++) {
                String user = String.format("bench-tr-viewer-%02d-%02d", s + 1, v + 1);
                welcomes.add(load.connect(load.addViewer(ids.get(s), v, TestTokens.token(user)),
                        chatWs + "/ws/sessions/" + ids.get(s)));
            }
        }
        CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        Log.info("viewers: %d welcomed", welcomes.size());
        String speakerWs = transcription.url().replace("http://", "ws://");
        List<Speaker> serviceSpeakers = new ArrayList<>();
        for (int s = 0; s < ids.size(); s++) {
            for (int p = 0; p < speakersPerSession; p++) {
                String user = speakerUser(s, p);
                serviceSpeakers.add(load.addSpeaker(Group.SERVICE, ids.get(s), user, TestTokens.token(user)));
            }
        }
        connectAll(load, serviceSpeakers, sp -> speakerWs + "/ws/sessions/" + sp.session + "/transcription");
        List<Speaker> floorSpeakers = new ArrayList<>();
        for (int i = 0; i < speakers(); i++) {
            floorSpeakers.add(load.addSpeaker(Group.FLOOR, null, "floor-" + (i + 1), null));
        }
        connectAll(load, floorSpeakers, sp -> floor);
        Log.info("speakers: %d through transcription-service, %d through the floor relay, ready",
                serviceSpeakers.size(), floorSpeakers.size());

        EventWatch tap = run.own(new EventWatch(run.kafka().bootstrapServers(), Topics.TRANSCRIPT, pollTimeout,
                load::tapped));
        tap.awaitAssigned(Duration.ofSeconds(60));
        KafkaHop hop = run.own(new KafkaHop(run.kafka().bootstrapServers(), KAFKA_HOP_PERIOD, pollTimeout));
        run.describe("the Kafka hop alone: " + hop.describe());

        List<Cpu.Proc> procs = run.procs(transcription.database(), true, Cpu.Proc.of(transcription),
                Cpu.Proc.of(chat), Cpu.Proc.of(session));
        Cpu cpu = new Cpu(procs);
        List<Map<String, Cpu.Usage>> serviceCpu = new ArrayList<>();
        List<Map<String, Cpu.Usage>> floorCpu = new ArrayList<>();
        Map<Integer, Map<String, Cpu.Usage>> perWindow = new LinkedHashMap<>();
        Map<Integer, Cpu.Sample> starts = new LinkedHashMap<>();
        List<Jfr> profiles = jfr ? List.of(new Jfr("transcription-service", transcription.pid(),
                run.dir().resolve("transcription-service.jfr"))) : List.of();
        int firstMeasured = load.windows.stream().filter(w -> w.measured).mapToInt(w -> w.index).min().orElse(-1);
        int lastMeasured = load.windows.stream().filter(w -> w.measured).mapToInt(w -> w.index).max().orElse(-1);
        List<Jfr.Frame> top = new ArrayList<>();
        ExecutorService events = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
                .name("bench-window-events").daemon().unstarted(r));
        run.own(events::shutdownNow);
        load.start(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500), w -> events.execute(() -> {
            Log.info("%s (%s s)", w.label, Table.plain(w.lengthNanos / 1e9, 1));
            starts.put(w.index, cpu.sample());
            if (w.measured && w.group == Group.SERVICE) {
                hop.on(true);
            }
            if (w.index == firstMeasured) {
                profiles.forEach(Jfr::start);
            }
        }), w -> events.execute(() -> {
            Map<String, Cpu.Usage> usage = Cpu.between(starts.get(w.index), cpu.sample());
            perWindow.put(w.index, usage);
            if (w.measured) {
                (w.group == Group.SERVICE ? serviceCpu : floorCpu).add(usage);
                hop.on(false);
            }
            if (w.index == lastMeasured) {
                profiles.forEach(p -> top.addAll(p.stopAndTop(15)));
            }
        }));
        load.awaitSchedule(streaming().toMillis() + 60_000);
        Thread.sleep(drain.toMillis());
        String metrics = io.livestage.bench.core.Metrics.of(transcription.port());
        load.stopSpeakers(load.speakers);
        long closeDeadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        List<String> notes = new ArrayList<>();
        int notClosed = 0;
        for (Speaker s : load.speakers) {
            try {
                s.closed.get(Math.max(1, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                notClosed++;
            }
        }
        if (notClosed > 0) {
            notes.add(notClosed + " stream(s) were not closed " + CLOSE_TIMEOUT.toSeconds() + " s after their stop; "
                    + "their byte counts may fall short.");
        }
        events.submit(() -> { }).get(60, TimeUnit.SECONDS);
        return report(run, load, gladia, hop, serviceCpu, floorCpu, perWindow, top, metrics, notes);
    }

    private Report report(Run run, TranscriptionLoad load, GladiaStub gladia, KafkaHop hop,
            List<Map<String, Cpu.Usage>> serviceCpu, List<Map<String, Cpu.Usage>> floorCpu,
            Map<Integer, Map<String, Cpu.Usage>> perWindow, List<Jfr.Frame> top,
            String metrics, List<String> notes) {
        Histogram relayService = histogram();
        Histogram relayFloor = histogram();
        Histogram relayIntended = histogram();
        Histogram captions = histogram();
        Histogram floorCaptions = histogram();
        long serviceChunks = 0;
        long floorChunks = 0;
        long captionsCounted = 0;
        Table relay = Table.latencies("window: path");
        Table caption = Table.latencies("window: captions");
        Table deliveries = new Table("window", "transcripts at the stub", "of which partials",
                "caption frames expected", "received", "missing", "duplicates");
        Table schedule = new Table("window", "seconds", "chunks written", "chunks/s", "at the stub", "late (> 5 ms)",
                "send lag p99 ms", "JIT share (transcription-, chat-, session-service)");
        Table rounds = new Table("round", "service p50 ms", "floor p50 ms", "service p99 ms", "floor p99 ms",
                "p99 ratio");
        Map<Integer, Histogram[]> byRound = new LinkedHashMap<>();
        List<Double> ratios = new ArrayList<>();
        String settledAt = null;
        for (Window w : load.windows) {
            WindowStats s = load.stats[w.index];
            Map<String, Cpu.Usage> usage = perWindow.get(w.index);
            String jit = usage == null ? "" : String.join(", ", SERVICES.stream()
                    .map(n -> Table.pct(usage.get(n).jitShare())).toList());
            if (w.group == Group.SERVICE && !w.measured && settledAt == null && usage != null
                    && SERVICES.stream().allMatch(n -> usage.get(n).jitShare() < jitThreshold)) {
                settledAt = w.label;
            }
            Histogram sendLag = TranscriptionLoad.snapshot(s.sendLag);
            schedule.row(w.label, Table.f(w.seconds(), 2), s.chunksSent.sum(),
                    Table.f(s.chunksSent.sum() / Math.max(1e-9, w.seconds()), 0), s.chunksAtStub.sum(),
                    s.lateSends.sum(), Table.ms(sendLag.getValueAtPercentile(99)), jit);
            if (!w.measured) {
                continue;
            }
            Histogram r = TranscriptionLoad.snapshot(s.relay);
            String path = w.group == Group.SERVICE ? "transcription-service" : "floor relay";
            relay.latency(w.label + ": " + path, r);
            byRound.computeIfAbsent(w.round, x -> new Histogram[2])[w.group.ordinal()] = r;
            deliveries.row(w.label, s.transcripts.sum(), s.partials.sum(), s.expectedDeliveries.sum(),
                    s.deliveries.sum(), s.expectedDeliveries.sum() - s.deliveries.sum(), s.duplicates.sum());
            if (w.group == Group.SERVICE) {
                relayService.add(r);
                relayIntended.add(TranscriptionLoad.snapshot(s.intendedToStub));
                Histogram partial = TranscriptionLoad.snapshot(s.captionPartial);
                Histogram fin = TranscriptionLoad.snapshot(s.captionFinal);
                caption.latency(w.label + ": partials", partial);
                caption.latency(w.label + ": finals", fin);
                captions.add(partial);
                captions.add(fin);
                serviceChunks += s.chunksAtStub.sum();
                captionsCounted += s.deliveries.sum();
            } else {
                relayFloor.add(r);
                floorCaptions.add(TranscriptionLoad.snapshot(s.floorCaption));
                floorChunks += s.chunksAtStub.sum();
            }
        }
        byRound.forEach((round, h) -> {
            if (h[0] != null && h[1] != null) {
                double ratio = h[0].getValueAtPercentile(99) / Math.max(1.0, h[1].getValueAtPercentile(99));
                ratios.add(ratio);
                rounds.row(round, Table.ms(h[0].getValueAtPercentile(50)), Table.ms(h[1].getValueAtPercentile(50)),
                        Table.ms(h[0].getValueAtPercentile(99)), Table.ms(h[1].getValueAtPercentile(99)),
                        Table.f(ratio, 2) + "×");
            }
        });
        relay.latency("all service windows: transcription-service", relayService);
        relay.latency("all floor windows: plain relay", relayFloor);
        relay.latency("service windows, from the intended send (incl. the harness's lateness)", relayIntended);
        caption.latency("all service windows: all", captions);
        caption.latency("floor: stub → relay → speaker socket (one hop back)", floorCaptions);
        Table stages = Table.latencies("stage of the caption path");
        splits(load, wallOffsetNanos()).forEach(stages::latency);
        stages.latency("for scale: the Kafka hop alone (harness producer → consumer, same broker)", hop.latency());

        Table cpuTable = new Table("process", "service windows: cores", "µs per chunk", "µs per caption",
                "JIT share", "floor windows: cores", "µs per chunk");
        for (String name : serviceCpu.isEmpty() ? Set.<String>of() : serviceCpu.getFirst().keySet()) {
            Cpu.Usage a = Cpu.total(serviceCpu, name);
            Cpu.Usage b = Cpu.total(floorCpu, name);
            cpuTable.row(name, Table.f(a.cores(), 2), Table.f(a.microsPer(serviceChunks), 1),
                    Table.f(a.microsPer(captionsCounted), 1), Table.pct(a.jitShare()), Table.f(b.cores(), 2),
                    Table.f(b.microsPer(floorChunks), 1));
        }
        long chunks = serviceChunks;
        double ourMicros = SERVICES.stream().mapToDouble(n -> Cpu.total(serviceCpu, n).microsPer(chunks)).sum();
        double harnessFloor = Cpu.total(floorCpu, "harness").microsPer(floorChunks);
        double harnessService = Cpu.total(serviceCpu, "harness").microsPer(serviceChunks);

        Table bytes = new Table("streams", "count", "bytes sent by the harness", "bytes counted by the stub", "equal",
                "reconnects", "not ended");
        boolean bytesEqual = true;
        for (Group group : Group.values()) {
            long[] b = bytes(gladia, load.speakers(group));
            bytesEqual &= b[0] == b[1] && b[4] == 0;
            bytes.row(group == Group.SERVICE ? "through transcription-service" : "through the floor relay",
                    load.speakers(group).size(), String.format(Locale.ROOT, "%,d", b[0]),
                    String.format(Locale.ROOT, "%,d", b[1]), b[0] == b[1] && b[4] == 0 ? "yes" : "NO", b[2], b[3]);
        }
        if (!gladia.violations().isEmpty()) {
            notes.add("The Gladia stub saw " + gladia.violations().size() + " protocol violation(s), first: "
                    + gladia.violations().getFirst());
        }
        counters(load, notes);
        String lag = io.livestage.bench.core.Metrics.outboxLag(metrics);
        if (lag != null) {
            notes.add("transcription-service's outbox relay lag (livestage.outbox.lag from /q/metrics after the last "
                    + "window, warm-up included): " + lag);
        }
        Stats ratio = Stats.of(ratios);
        Report report = Report.load("transcription");
        report.put("speakers", speakers()).put("sessions", sessions).put("speakers_per_session", speakersPerSession)
                .put("viewers", sessions * viewersPerSession).put("chunk_ms", chunk.toMillis())
                .put("chunk_bytes", BYTES_PER_SECOND * chunk.toMillis() / 1000)
                .put("utterance_ms", utterance.toMillis()).put("rounds", this.rounds)
                .put("window_s", Table.plain(window.toMillis() / 1000.0, 1))
                .put("floor_window_s", Table.plain(floorWindow.toMillis() / 1000.0, 1))
                .put("warmup", (settledAt == null ? "JIT NOT settled below " + Table.pct(jitThreshold)
                        + " in any warm-up window" : "JIT share of every service below " + Table.pct(jitThreshold)
                        + " from " + settledAt) + " (" + warmupWindows + " warm-up windows of "
                        + Table.plain(warmupWindow.toMillis() / 1000.0, 1) + " s)")
                .put("relay_goal", goal(relayService, relayGoalMillis))
                .put("caption_goal", goal(captions, captionGoalMillis))
                .put("relay_p99", Table.ms(relayService.getValueAtPercentile(99)))
                .put("floor_p99", Table.ms(relayFloor.getValueAtPercentile(99)))
                .put("caption_p99", Table.ms(captions.getValueAtPercentile(99)))
                .put("ratio", ratios.isEmpty() ? "n/a" : ratio.format("%.2f×"))
                .put("bytes_equal", bytesEqual ? "equal" : "NOT equal")
                .put("relay", relay).put("rounds_table", rounds).put("captions", caption).put("stages", stages)
                .put("deliveries", deliveries).put("schedule", schedule).put("bytes", bytes).put("cpu", cpuTable)
                .put("our_us", Table.f(ourMicros, 1)).put("harness_service_us", Table.f(harnessService, 1))
                .put("harness_floor_us", Table.f(harnessFloor, 1))
                .put("jfr", top.isEmpty() ? "(no profile: `--jfr=true` records one)" : Jfr.table(top).markdown())
                .put("notes", notes.isEmpty() ? "- none" : "- " + String.join("\n- ", notes));
        report.result("relay_p99_ms", Table.plain(relayService.getValueAtPercentile(99) / 1000.0, 2))
                .result("caption_p99_ms", Table.plain(captions.getValueAtPercentile(99) / 1000.0, 2))
                .result("relay_p99_vs_floor", Table.plain(ratio.median(), 2))
                .result("cpu_us_per_chunk", Table.plain(ourMicros, 1));
        return report;
    }

    private static String goal(Histogram h, double goalMillis) {
        return "goal p99 ≤ " + Table.plain(goalMillis, 0) + " ms: "
                + (h.getTotalCount() > 0 && h.getValueAtPercentile(99) <= goalMillis * 1000 ? "met" : "NOT met");
    }

    private static Histogram histogram() {
        return LoadResult.histogram();
    }

    /** Speaker {@code p} of session {@code s}: the host, a cohost, then guests. */
    static String speakerUser(int s, int p) {
        String role = p == 0 ? "host" : p == 1 ? "cohost" : "guest" + (p - 1);
        return String.format("bench-tr-%02d-%s", s + 1, role);
    }

    /** The role speaker {@code p} is given on stage. */
    static String speakerRole(int p) {
        return p == 0 ? "HOST" : p == 1 ? "COHOST" : "GUEST";
    }

    private List<String> createSessions(int port) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Http http = new Http(1, 8, Duration.ofSeconds(30))) {
            List<Future<String>> futures = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                int index = s;
                futures.add(pool.submit(() -> createSession(http, port, index)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : futures) {
                ids.add(f.get(120, TimeUnit.SECONDS));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    private String createSession(Http http, int port, int s) throws Exception {
        String host = TestTokens.token(speakerUser(s, 0));
        int guests = Math.max(0, speakersPerSession - 2);
        String id = http.session(port, host, "{\"title\":\"Transcription bench " + (s + 1) + "\",\"kind\":\"AUDIO\","
                + "\"visibility\":\"PUBLIC\",\"settings\":{\"transcriptionEnabled\":true,\"maxGuests\":"
                + Math.max(1, guests) + "}}", true);
        http.json(HttpMethod.POST, port, "/api/sessions/" + id + "/join", host, "{\"name\":\"Host " + (s + 1)
                + "\"}");
        for (int p = 1; p < speakersPerSession; p++) {
            String user = speakerUser(s, p);
            http.json(HttpMethod.POST, port, "/api/sessions/" + id + "/join", TestTokens.token(user),
                    "{\"name\":\"Speaker " + user + "\"}");
            http.json(HttpMethod.POST, port, "/api/sessions/" + id + "/participants/" + user + "/role", host,
                    "{\"role\":\"" + speakerRole(p) + "\"}");
        }
        return id;
    }

    private static void connectAll(TranscriptionLoad load, List<Speaker> speakers, Function<Speaker, String> uri)
            throws Exception {
        for (int from = 0; from < speakers.size(); from += CONNECT_BATCH) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (Speaker s : speakers.subList(from, Math.min(speakers.size(), from + CONNECT_BATCH))) {
                batch.add(load.connect(s, uri.apply(s)));
            }
            try {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                StringBuilder stuck = new StringBuilder("speakers not ready after 120 s:");
                speakers.stream().filter(s -> !s.ready.isDone()).limit(10).forEach(s -> stuck.append("\n  ")
                        .append(s.user).append(": ").append(s.lastError));
                throw new IllegalStateException(stuck.toString());
            }
        }
    }

    /** Sent, counted, reconnects, not ended, unequal streams: the harness's bytes against the stub's count. */
    private static long[] bytes(GladiaStub gladia, List<Speaker> speakers) {
        long[] out = new long[5];
        for (Speaker s : speakers) {
            out[0] += s.bytesSent;
            GladiaSession g = null;
            try {
                g = s.streamId == null ? null : gladia.session(s.streamId);
            } catch (AssertionError e) {
                // unknown to the stub: counted as unequal below
            }
            if (g == null) {
                out[4]++;
                continue;
            }
            out[1] += g.receivedBytes();
            out[2] += Math.max(0, g.connections() - 1);
            out[3] += g.ended() ? 0 : 1;
            out[4] += g.receivedBytes() == s.bytesSent ? 0 : 1;
        }
        return out;
    }

    private static void counters(TranscriptionLoad load, List<String> notes) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("audio frames at the stub from no known stream", load.unknownAudio.sum());
        counters.put("chunks at the stub the harness had not written", load.unmatchedChunks.sum());
        counters.put("frames at the stub not aligned to the harness's chunks", load.unalignedFrames.sum());
        counters.put("transcripts seen that the stub never sent", load.unknownTranscripts());
        counters.put("records on livestage.transcript the tap could not read", load.tapMalformed.sum());
        counters.put("socket errors and malformed frames at the harness", load.otherErrors.sum());
        counters.put("chunks the scheduler could not write", load.speakers.stream().mapToLong(s -> s.sendFailures)
                .sum());
        counters.forEach((what, n) -> {
            if (n > 0) {
                notes.add(what + ": " + n + ".");
            }
        });
        notes.add("The tap polled " + load.tapRecords.sum() + " transcript.segment records in all.");
    }

    /** Wall clock (epoch ns) minus nanoTime, from the tightest of 200 brackets. */
    static long wallOffsetNanos() {
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 200; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            if (after - before < best) {
                best = after - before;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + after) / 2;
            }
        }
        return offset;
    }

    /** Where a counted caption's time went (µs), from the ledger; a negative difference counts as 0. */
    static Map<String, Histogram> splits(TranscriptionLoad load, long wallOffset) {
        String[] names = {"stub sent → first viewer's caption frame",
                "stub sent → the segment's write starts (ce_time)",
                "ce_time → outbox relay sends to Kafka (CreateTime, ms resolution)",
                "CreateTime → harness consumer polls it (ms resolution)",
                "stub sent → harness consumer polls it (on Kafka)",
                "harness consumer polls it → first viewer's caption frame (estimate)",
                "stub sent → the speaker's own transcript frame (after the commit)"};
        Map<String, Histogram> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, histogram());
        }
        Histogram[] h = out.values().toArray(Histogram[]::new);
        for (Sent s : load.ledger.values()) {
            if (!load.counted(s) || s.speaker().group != Group.SERVICE) {
                continue;
            }
            long stub = s.stubNanos();
            long viewer = s.firstViewerNanos.get();
            long tap = s.tapPollNanos;
            long ce = s.ceTimeEpochNanos == 0 ? 0 : s.ceTimeEpochNanos - wallOffset;
            long create = s.tapCreateMillis <= 0 ? 0 : s.tapCreateMillis * 1_000_000L - wallOffset;
            long echo = s.echoNanos.get();
            record(h[0], viewer - stub, viewer != 0);
            record(h[1], ce - stub, ce != 0);
            record(h[2], create - ce, ce != 0 && create != 0);
            record(h[3], tap - create, create != 0 && tap != 0);
            record(h[4], tap - stub, tap != 0);
            record(h[5], viewer - tap, tap != 0 && viewer != 0);
            record(h[6], echo - stub, echo != 0);
        }
        return out;
    }

    private static void record(Histogram h, long nanos, boolean known) {
        if (known) {
            h.recordValue(LoadResult.micros(nanos));
        }
    }
}
