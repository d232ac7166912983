package io.livestage.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * streaming: recording-service's live stream of a session (issue 14) under load (see bench/README.md). (1) sse:
 * thousands of viewers subscribed to the stream's status events while the host changes the quality; measured from
 * sending each {@code PUT .../stream/quality} to each subscriber's event carrying the new preset, with lost events
 * and the service's CPU per change. (2) hls: HLS segment requests served by recording-service and by a plain Vert.x
 * Web StaticHandler in its own JVM on the same folder, A B A B, requests per second and CPU per request. A part whose
 * endpoint is missing is skipped and says so.
 */
public final class StreamingBenchmark {
    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(2);
    /** Behind its scheduled time by more than this, a quality change counts as sent late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final String HOST = "bench-stream-host";
    /** The Origin of the probe request that reads the CORS headers. */
    static final String PROBE_ORIGIN = "https://player.example";

    /** The sse part: skipped (why) or what it measured. */
    record SseOutcome(String skipped, StreamSubscribers.OpenOutcome open, String contentType, QualityChanges changes,
            int readyAtStart, long lateSends, Histogram putMicros, Map<String, Long> putErrors,
            Map<String, Long> dropped, long otherEventTypes, long unreadableEvents, long eventsBeforeChanges,
            CpuMeter.Usage idleCpu, CpuMeter.Usage changesCpu, List<String> notes) {
        static SseOutcome skip(String why) {
            return new SseOutcome(why, null, null, null, 0, 0, null, Map.of(), Map.of(), 0, 0, 0, null, null,
                    List.of());
        }

        /** Measured (subscriber, change) pairs that should have been delivered. */
        long expected() {
            return changes == null ? 0 : (long) readyAtStart * changes.measuredCount();
        }

        long lost() {
            return changes == null ? 0 : Math.max(0, expected() - changes.measuredDelivered());
        }
    }

    /** What a server answered to the probe GETs: status and the headers the contract names, per file kind. */
    record Probe(boolean playlistAsWritten, String playlistType, String segmentType, String cacheControl, String cors) {
    }

    /** The hls part: skipped (why) or its windows; CPU over the service's and over the peer's windows. */
    record HlsOutcome(String skipped, HlsSegments segments, String folder, List<RecordingBenchmark.Window> windows,
            CpuMeter.Usage serviceCpu, CpuMeter.Usage peerCpu, Probe service, Probe peer, List<String> notes) {
        static HlsOutcome skip(String why) {
            return new HlsOutcome(why, null, null, List.of(), null, null, null, null, List.of());
        }
    }

    private final StreamingSettings settings;
    private final Http http;

    public StreamingBenchmark(StreamingSettings settings) {
        this.settings = settings;
        this.http = new Http(settings.requestTimeout());
    }

    public StreamingReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        Path root = settings.stack().repoRoot();
        try (LiveStack stack = LiveStack.start("streaming", settings.stack(), notes)) {
            Path storage = root.resolve("bench/target/streaming/storage").toAbsolutePath().normalize();
            deleteTree(storage);
            Files.createDirectories(storage);
            // the folder has the same path for egress (the stub) and for the service: no mapping to get wrong
            stack.livekit.egress().mount(storage.toString(), storage);
            stack.livekit.notifier().addUrl(stack.tokenService.url() + "/webhooks/livekit");
            TestDatabase recordingDb = stack.postgres.create("livestage_streaming_bench_recording");
            try (ServiceProcess recording = RecordingProcess.start(stack, settings.stack(), settings.recordingJar(),
                    recordingDb, storage.toString(), storage,
                    root.resolve("bench/target/streaming/recording-service.log"))) {
                String hostToken = TestTokens.token(HOST);
                String session = createAndStart(stack, hostToken);
                String notLive = awaitLive(recording.port(), session);
                List<CpuMeter.Part> services = List.of(new CpuMeter.Part("recording-service", recording.handle()),
                        new CpuMeter.Part("session-service", stack.sessionService.handle()),
                        new CpuMeter.Part("token-service", stack.tokenService.handle()));
                ProcessHandle postmaster = stack.postgres.postmaster(recordingDb);
                SseOutcome sse;
                if (!settings.runs("sse")) {
                    sse = SseOutcome.skip("not run (--phases)");
                } else if (notLive != null) {
                    sse = SseOutcome.skip(notLive);
                } else {
                    sse = sse(recording.port(), session, hostToken, services, postmaster);
                }
                HlsOutcome hls = settings.runs("hls") ? hls(recording, session, storage, postmaster)
                        : HlsOutcome.skip("not run (--phases)");
                notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                        + " s including start-up of Kafka, PostgreSQL and the three services.");
                String load = loadAtStart.isBlank() ? ""
                        : loadAtStart + " before the run, " + Harness.loadAverage() + " after";
                return new StreamingReport(Harness.machine(), settings, session, sse, hls,
                        stack.describe() + "; recording-service likewise (database " + recordingDb.name()
                                + ", LIVEKIT_URL = the stub, LIVESTAGE_RECORDING_DIRECTORY and "
                                + "LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY both " + root.relativize(storage)
                                + ", mounted at the same path in the stub's egress)", notes, load);
            }
        }
    }

    /** Creates the session as its host and starts it; its id. */
    private String createAndStart(LiveStack stack, String hostToken) throws IOException, InterruptedException {
        int port = stack.sessionService.port();
        String id = http.postOk(port, "/api/sessions", hostToken, settings.sessionJson(), "POST /api/sessions")
                .getString("id");
        http.postOk(port, "/api/sessions/" + id + "/start", hostToken, null, "POST /api/sessions/" + id + "/start");
        Harness.log("session " + id + " created and started by " + HOST + " (" + settings.sessionJson() + ")");
        return id;
    }

    /**
     * Polls {@code GET /api/sessions/{id}/stream} every 100 ms until it answers 200 with {@code "status":"live"}; null
     * then, else why not (for the report).
     */
    private String awaitLive(int port, String session) throws InterruptedException {
        String path = "/api/sessions/" + session + "/stream";
        long start = System.nanoTime();
        long deadline = start + settings.liveTimeout().toNanos();
        String last = "no answer";
        int lastStatus = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<byte[]> response = http.get(port, path, null, Map.of("Accept", "application/json"));
                lastStatus = response.statusCode();
                String body = new String(response.body(), StandardCharsets.UTF_8);
                last = response.statusCode() + " " + abbreviate(body);
                if (response.statusCode() == 200 && "live".equalsIgnoreCase(status(body))) {
                    Harness.log("stream of " + session + " live after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + abbreviate(body));
                    return null;
                }
            } catch (IOException e) {
                last = "failed: " + e.getMessage();
            }
            Thread.sleep(100);
        }
        String why = lastStatus == 404
                ? "endpoint not available (404): GET " + path + " answered " + last + " for "
                        + settings.liveTimeout().toSeconds() + " s (recording-service has no live stream on this "
                        + "branch, or did not learn of the session)"
                : "the stream did not become live within " + settings.liveTimeout().toSeconds() + " s: GET " + path
                        + " last answered " + last;
        Harness.log("sse: skipped, " + why);
        return why;
    }

    /** The top-level {@code status} of a JSON object, or null. */
    static String status(String body) {
        try {
            Object status = new JsonObject(body).getValue("status");
            return status == null ? null : status.toString();
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 1: status events to many subscribers

    private SseOutcome sse(int port, String session, String hostToken, List<CpuMeter.Part> services,
            ProcessHandle postmaster) throws Exception {
        List<String> notes = new ArrayList<>();
        String path = "/api/sessions/" + session + "/stream/events";
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2).setBlockedThreadCheckInterval(10_000)
                .setPreferNativeTransport(true));
        try (StreamSubscribers subscribers = new StreamSubscribers(vertx, port, path, settings.subscribers(),
                settings.connectConcurrency(), settings.clientThreads())) {
            Harness.log("sse: opening " + settings.subscribers() + " subscribers to GET " + path + " ("
                    + settings.connectConcurrency() + " at a time)");
            StreamSubscribers.OpenOutcome open = subscribers.open(OPEN_TIMEOUT);
            Harness.log("sse: " + open.ready() + " ready, " + open.failed() + " failed " + open.failures() + ", "
                    + open.pending() + " without a first event, in " + open.millis() + " ms; initial presets "
                    + open.initialPresets());
            if (open.ready() == 0) {
                String why = "no subscriber received a first event: " + open.failures()
                        + (open.pending() > 0 ? ", " + open.pending() + " still waiting after "
                                + OPEN_TIMEOUT.toSeconds() + " s" : "");
                if (open.failures().containsKey("status 404")) {
                    why = "endpoint not available (404): GET " + path + " answered 404";
                } else {
                    why += "; what the service sent, read from a plain socket for 3 s: `" + peek(port, path) + "`";
                }
                Harness.log("sse: skipped, " + why);
                return SseOutcome.skip(why);
            }
            if (open.initialPresets().size() > 1) {
                notes.add("Subscribers saw different presets in their first event: " + open.initialPresets() + ".");
            }
            String initial = Collections.max(open.initialPresets().entrySet(), Map.Entry.comparingByValue()).getKey();
            int total = settings.warmupChanges() + settings.changes();
            QualityChanges changes = new QualityChanges(QualityChanges.plan(initial, total), settings.warmupChanges());
            subscribers.track(changes);
            String qualityPath = "/api/sessions/" + session + "/stream/quality";
            Sender sender = new Sender(port, qualityPath, hostToken, changes);

            // the first PUT tells whether the endpoint is there and takes the host's token
            Harness.log("sse: " + settings.warmupChanges() + " warm-up changes, then " + settings.changes()
                    + " measured, every " + settings.interval().toMillis() + " ms, alternating "
                    + changes.preset(0) + "/" + (total > 1 ? changes.preset(1) : changes.preset(0)) + " (initial "
                    + initial + ")");
            Http.Response first = sender.send(0);
            if (first == null || !first.ok()) {
                String why = first == null ? "PUT " + qualityPath + " failed: " + sender.errors
                        : first.status() == 404 ? "endpoint not available (404): PUT " + qualityPath + " answered "
                                + first.describe()
                        : "PUT " + qualityPath + " with the host's token answered " + first.describe();
                Harness.log("sse: skipped, " + why);
                return SseOutcome.skip(why);
            }
            sender.run(1, settings.warmupChanges());
            boolean warm = subscribers.awaitDelivered(changes, settings.warmupChanges() - 1, settings.eventGrace());
            Harness.log("sse warm-up: p50 " + Report.ms(changes.warm(), 50) + " ms, p99 "
                    + Report.ms(changes.warm(), 99) + " ms" + (warm ? "" : ", not every subscriber caught up"));
            CpuMeter idle = new CpuMeter(services, postmaster);
            if (!settings.idleCpu().isZero()) {
                Harness.log("sse: " + settings.idleCpu().toSeconds() + " s idle with the subscribers connected (CPU "
                        + "baseline)");
                idle.begin();
                Thread.sleep(settings.idleCpu().toMillis());
                idle.end();
            }
            int readyAtStart = subscribers.connected();
            CpuMeter cpu = new CpuMeter(services, postmaster);
            Harness.log("sse measured: " + settings.changes() + " changes to " + readyAtStart + " subscribers");
            sender.late = 0;
            cpu.begin();
            sender.run(settings.warmupChanges(), total);
            boolean all = subscribers.awaitDelivered(changes, total - 1, settings.eventGrace());
            cpu.end();
            if (!all) {
                notes.add("Not every subscriber had the last change " + settings.eventGrace().toMillis()
                        + " ms after it was sent: what was missing then counts as lost.");
            }
            Harness.log(String.format(Locale.ROOT, "sse: p50 %s ms, p99 %s ms, max %s ms over %d deliveries of %d "
                    + "expected", Report.ms(changes.measured(), 50), Report.ms(changes.measured(), 99),
                    Report.maxMs(changes.measured()), changes.measuredDelivered(),
                    (long) readyAtStart * changes.measuredCount()));
            return new SseOutcome(null, open, subscribers.contentType(), changes, readyAtStart, sender.late,
                    sender.putMicros, sender.errors, subscribers.dropped(), subscribers.otherEventTypes.sum(),
                    subscribers.unreadableEvents.sum(), subscribers.eventsBeforeChanges.sum(),
                    idle.usage().orElse(null), cpu.usage().orElse(null), notes);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends the quality changes on the calling thread, open loop: change k at begin + k × interval. */
    private final class Sender {
        final int port;
        final String path;
        final String bearer;
        final QualityChanges changes;
        final Histogram putMicros = new Histogram(OpStats.HIGHEST_MICROS, 3);
        final Map<String, Long> errors = new LinkedHashMap<>();
        long late;

        Sender(int port, String path, String bearer, QualityChanges changes) {
            this.port = port;
            this.path = path;
            this.bearer = bearer;
            this.changes = changes;
        }

        /** Changes {@code from} .. {@code to - 1}, the first one now. */
        void run(int from, int to) {
            long interval = settings.interval().toNanos();
            long begin = System.nanoTime();
            for (int k = from; k < to; k++) {
                long scheduled = begin + (k - from) * interval;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() - scheduled > LATE_NANOS) {
                    late++;
                }
                send(k);
            }
        }

        /** Sends change {@code k}; its answer, or null when none came. */
        Http.Response send(int k) {
            String body = "{\"quality\":\"" + changes.preset(k) + "\"}";
            long sent = System.nanoTime();
            changes.publish(k, sent);
            try {
                Http.Response response = http.put(port, path, bearer, body);
                long done = System.nanoTime();
                changes.responded(k, response.status(), done);
                if (response.ok()) {
                    if (changes.isMeasured(k)) {
                        putMicros.recordValue(Math.min(OpStats.HIGHEST_MICROS, (done - sent) / 1_000));
                    }
                } else {
                    errors.merge("status " + response.status(), 1L, Long::sum);
                }
                return response;
            } catch (IOException e) {
                changes.responded(k, 0, System.nanoTime());
                errors.merge("io:" + e.getClass().getSimpleName(), 1L, Long::sum);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending quality changes", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Part 2: HLS segments against a plain Vert.x static-file server

    private HlsOutcome hls(ServiceProcess recording, String session, Path storage, ProcessHandle postmaster)
            throws Exception {
        List<String> notes = new ArrayList<>();
        Path hlsRoot = storage.resolve("hls");
        Path dir = hlsRoot.resolve(session);
        HlsSegments segments = HlsSegments.write(dir, settings.segments(), settings.segmentMinKib() * 1024L,
                settings.segmentMaxKib() * 1024L);
        String folder = settings.stack().repoRoot().relativize(dir).toString();
        Harness.log(String.format(Locale.ROOT, "hls: %d segments (%.0f KB mean) and %s in %s", segments.names().size(),
                segments.meanBytes() / 1000, segments.playlist(), folder));
        String base = "/hls/" + session + "/";
        Probe service;
        try {
            service = probe(recording.port(), base, segments);
        } catch (IOException e) {
            String why = "GET " + base + segments.playlist() + " failed: " + e.getMessage();
            Harness.log("hls: skipped, " + why);
            return HlsOutcome.skip(why);
        } catch (ProbeRefused e) {
            Harness.log("hls: skipped, " + e.getMessage());
            return HlsOutcome.skip(e.getMessage());
        }
        try (PeerJvm peer = PeerJvm.start(HlsFloorServer.class, List.of(hlsRoot.toString()),
                settings.stack().repoRoot().resolve("bench/target/streaming/hls-floor.log"))) {
            Probe plain;
            try {
                plain = probe(peer.port, base, segments);
            } catch (ProbeRefused e) {
                throw new IllegalStateException("the HLS peer: " + e.getMessage(), e);
            }
            int connections = settings.hlsConnections();
            LoadRequest.Source source = random -> {
                int i = random.nextInt(segments.names().size());
                return new LoadRequest("segment", HttpMethod.GET, base + segments.names().get(i), null, null, i);
            };
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", "*/*");
            Function<LoadRequest, Map<String, String>> requestHeaders = r -> headers;
            BiConsumer<LoadRequest, Buffer> check = (r, body) -> {
                int i = (Integer) r.context();
                if (body.length() != segments.sizes().get(i) || body.getByte(0) != HlsSegments.SYNC) {
                    throw new IllegalStateException("segment " + i + " of " + body.length() + " bytes");
                }
            };
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                    .setWorkerPoolSize(2).setInternalBlockingPoolSize(2).setPreferNativeTransport(true));
            try {
                ClosedLoop serviceLoop = new ClosedLoop(vertx, Harness.client(vertx, connections), recording.port(),
                        source, settings.requestTimeout(), check, requestHeaders, status -> status == 200);
                ClosedLoop peerLoop = new ClosedLoop(vertx, Harness.client(vertx, connections), peer.port, source,
                        settings.requestTimeout(), check, requestHeaders, status -> status == 200);
                Harness.log("hls warm-up: " + settings.hlsWarmup().toSeconds() + " s each, service and peer in turn");
                warmUp(List.of(serviceLoop, peerLoop), connections, settings.hlsWarmup().multipliedBy(2),
                        Duration.ofSeconds(5));
                List<CpuMeter.Part> parts = List.of(new CpuMeter.Part("recording-service", recording.handle()),
                        new CpuMeter.Part(StreamingReport.PEER_PART, peer.handle()));
                CpuMeter serviceCpu = new CpuMeter(parts, postmaster);
                CpuMeter peerCpu = new CpuMeter(parts, postmaster);
                Duration window = settings.hlsDuration().dividedBy(settings.hlsRounds());
                List<RecordingBenchmark.Window> windows = new ArrayList<>();
                for (int round = 1; round <= settings.hlsRounds(); round++) {
                    Harness.log("hls round " + round + "/" + settings.hlsRounds() + ": " + Harness.seconds(window)
                            + " s service, then " + Harness.seconds(window) + " s peer");
                    windows.add(measure(serviceLoop, StreamingReport.HLS_SERVICE, round, window, connections,
                            serviceCpu));
                    windows.add(measure(peerLoop, StreamingReport.HLS_PEER, round, window, connections, peerCpu));
                }
                return new HlsOutcome(null, segments, folder, windows, serviceCpu.usage().orElse(null),
                        peerCpu.usage().orElse(null), service, plain, notes);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A probe GET that got an answer other than the expected one. */
    static final class ProbeRefused extends Exception {
        ProbeRefused(String message) {
            super(message);
        }
    }

    /** GETs the playlist (with an Origin, to see the CORS headers) and the first segment; checks both. */
    private Probe probe(int port, String base, HlsSegments segments) throws IOException, InterruptedException,
            ProbeRefused {
        String playlistPath = base + segments.playlist();
        HttpResponse<byte[]> playlist = http.get(port, playlistPath, null, Map.of("Origin", PROBE_ORIGIN));
        if (playlist.statusCode() == 404) {
            throw new ProbeRefused("endpoint not available (404): GET " + playlistPath + " answered 404");
        }
        String text = new String(playlist.body(), StandardCharsets.UTF_8);
        if (playlist.statusCode() != 200 || !text.startsWith("#EXTM3U")) {
            throw new ProbeRefused("GET " + playlistPath + " answered " + playlist.statusCode() + " with "
                    + playlist.body().length + " bytes (`" + abbreviate(text) + "`), not 200 with the playlist");
        }
        String segmentPath = base + segments.names().getFirst();
        HttpResponse<byte[]> segment = http.get(port, segmentPath, null, Map.of());
        long size = segments.sizes().getFirst();
        if (segment.statusCode() != 200 || segment.body().length != size) {
            throw new ProbeRefused("GET " + segmentPath + " answered " + segment.statusCode() + " with "
                    + segment.body().length + " bytes, not 200 with " + size);
        }
        return new Probe(text.equals(HlsSegments.playlist(segments.names())),
                playlist.headers().firstValue("Content-Type").orElse("(none)"),
                segment.headers().firstValue("Content-Type").orElse("(none)"),
                segment.headers().firstValue("Cache-Control").orElse("(none)"),
                playlist.headers().firstValue("Access-Control-Allow-Origin").orElse("(none)"));
    }

    /** Runs the loops in turn, {@code slice} each, until {@code total} has passed. */
    private void warmUp(List<ClosedLoop> loops, int connections, Duration total, Duration slice) throws Exception {
        long end = System.nanoTime() + total.toNanos();
        int turn = 0;
        while (System.nanoTime() < end) {
            Duration window = Harness.min(slice, Duration.ofNanos(end - System.nanoTime()));
            if (window.toMillis() < 100) {
                break;
            }
            ClosedLoop loop = loops.get(turn++ % loops.size());
            Harness.await(loop.run("warm-up", connections, settings.clientThreads(), window, settings.maxRequests()),
                    window.plus(settings.requestTimeout()).plusSeconds(10));
        }
    }

    private RecordingBenchmark.Window measure(ClosedLoop loop, String target, int round, Duration window,
            int connections, CpuMeter cpu) throws Exception {
        cpu.begin();
        ClosedLoop.Result result = Harness.await(loop.run(target, connections, settings.clientThreads(), window,
                settings.maxRequests()), window.plus(settings.requestTimeout()).plusSeconds(10));
        cpu.end();
        Harness.log(String.format(Locale.ROOT, "  %s: %.0f ok/s, %d errors", target, result.okPerSecond(),
                result.errors()));
        return new RecordingBenchmark.Window(target, round, result);
    }

    /**
     * The raw answer to an SSE GET (status line, headers, up to 2 KB of body, control characters escaped) as far as
     * it arrives within 3 s: to say in the report what a stream that ends or stalls actually sent.
     */
    static String peek(int port, String path) {
        StringBuilder out = new StringBuilder();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[2048];
            int total = 0;
            try {
                for (int n; total < buffer.length && (n = socket.getInputStream().read(buffer, total,
                        buffer.length - total)) > 0;) {
                    total += n;
                }
                out.append("[closed after ").append(total).append(" bytes] ");
            } catch (SocketTimeoutException stalled) {
                out.append("[open, ").append(total).append(" bytes in 3 s] ");
            }
            out.append(new String(buffer, 0, total, StandardCharsets.ISO_8859_1).replace("\r\n", " | ")
                    .replace("\n", "\\n").replaceAll("[^\\x20-\\x7e|]", "."));
        } catch (IOException e) {
            out.append("socket failed: ").append(e);
        }
        return out.length() > 1_200 ? out.substring(0, 1_200) + "…" : out.toString();
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
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
