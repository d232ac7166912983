package io.livestage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import io.livestage.bench.TranscriptionLoad.Group;
import io.livestage.bench.TranscriptionLoad.Sent;
import io.livestage.bench.TranscriptionLoad.Speaker;
import io.livestage.bench.TranscriptionLoad.Window;
import io.livestage.bench.TranscriptionLoad.WindowStats;
import io.livestage.events.Topics;
import io.livestage.testing.gladia.GladiaSession;
import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * transcription: speakers on stage streaming real-time audio at once through transcription-service to the Gladia
 * contract stub (in this JVM), their captions reaching viewers' room sockets on chat-service. Measures the bridge's
 * relay (harness write → stub read, per chunk) and the caption path (stub's transcript → caption frame at a viewer),
 * against a plain relay floor in alternating windows. See bench/README.md.
 */
public final class TranscriptionBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final int CONNECT_BATCH = 10;
    /** One record every 50 ms (20/s): enough samples, a tenth of the transcripts' rate, so it barely adds load. */
    static final Duration KAFKA_HOP_PERIOD = Duration.ofMillis(50);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    static final String HARNESS = "harness JVM";
    static final String HARNESS_PARTS = "speakers, viewers, scheduler, Gladia stub, floor relay, Kafka broker, tap";

    /** How one group's audio bytes added up at the end (harness sent vs the stub's count). */
    record Bytes(Group group, int streams, long sent, long counted, long discarded, int reconnects, int notEnded,
            int unequal) {
        boolean equal() {
            return sent == counted && unequal == 0;
        }
    }

    /** One window's numbers, collected. */
    record WindowResult(String label, Group group, int round, double seconds, Histogram relay,
            Histogram intendedToStub, Histogram sendLag, long chunksSent, long chunksAtStub, long lateSends,
            Histogram captionPartial, Histogram captionFinal, Histogram floorCaption, long transcripts, long partials,
            long expectedDeliveries, long deliveries, long duplicates) {
        Histogram captionAll() {
            Histogram h = captionPartial.copy();
            h.add(captionFinal);
            return h;
        }
    }

    /** A stage of the caption path and its distribution (µs). */
    record Split(String name, String how, Histogram histogram, long clamped) {
    }

    private final TranscriptionSettings settings;

    public TranscriptionBenchmark(TranscriptionSettings settings) {
        this.settings = settings;
    }

    public TranscriptionReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        Path logs = settings.repoRoot().resolve("bench/target/transcription");
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            Harness.Kafka kafka = Harness.kafka(notes);
            for (String topic : List.of(Topics.TRANSCRIPT, Topics.CHAT, "livestage.chat.presence",
                    KafkaHop.TOPIC)) {
                try {
                    kafka.broker().createTopic(topic, Harness.TOPIC_PARTITIONS);
                } catch (IllegalStateException e) {
                    notes.add("Topic " + topic + " was used as it was: " + e.getMessage());
                }
            }
            Harness.Postgres postgres = Harness.postgres();
            TestDatabase sessionDb = postgres.create("livestage_transcription_bench_session");
            TestDatabase chatDb = postgres.create("livestage_transcription_bench_chat");
            TestDatabase transcriptionDb = postgres.create("livestage_transcription_bench_transcription");

            GladiaStub gladia = GladiaStub.start().retainAudio(false).utteranceDuration(settings.utterance());
            toClose.add(gladia);
            Harness.log("Gladia stub: " + gladia.baseUrl() + " (retainAudio false, utterance "
                    + settings.utterance().toMillis() + " ms)");

            String javaOptions = settings.serviceJavaOpts();
            Harness.log("starting session-service, chat-service and transcription-service (in parallel)");
            CompletableFuture<ServiceProcess> sessionStart = CompletableFuture.supplyAsync(() -> ServiceProcess
                    .builder("session-service").jar(settings.sessionJar()).javaOptions(javaOptions).database(sessionDb)
                    .kafka(kafka.bootstrapServers()).log(logs.resolve("session-service.log"))
                    .readyTimeout(READY_TIMEOUT).start());
            CompletableFuture<ServiceProcess> chatStart = CompletableFuture.supplyAsync(() -> ServiceProcess
                    .builder("chat-service").jar(settings.chatJar()).javaOptions(javaOptions).database(chatDb)
                    .kafka(kafka.bootstrapServers()).log(logs.resolve("chat-service.log"))
                    .readyTimeout(READY_TIMEOUT).start());
            CompletableFuture<ServiceProcess> transcriptionStart = CompletableFuture.supplyAsync(() -> ServiceProcess
                    .builder("transcription-service").jar(settings.transcriptionJar()).javaOptions(javaOptions)
                    .database(transcriptionDb).kafka(kafka.bootstrapServers())
                    .env("GLADIA_URL", gladia.baseUrl()).env("GLADIA_API_KEY", gladia.apiKey())
                    .log(logs.resolve("transcription-service.log")).readyTimeout(READY_TIMEOUT).start());
            ServiceProcess sessionService = started(sessionStart, toClose);
            ServiceProcess chatService = started(chatStart, toClose);
            ServiceProcess transcriptionService = started(transcriptionStart, toClose);
            for (ServiceProcess s : List.of(sessionService, chatService, transcriptionService)) {
                Harness.log(s.name() + ": ready on " + s.url() + " after " + s.startupTime().toMillis() + " ms (pid "
                        + s.pid() + ", log " + s.log() + ")");
            }
            stack.add("Kafka " + kafka.origin() + ", topics " + Topics.SESSION + ", " + Topics.TRANSCRIPT + ", "
                    + Topics.CHAT + " and " + "livestage.chat.presence" + " with "
                    + Harness.TOPIC_PARTITIONS + " partitions");
            stack.add("PostgreSQL " + postgres.origin() + ", fresh databases " + sessionDb.name() + ", " + chatDb.name()
                    + " and " + transcriptionDb.name());
            stack.add("session-service, chat-service and transcription-service as child processes: java "
                    + (javaOptions.isBlank() ? "" : javaOptions + " ") + "-jar <module>/target/quarkus-app/quarkus-run.jar "
                    + "(same JDK as the harness, JVM defaults: tiered compilation up to C2; default configuration), "
                    + "transcription-service with GLADIA_URL = the stub and GLADIA_API_KEY = its key");
            stack.add("Gladia: the testing module's GladiaStub (Netty, " + Math.max(2, Runtime.getRuntime()
                    .availableProcessors()) + " I/O threads) in the harness JVM, retainAudio(false), utterances of "
                    + settings.utterance().toMillis() + " ms of audio (a partial at half, the final at the end), "
                    + "acknowledgement after every chunk");

            List<String> sessions = createSessions(sessionService.port());

            Vertx vertx = FanoutClient.vertx(settings.clientThreads());
            toClose.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            long chunkNanos = settings.chunk().toNanos();
            int capacity = (int) (settings.streaming().toNanos() / chunkNanos) + 100;
            TranscriptionLoad load = new TranscriptionLoad(vertx, settings.chunkBytes(), chunkNanos, capacity);
            toClose.add(load);
            gladia.onAudio(load::onAudio).onTranscript(load::onTranscript);
            RelayFloor floor = null;
            if (settings.floor()) {
                floor = RelayFloor.start(gladia.port(), gladia.apiKey());
                toClose.add(floor);
                stack.add("the floor: " + floor.describe());
            }
            planWindows(load);

            // viewers first: a caption reaches only the sockets already in the room
            String chatWs = chatService.url().replace("http://", "ws://");
            List<CompletableFuture<Void>> welcomes = new ArrayList<>();
            for (int s = 0; s < sessions.size(); s++) {
                for (int v = 0; v < settings.viewersPerSession(); v++) {
                    String user = String.format("bench-tr-viewer-%02d-%02d", s + 1, v + 1);
                    TranscriptionLoad.Viewer viewer = load.addViewer(sessions.get(s), v, TestTokens.token(user));
                    welcomes.add(load.connect(viewer, chatWs + "/ws/sessions/" + sessions.get(s)));
                }
            }
            Harness.log("viewers: connecting " + welcomes.size() + " room sockets on chat-service");
            CompletableFuture.allOf(welcomes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            Harness.log("viewers: " + welcomes.size() + " welcomed");

            String speakerWs = transcriptionService.url().replace("http://", "ws://");
            List<Speaker> serviceSpeakers = new ArrayList<>();
            for (int s = 0; s < sessions.size(); s++) {
                for (int p = 0; p < settings.speakersPerSession(); p++) {
                    String user = speakerUser(s, p);
                    serviceSpeakers.add(load.addSpeaker(Group.SERVICE, sessions.get(s), user, TestTokens.token(user), 0));
                }
            }
            long connectStart = System.nanoTime();
            Harness.log("speakers: connecting " + serviceSpeakers.size() + " speaker sockets (start → Gladia init → "
                    + "ready), " + CONNECT_BATCH + " at a time");
            connectAll(load, serviceSpeakers, speaker -> speakerWs + "/ws/sessions/" + speaker.session
                    + "/transcription");
            Harness.log("speakers: " + serviceSpeakers.size() + " ready in " + TimeUnit.NANOSECONDS.toMillis(
                    System.nanoTime() - connectStart) + " ms (" + load.connectRetries.sum() + " retries of sockets "
                    + "refused while the projections caught up)");
            if (floor != null) {
                List<Speaker> floorSpeakers = new ArrayList<>();
                for (int i = 0; i < settings.floorSpeakers(); i++) {
                    floorSpeakers.add(load.addSpeaker(Group.FLOOR, null, "floor-" + (i + 1), null, 0));
                }
                String url = floor.url();
                connectAll(load, floorSpeakers, speaker -> url);
                Harness.log("floor: " + floorSpeakers.size() + " streams ready through the relay");
            }

            TranscriptTap tap = new TranscriptTap(kafka.bootstrapServers(), load.ledger, settings.pollTimeout());
            toClose.add(tap);
            tap.awaitAssigned(Duration.ofSeconds(60));
            KafkaHop hop = new KafkaHop(kafka.bootstrapServers(), KAFKA_HOP_PERIOD, settings.pollTimeout());
            toClose.add(hop);
            stack.add("the Kafka hop alone: " + hop.describe());
            postgres.analyze(transcriptionDb);
            postgres.analyze(chatDb);

            ProcessHandle postmaster = postgres.postmaster(transcriptionDb);
            List<CpuMeter.Part> parts = List.of(new CpuMeter.Part("transcription-service", transcriptionService.handle()),
                    new CpuMeter.Part("chat-service", chatService.handle()),
                    new CpuMeter.Part("session-service", sessionService.handle()));
            CpuMeter serviceCpu = new CpuMeter(parts, postmaster);
            CpuMeter floorCpu = new CpuMeter(parts, postmaster);
            // the harness's own threads, for its busiest ones (the stub, the broker, the sockets): not in the split
            CpuMeter harnessThreads = new CpuMeter(List.of(new CpuMeter.Part(HARNESS, ProcessHandle.current())), null);
            LoadSampler loadDuring = new LoadSampler();
            List<JfrProfile> profiles = new ArrayList<>();
            if (settings.jfr()) {
                profiles.add(new JfrProfile("transcription-service", transcriptionService.pid(),
                        logs.resolve("transcription-service.jfr")));
                profiles.add(new JfrProfile("chat-service", chatService.pid(), logs.resolve("chat-service.jfr")));
            }
            int lastServiceWindow = -1;
            int firstServiceWindow = -1;
            for (Window w : load.windows) {
                if (w.measured && w.group == Group.SERVICE) {
                    lastServiceWindow = w.index;
                    firstServiceWindow = firstServiceWindow < 0 ? w.index : firstServiceWindow;
                }
            }
            int first = firstServiceWindow;
            int last = lastServiceWindow;
            ExecutorService events = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
                    .name("bench-window-events").daemon().unstarted(r));
            toClose.add(events::shutdownNow);
            load.start(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500), w -> events.execute(() -> {
                Harness.log(w.label + ": " + (w.group == Group.SERVICE ? load.speakers(Group.SERVICE).size()
                        + " speakers through transcription-service" : settings.floorSpeakers()
                        + " streams through the floor relay") + " for " + Harness.seconds(Duration.ofNanos(
                                w.lengthNanos)) + " s" + (w.measured ? " (measured)" : " (not measured)"));
                if (w.measured) {
                    (w.group == Group.SERVICE ? serviceCpu : floorCpu).begin();
                    if (w.group == Group.SERVICE) {
                        harnessThreads.begin();
                        hop.on(true);
                    }
                    loadDuring.begin();
                }
                if (w.index == first) {
                    profiles.forEach(JfrProfile::start);
                }
            }), w -> events.execute(() -> {
                if (w.measured) {
                    (w.group == Group.SERVICE ? serviceCpu : floorCpu).end();
                    if (w.group == Group.SERVICE) {
                        harnessThreads.end();
                        hop.on(false);
                    }
                    loadDuring.end();
                }
                if (w.index == last) {
                    profiles.forEach(JfrProfile::stop);
                }
            }));
            watch(load);
            load.awaitSchedule(settings.streaming().toMillis() + 60_000);
            Harness.log("schedule done; draining " + settings.drain().toMillis() + " ms");
            Thread.sleep(settings.drain().toMillis());
            String metrics = Harness.metrics(transcriptionService.port());

            Harness.log("stopping every stream (stop → stop_recording → last finals → close 1000)");
            load.stopSpeakers(load.speakers);
            long closeDeadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
            int notClosed = 0;
            for (Speaker s : load.speakers) {
                try {
                    s.closed.get(Math.max(1, closeDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    notClosed++;
                }
            }
            if (notClosed > 0) {
                notes.add(notClosed + " stream(s) were not closed " + CLOSE_TIMEOUT.toSeconds() + " s after their stop "
                        + "(the service was still working through a backlog); their byte counts may fall short.");
            }
            Harness.log("streams closed" + (notClosed > 0 ? " except " + notClosed : ""));
            String after = Harness.metrics(transcriptionService.port());
            events.submit(() -> { }).get(60, TimeUnit.SECONDS);
            List<Bytes> bytes = new ArrayList<>();
            for (Group group : Group.values()) {
                List<Speaker> members = load.speakers(group);
                if (!members.isEmpty()) {
                    bytes.add(bytes(gladia, group, members, notes));
                }
            }
            if (!gladia.violations().isEmpty()) {
                notes.add("The Gladia stub saw " + gladia.violations().size() + " protocol violation(s), first: "
                        + gladia.violations().getFirst());
            }

            List<WindowResult> windows = new ArrayList<>();
            for (Window w : load.windows) {
                if (w.measured) {
                    windows.add(result(w, load.stats[w.index]));
                }
            }
            long offset = wallOffsetNanos();
            List<Split> splits = new ArrayList<>(splits(load, offset));
            splits.add(new Split("for scale: the Kafka hop alone (harness producer → harness consumer, same broker, "
                    + "during the service windows)", "nanoTime, exact; " + (1000 / KAFKA_HOP_PERIOD.toMillis())
                    + " records/s, acks=all, linger 0", hop.latency(), 0));
            addCounters(load, tap, floor, notes);
            String outboxLag = Harness.outboxLag(metrics);
            if (outboxLag != null) {
                notes.add("transcription-service's outbox relay lag (commit → Kafka acknowledgement, "
                        + "livestage.outbox.lag from /q/metrics right after the last window, over the last minutes "
                        + "incl. warm-up): " + outboxLag);
            }
            double segments = Harness.sample(after, "livestage_transcription_segments_total");
            double atEnd = Harness.sample(metrics, "livestage_transcription_segments_total");
            if (segments > 0) {
                notes.add(String.format(Locale.ROOT, "transcription-service stored %,.0f segments in all "
                        + "(livestage_transcription_segments_total, warm-up included), %,.0f of them by the end of "
                        + "the drain after the last window.", segments, atEnd));
            }
            List<JfrProfile.Summary> summaries = new ArrayList<>();
            for (JfrProfile p : profiles) {
                try {
                    summaries.add(p.summarize());
                } catch (IOException e) {
                    notes.add("JFR recording of " + p + " unreadable: " + e);
                }
            }
            for (ServiceProcess s : List.of(sessionService, chatService, transcriptionService)) {
                if (!s.isAlive()) {
                    notes.add(s.name() + " was no longer running at the end; see " + s.log());
                }
            }
            notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                    + " s including the start-up of Kafka, PostgreSQL and the three services.");
            String load0 = loadAtStart.isBlank() ? "" : loadAtStart + " before the run, " + Harness.loadAverage()
                    + " after";
            return new TranscriptionReport(Harness.machine(), settings, windows, bytes, splits,
                    serviceCpu.usage().orElse(null), floorCpu.usage().orElse(null),
                    harnessThreads.usage().map(u -> u.threadTable(HARNESS)).orElse(null), summaries,
                    String.join("; ", stack), notes, load0, loadDuring.describe());
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    Harness.log("stopping " + toClose.get(i) + " failed: " + e);
                }
            }
        }
    }

    private static ServiceProcess started(CompletableFuture<ServiceProcess> start, List<AutoCloseable> toClose)
            throws Exception {
        try {
            ServiceProcess service = start.get(READY_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            toClose.add(service);
            return service;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
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

    /**
     * Warm-up through the services, the floor's warm-up, then per round a service window and a floor window (A B A B):
     * the same clock, contiguous.
     */
    void planWindows(TranscriptionLoad load) {
        if (!settings.warmup().isZero()) {
            load.plan(Group.SERVICE, "warm-up", 0, false, settings.warmup().toNanos());
        }
        if (settings.floor() && !settings.floorWarmup().isZero()) {
            load.plan(Group.FLOOR, "floor warm-up", 0, false, settings.floorWarmup().toNanos());
        }
        for (int r = 1; r <= settings.rounds(); r++) {
            load.plan(Group.SERVICE, "round " + r + " services", r, true, settings.window().toNanos());
            if (settings.floor()) {
                load.plan(Group.FLOOR, "round " + r + " floor", r, true, settings.floorWindow().toNanos());
            }
        }
    }

    private List<String> createSessions(int port) throws Exception {
        Http http = new Http(Duration.ofSeconds(30));
        Harness.log("creating " + settings.sessions() + " live PUBLIC AUDIO sessions with transcription on, each with "
                + settings.speakersPerSession() + " speakers on stage (host" + (settings.speakersPerSession() > 1
                        ? " + cohost" : "") + (settings.speakersPerSession() > 2 ? " + " + (settings.speakersPerSession()
                                - 2) + " guests" : "") + ")");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int s = 0; s < settings.sessions(); s++) {
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
        int guests = Math.max(0, settings.speakersPerSession() - 2);
        String id = http.postOk(port, "/api/sessions", host, "{\"title\":\"Transcription bench " + (s + 1)
                + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\",\"settings\":{\"transcriptionEnabled\":true,"
                + "\"maxGuests\":" + Math.max(1, guests) + "}}", "POST /api/sessions").getString("id");
        http.postOk(port, "/api/sessions/" + id + "/start", host, null, "POST /api/sessions/{id}/start");
        http.postOk(port, "/api/sessions/" + id + "/join", host, "{\"name\":\"Host " + (s + 1) + "\"}",
                "host POST /api/sessions/{id}/join");
        for (int p = 1; p < settings.speakersPerSession(); p++) {
            String user = speakerUser(s, p);
            http.postOk(port, "/api/sessions/" + id + "/join", TestTokens.token(user), "{\"name\":\"Speaker " + user
                    + "\"}", "speaker POST /api/sessions/{id}/join");
            http.postOk(port, "/api/sessions/" + id + "/participants/" + user + "/role", host, "{\"role\":\""
                    + speakerRole(p) + "\"}", "POST /api/sessions/{id}/participants/{user}/role");
        }
        return id;
    }

    private static void connectAll(TranscriptionLoad load, List<Speaker> speakers,
            Function<Speaker, String> uri) throws Exception {
        for (int from = 0; from < speakers.size(); from += CONNECT_BATCH) {
            List<CompletableFuture<String>> batch = new ArrayList<>();
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

    /** A progress line every 5 s while the schedule runs. */
    private static void watch(TranscriptionLoad load) throws InterruptedException {
        long sent = 0;
        long captions = 0;
        while (!load.finished()) {
            TimeUnit.SECONDS.sleep(5);
            long nowSent = 0;
            long nowCaptions = 0;
            for (WindowStats s : load.stats) {
                nowSent += s.chunksSent.sum();
                nowCaptions += s.deliveries.sum();
            }
            Harness.log(String.format(Locale.ROOT, "%,d chunks written (%,.0f/s), %,d counted captions "
                    + "(%,.0f/s) so far", nowSent, (nowSent - sent) / 5.0, nowCaptions, (nowCaptions - captions) / 5.0));
            sent = nowSent;
            captions = nowCaptions;
        }
    }

    private static Bytes bytes(GladiaStub gladia, Group group, List<Speaker> speakers, List<String> notes) {
        long sent = 0;
        long counted = 0;
        long discarded = 0;
        int reconnects = 0;
        int notEnded = 0;
        int unequal = 0;
        for (Speaker s : speakers) {
            sent += s.bytesSent;
            if (s.streamId == null) {
                unequal++;
                continue;
            }
            GladiaSession g;
            try {
                g = gladia.session(s.streamId);
            } catch (AssertionError e) {
                unequal++;
                continue;
            }
            counted += g.receivedBytes();
            discarded += g.discardedBytes();
            reconnects += Math.max(0, g.connections() - 1);
            if (!g.ended()) {
                notEnded++;
            }
            if (g.receivedBytes() != s.bytesSent) {
                unequal++;
                if (unequal <= 3) {
                    notes.add("Stream " + s.streamId + " of " + s.user + ": the harness sent " + s.bytesSent
                            + " bytes, the stub counted " + g.receivedBytes() + " (" + g.describe() + ").");
                }
            }
        }
        return new Bytes(group, speakers.size(), sent, counted, discarded, reconnects, notEnded, unequal);
    }

    private static WindowResult result(Window w, WindowStats s) {
        return new WindowResult(w.label, w.group, w.round, w.seconds(), TranscriptionLoad.snapshot(s.relay),
                TranscriptionLoad.snapshot(s.intendedToStub), TranscriptionLoad.snapshot(s.sendLag),
                s.chunksSent.sum(), s.chunksAtStub.sum(), s.lateSends.sum(),
                TranscriptionLoad.snapshot(s.captionPartial), TranscriptionLoad.snapshot(s.captionFinal),
                TranscriptionLoad.snapshot(s.floorCaption), s.transcripts.sum(), s.partials.sum(),
                s.expectedDeliveries.sum(), s.deliveries.sum(), s.duplicates.sum());
    }

    /** Wall clock (epoch ns, as Instant.now() in every JVM here) minus nanoTime, from the tightest of 200 brackets. */
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

    /** Where a counted caption's time went, from the ledger: first viewer's arrival, the tap, ce_time, CreateTime. */
    static List<Split> splits(TranscriptionLoad load, long wallOffset) {
        String[][] names = {
                { "stub sent → first viewer's caption frame", "nanoTime, exact" },
                { "stub sent → the segment's write starts (ce_time)",
                        "ce_time (µs, the service's wall clock, mapped to this JVM's nanoTime) is taken when the "
                                + "stream's previous segment write has finished: Gladia socket read + JSON + the "
                                + "stream's write queue" },
                { "ce_time → outbox relay sends to Kafka (record CreateTime)",
                        "ms resolution: the segment's statement (upsert + sequence + outbox row, autocommit), the "
                                + "relay's wake-up and select (pipelined: earlier rows may still wait for Kafka)" },
                { "CreateTime → harness consumer polls it", "ms resolution: produce (acks=all), fetch" },
                { "stub sent → harness consumer polls it (on Kafka)", "nanoTime, exact" },
                { "harness consumer polls it → first viewer's caption frame",
                        "nanoTime; chat-service's room feed polls in parallel with the harness's: an estimate" },
                { "stub sent → the speaker's own transcript frame (after the commit)",
                        "nanoTime, exact: transcription-service answers its speaker once the transaction committed" }, };
        Histogram[] h = new Histogram[names.length];
        long[] clamped = new long[names.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = new Histogram(OpStats.HIGHEST_MICROS, 3);
        }
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
            record(h, clamped, 0, viewer - stub, viewer != 0);
            record(h, clamped, 1, ce - stub, ce != 0);
            record(h, clamped, 2, create - ce, ce != 0 && create != 0);
            record(h, clamped, 3, tap - create, create != 0 && tap != 0);
            record(h, clamped, 4, tap - stub, tap != 0);
            record(h, clamped, 5, viewer - tap, tap != 0 && viewer != 0);
            record(h, clamped, 6, echo - stub, echo != 0);
        }
        List<Split> out = new ArrayList<>();
        for (int i = 0; i < h.length; i++) {
            out.add(new Split(names[i][0], names[i][1], h[i], clamped[i]));
        }
        return out;
    }

    private static void record(Histogram[] h, long[] clamped, int i, long nanos, boolean known) {
        if (!known) {
            return;
        }
        if (nanos < 0) {
            clamped[i]++;
        }
        h[i].recordValue(TranscriptionLoad.micros(nanos));
    }

    private static void addCounters(TranscriptionLoad load, TranscriptTap tap, RelayFloor floor, List<String> notes) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("audio frames at the stub from no known stream", load.unknownAudio.sum());
        counters.put("chunks at the stub the harness had not written (before its write time was visible)",
                load.unmatchedChunks.sum());
        counters.put("frames at the stub not aligned to the harness's chunks (re-framed audio)", load.unalignedFrames.sum());
        counters.put("transcripts seen by a viewer, a speaker or the tap that the stub never sent",
                load.unknownTranscripts());
        counters.put("records on livestage.transcript the tap could not read", tap.malformed.sum());
        counters.put("socket errors and malformed frames at the harness", load.otherErrors.sum());
        counters.put("floor relay failures", floor == null ? 0 : floor.failures.get());
        long sendFailures = load.speakers.stream().mapToLong(s -> s.sendFailures).sum();
        counters.put("chunks the scheduler could not write (socket gone, or the run's chunk bound reached)", sendFailures);
        counters.forEach((what, n) -> {
            if (n > 0) {
                notes.add(what + ": " + n + ".");
            }
        });
        notes.add("The tap polled " + tap.records.sum() + " transcript.segment records in all.");
    }

    /** The 1-minute load average and the machine's busy cores, sampled every 2 s during the measured windows. */
    static final class LoadSampler {
        private final List<Double> loads = new CopyOnWriteArrayList<>();
        private volatile Thread thread;

        synchronized void begin() {
            if (thread != null) {
                return;
            }
            thread = Thread.ofPlatform().daemon().name("bench-load-sampler").start(() -> {
                while (thread == Thread.currentThread()) {
                    try {
                        String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                        loads.add(Double.parseDouble(f[0]));
                        Thread.sleep(2_000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        return;
                    }
                }
            });
        }

        synchronized void end() {
            Thread t = thread;
            thread = null;
            if (t != null) {
                t.interrupt();
            }
        }

        String describe() {
            if (loads.isEmpty()) {
                return "";
            }
            double min = loads.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = loads.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double mean = loads.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            return String.format(Locale.ROOT, "1-minute load average during the measured windows: min %.2f, "
                    + "mean %.2f, max %.2f (%d samples every 2 s)", min, mean, max, loads.size());
        }
    }
}
