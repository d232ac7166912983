package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.livestage.bench.core.EventWatch;
import io.livestage.bench.core.LoadResult;
import io.livestage.events.CloudEventHeaders;

/**
 * The speakers, the viewers and the clock of {@code ./bench/run transcription}, and the ledger that matches what the
 * Gladia stub saw (its {@code onAudio} / {@code onTranscript} hooks, in this JVM) with what the harness wrote and
 * received.
 */
final class TranscriptionLoad implements AutoCloseable {

    /** Which path a stream takes. */
    enum Group {
        /** Through transcription-service (and its captions through chat-service). */
        SERVICE,
        /** Through the harness's plain Vert.x relay to the same stub: the floor. */
        FLOOR
    }

    /** A planned span of streaming by one group; {@code measured} windows are counted. */
    static final class Window {
        final int index;
        final Group group;
        final String label;
        final int round;
        final boolean measured;
        final long lengthNanos;
        volatile long start;
        volatile long end;

        Window(int index, Group group, String label, int round, boolean measured, long lengthNanos) {
            this.index = index;
            this.group = group;
            this.label = label;
            this.round = round;
            this.measured = measured;
            this.lengthNanos = lengthNanos;
        }

        double seconds() {
            return (end - start) / 1e9;
        }
    }

    /** What one window collected. Recorders take values from any thread (µs). */
    static final class WindowStats {
        final Recorder relay = recorder();
        final Recorder intendedToStub = recorder();
        final Recorder sendLag = recorder();
        final Recorder captionPartial = recorder();
        final Recorder captionFinal = recorder();
        final Recorder floorCaption = recorder();
        final LongAdder chunksSent = new LongAdder();
        final LongAdder chunksAtStub = new LongAdder();
        final LongAdder lateSends = new LongAdder();
        final LongAdder transcripts = new LongAdder();
        final LongAdder partials = new LongAdder();
        final LongAdder expectedDeliveries = new LongAdder();
        final LongAdder deliveries = new LongAdder();
        final LongAdder duplicates = new LongAdder();

        private static Recorder recorder() {
            return new Recorder(LoadResult.HIGHEST_MICROS, 3);
        }
    }

    /** One transcript the stub sent, and what became of it. */
    static final class Sent {
        private Speaker speaker;
        private long stubNanos;
        private int window = -1;
        private boolean isFinal;
        private boolean known;
        private List<Runnable> early;
        final AtomicLong viewersSeen = new AtomicLong();
        final AtomicLong firstViewerNanos = new AtomicLong();
        final AtomicLong echoNanos = new AtomicLong();
        volatile long tapPollNanos;
        volatile long tapCreateMillis;
        volatile long ceTimeEpochNanos;

        Sent() {
        }

        /** For tests: a transcript known from the start. */
        Sent(Speaker speaker, long stubNanos, int window, boolean isFinal) {
            known(speaker, stubNanos, window, isFinal);
        }

        /** The stub's side; runs the arrivals that came first. */
        void known(Speaker speaker, long stubNanos, int window, boolean isFinal) {
            List<Runnable> waiting;
            synchronized (this) {
                this.speaker = speaker;
                this.stubNanos = stubNanos;
                this.window = window;
                this.isFinal = isFinal;
                this.known = true;
                waiting = early;
                early = null;
            }
            if (waiting != null) {
                waiting.forEach(Runnable::run);
            }
        }

        /** Runs {@code action} now if the stub's side is known, else once it is. */
        void whenKnown(Runnable action) {
            synchronized (this) {
                if (!known) {
                    if (early == null) {
                        early = new ArrayList<>(2);
                    }
                    early.add(action);
                    return;
                }
            }
            action.run();
        }

        synchronized boolean isKnown() {
            return known;
        }

        synchronized Speaker speaker() {
            return speaker;
        }

        synchronized long stubNanos() {
            return stubNanos;
        }

        synchronized int window() {
            return window;
        }

        synchronized boolean isFinal() {
            return isFinal;
        }
    }

    /** A socket of the run: opened by {@link #open}, then every text frame goes to {@link #onText}. */
    abstract static class Sock {
        volatile WebSocket ws;
        volatile Context context;
        volatile String lastError;

        /** The first frame to send, or null. */
        abstract String hello();

        /** A text frame before the socket is ready: null to wait, "" when ready, else the refusal. */
        abstract String handshake(String text);

        /** Whether a refusal means "not yet" (the projections of a new session lag a moment): retried. */
        abstract boolean later(String refusal);

        abstract void onText(String text);

        void closed(int status) {
        }
    }

    /** A socket carrying one stream of audio. */
    final class Speaker extends Sock {
        final Group group;
        /** The livestage session (SERVICE) or null (FLOOR). */
        final String session;
        final String user;
        final String token;
        final AtomicLongArray writeNanos;
        final long[] intendedNanos;
        final byte[] windowOf;
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String streamId;
        volatile String stoppedReason;
        long phaseNanos;
        /** Event-loop confined. */
        int nextChunk;
        long bytesSent;
        long sendFailures;
        /** Stub-thread confined (the stub calls the hooks of one session under its monitor). */
        int lastChunkWindow = -1;

        Speaker(Group group, String session, String user, String token) {
            this.group = group;
            this.session = session;
            this.user = user;
            this.token = token;
            this.writeNanos = new AtomicLongArray(capacity);
            this.intendedNanos = new long[capacity];
            this.windowOf = new byte[capacity];
        }

        /** On the socket's event loop: the next chunk, intended at {@code intended}, booked to {@code window}. */
        void send(long intended, int window) {
            WebSocket socket = ws;
            int k = nextChunk;
            if (socket == null || closed.isDone() || k >= capacity) {
                sendFailures++;
                return;
            }
            nextChunk = k + 1;
            booked(k, intended, System.nanoTime(), window);
            socket.writeBinaryMessage(Buffer.buffer(pcm));
            bytesSent += pcm.length;
        }

        /** Chunk {@code k}, intended at {@code intended}, is written at {@code written}; books it to {@code window}. */
        void booked(int k, long intended, long written, int window) {
            intendedNanos[k] = intended;
            windowOf[k] = (byte) window;
            writeNanos.set(k, written); // publishes the two plain writes above to the stub's thread
            WindowStats stats = TranscriptionLoad.this.stats[window];
            stats.chunksSent.increment();
            long lag = written - intended;
            stats.sendLag.recordValue(LoadResult.micros(lag));
            if (lag > LATE_NANOS) {
                stats.lateSends.increment();
            }
        }

        @Override
        String hello() {
            return group == Group.FLOOR ? null : new JsonObject().put("type", "start").put("v", 1).put("token", token)
                    .put("format", new JsonObject().put("encoding", "pcm_s16le")
                            .put("sampleRate", TranscriptionScenario.SAMPLE_RATE).put("channels", 1))
                    .put("languages", new JsonArray().add("en")).encode();
        }

        @Override
        String handshake(String text) {
            try {
                JsonObject frame = new JsonObject(text);
                return switch (frame.getString("type", "")) {
                    case "ready" -> "";
                    case "error" -> frame.getString("code") + ": " + frame.getString("message");
                    default -> null;
                };
            } catch (RuntimeException e) {
                return "not JSON: " + text;
            }
        }

        @Override
        boolean later(String why) {
            return why.startsWith("connect failed") || why.contains("not_found") || why.contains("not_a_speaker")
                    || why.contains("not_live") || why.contains("unavailable");
        }

        @Override
        void closed(int status) {
            closed.complete(status);
        }

        @Override
        void onText(String text) {
            long now = System.nanoTime();
            JsonObject frame;
            try {
                frame = new JsonObject(text);
            } catch (RuntimeException e) {
                otherErrors.increment();
                return;
            }
            if (group == Group.FLOOR) {
                onFloorText(frame, now);
                return;
            }
            switch (frame.getString("type", "")) {
                case "ready" -> {
                    String id = frame.getString("streamId");
                    streamId = id;
                    byStream.put(id, this);
                    ready.complete(id);
                }
                case "transcript" -> entry(key(frame.getString("streamId"), frame.getString("utteranceId"),
                        Boolean.TRUE.equals(frame.getBoolean("final")))).echoNanos.compareAndSet(0, now);
                case "stopped" -> stoppedReason = frame.getString("reason");
                case "error" -> {
                    lastError = frame.getString("code", "?");
                    if (!ready.isDone()) {
                        ready.completeExceptionally(new IllegalStateException("error " + lastError + ": "
                                + frame.getString("message")));
                    }
                }
                default -> {
                }
            }
        }

        /** The relay sends {@code ready} itself and forwards the stub's messages as they are. */
        private void onFloorText(JsonObject frame, long now) {
            String type = frame.getString("type", "");
            if ("ready".equals(type)) {
                String id = frame.getString("streamId");
                streamId = id;
                byStream.put(id, this);
                ready.complete(id);
            } else if ("transcript".equals(type)) {
                JsonObject data = frame.getJsonObject("data");
                if (data == null) {
                    return;
                }
                Sent sent = entry(key(frame.getString("session_id"), String.valueOf(data.getValue("id")),
                        Boolean.TRUE.equals(data.getBoolean("is_final"))));
                sent.firstViewerNanos.compareAndSet(0, now);
                sent.whenKnown(() -> {
                    if (counted(sent)) {
                        WindowStats stats = TranscriptionLoad.this.stats[sent.window()];
                        stats.deliveries.increment();
                        stats.floorCaption.recordValue(LoadResult.micros(now - sent.stubNanos()));
                    }
                });
            } else if ("stopped".equals(type)) {
                stoppedReason = frame.getString("reason");
            }
        }
    }

    /** A viewer's room socket on chat-service. */
    final class Viewer extends Sock {
        final String session;
        final int slot;
        final String token;
        final CompletableFuture<Void> welcomed = new CompletableFuture<>();

        Viewer(String session, int slot, String token) {
            this.session = session;
            this.slot = slot;
            this.token = token;
        }

        @Override
        String hello() {
            return new JsonObject().put("type", "auth").put("v", 1).put("token", token).encode();
        }

        @Override
        String handshake(String text) {
            return text.contains("\"welcome\"") ? "" : text.contains("\"error\"")
                    ? new JsonObject(text).getString("code") : null;
        }

        @Override
        boolean later(String refusal) {
            return true;
        }

        @Override
        void onText(String text) {
            long now = System.nanoTime();
            if (!text.contains("\"caption\"")) {
                if (text.contains("\"welcome\"")) {
                    readyViewers.computeIfAbsent(session, s -> new AtomicInteger()).incrementAndGet();
                    welcomed.complete(null);
                } else if (text.contains("\"error\"")) {
                    JsonObject frame = new JsonObject(text);
                    lastError = frame.getString("code", "?");
                    if (!welcomed.isDone()) {
                        welcomed.completeExceptionally(new IllegalStateException("error " + lastError));
                    }
                }
                return;
            }
            JsonObject segment = new JsonObject(text).getJsonObject("segment");
            if (segment == null) {
                return;
            }
            Sent sent = entry(key(segment.getString("streamId"), segment.getString("utteranceId"),
                    Boolean.TRUE.equals(segment.getBoolean("isFinal"))));
            long bit = 1L << slot;
            long before = sent.viewersSeen.getAndUpdate(v -> v | bit);
            boolean duplicate = (before & bit) != 0;
            sent.firstViewerNanos.compareAndSet(0, now);
            sent.whenKnown(() -> {
                if (counted(sent)) {
                    WindowStats stats = TranscriptionLoad.this.stats[sent.window()];
                    if (duplicate) {
                        stats.duplicates.increment();
                        return;
                    }
                    stats.deliveries.increment();
                    (sent.isFinal() ? stats.captionFinal : stats.captionPartial)
                            .recordValue(LoadResult.micros(now - sent.stubNanos()));
                }
            });
        }
    }

    /** A send later than this behind its intended time counts as late (the harness fell behind). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int CONNECT_ATTEMPTS = 30;
    private static final long RETRY_MILLIS = 500;

    private final Vertx vertx;
    private WebSocketClient client;
    private final byte[] pcm;
    private final int chunkBytes;
    private final long chunkNanos;
    final int capacity;
    final List<Window> windows = new ArrayList<>();
    WindowStats[] stats = new WindowStats[0];
    final List<Speaker> speakers = new ArrayList<>();
    final List<Viewer> viewers = new ArrayList<>();
    final Map<String, Speaker> byStream = new ConcurrentHashMap<>();
    final Map<String, Sent> ledger = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> readyViewers = new ConcurrentHashMap<>();
    final LongAdder unknownAudio = new LongAdder();
    final LongAdder unmatchedChunks = new LongAdder();
    final LongAdder unalignedFrames = new LongAdder();
    final LongAdder otherErrors = new LongAdder();
    final LongAdder tapRecords = new LongAdder();
    final LongAdder tapMalformed = new LongAdder();
    private volatile boolean running = true;
    private Thread scheduler;

    /**
     * @param capacity the most chunks one speaker sends in the run (bounds the load and the per-chunk arrays)
     */
    TranscriptionLoad(Vertx vertx, int chunkBytes, long chunkNanos, int capacity) {
        this.vertx = vertx;
        this.chunkBytes = chunkBytes;
        this.chunkNanos = chunkNanos;
        this.capacity = capacity;
        this.pcm = tone(chunkBytes);
    }

    /** {@code bytes} of a 440 Hz tone in 16 kHz PCM16 little-endian. */
    static byte[] tone(int bytes) {
        byte[] pcm = new byte[bytes];
        for (int j = 0; j + 1 < bytes; j += 2) {
            short sample = (short) (Math.sin(2 * Math.PI * 440 * (j / 2) / 16_000.0) * 8_000);
            pcm[j] = (byte) sample;
            pcm[j + 1] = (byte) (sample >> 8);
        }
        return pcm;
    }

    static String key(String stream, String utterance, boolean isFinal) {
        return stream + '/' + utterance + (isFinal ? "/F" : "/P");
    }

    private synchronized WebSocketClient client() {
        if (client == null) {
            client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000)
                    .setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024).setTcpNoDelay(true)
                    // Vert.x queues connections beyond 50 per server by default: every socket of the run is open at once
                    .setMaxConnections(10_000));
        }
        return client;
    }

    /** Plans the windows, in order; must be called before {@link #start}. */
    Window plan(Group group, String label, int round, boolean measured, long lengthNanos) {
        Window window = new Window(windows.size(), group, label, round, measured, lengthNanos);
        windows.add(window);
        return window;
    }

    Speaker addSpeaker(Group group, String session, String user, String token) {
        Speaker speaker = new Speaker(group, session, user, token);
        speakers.add(speaker);
        return speaker;
    }

    Viewer addViewer(String session, int slot, String token) {
        Viewer viewer = new Viewer(session, slot, token);
        viewers.add(viewer);
        return viewer;
    }

    List<Speaker> speakers(Group group) {
        return speakers.stream().filter(s -> s.group == group).toList();
    }

    /** The ledger entry of a key, made if it is not there yet (by the stub's hook or by an early arrival). */
    Sent entry(String key) {
        return ledger.computeIfAbsent(key, k -> new Sent());
    }

    /** Whether a transcript is counted: sent by the stub inside a measured window (+ one second for its tail). */
    boolean counted(Sent sent) {
        if (!sent.isKnown() || sent.window() < 0) {
            return false;
        }
        Window w = windows.get(sent.window());
        long at = sent.stubNanos();
        return w.measured && w.end > 0 && at >= w.start && at <= w.end + 1_000_000_000L;
    }

    /** Caption frames (and echoes) for which the stub never sent a transcript. */
    long unknownTranscripts() {
        return ledger.values().stream().filter(s -> !s.isKnown()).count();
    }

    // ------------------------------------------------------------------------------------------------------------
    // the stub's hooks (its I/O threads, the session's monitor held: short and non-blocking)

    void onAudio(String sessionId, long offset, int length, long receivedNanos) {
        Speaker s = byStream.get(sessionId);
        if (s == null) {
            unknownAudio.increment();
            return;
        }
        long end = offset + length;
        if (offset % chunkBytes != 0 || length % chunkBytes != 0) {
            unalignedFrames.increment();
        }
        // a chunk counts as arrived with the frame holding its last byte
        for (long e = (offset / chunkBytes + 1) * chunkBytes; e <= end; e += chunkBytes) {
            int k = (int) (e / chunkBytes) - 1;
            if (k >= capacity) {
                break;
            }
            long written = s.writeNanos.get(k);
            if (written == 0) {
                unmatchedChunks.increment();
                continue;
            }
            int window = s.windowOf[k];
            s.lastChunkWindow = window;
            Window w = windows.get(window);
            if (w.measured) {
                WindowStats stats = this.stats[window];
                stats.chunksAtStub.increment();
                stats.relay.recordValue(LoadResult.micros(receivedNanos - written));
                stats.intendedToStub.recordValue(LoadResult.micros(receivedNanos - s.intendedNanos[k]));
            }
        }
    }

    void onTranscript(String sessionId, String utteranceId, boolean isFinal, String text, long sentNanos) {
        Speaker s = byStream.get(sessionId);
        if (s == null) {
            return;
        }
        Sent sent = entry(key(sessionId, utteranceId, isFinal));
        sent.known(s, sentNanos, s.lastChunkWindow, isFinal);
        if (counted(sent)) {
            WindowStats stats = this.stats[sent.window()];
            stats.transcripts.increment();
            if (!isFinal) {
                stats.partials.increment();
            }
            int audience = s.group == Group.FLOOR ? 1
                    : readyViewers.getOrDefault(s.session, new AtomicInteger()).get();
            stats.expectedDeliveries.add(audience);
        }
    }

    /**
     * The harness's consumer of {@code livestage.transcript} (standing in for chat-service's room feed): notes in the
     * ledger when the poll returned each segment, its CreateTime (the outbox relay's send, ms) and its {@code ce_time}.
     */
    void tapped(ConsumerRecord<byte[], byte[]> record, long polledNanos) {
        tapRecords.increment();
        if (record.value() == null) {
            return;
        }
        JsonObject data;
        try {
            data = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            tapMalformed.increment();
            return;
        }
        Sent sent = entry(key(data.getString("streamId"), data.getString("utteranceId"),
                Boolean.TRUE.equals(data.getBoolean("isFinal"))));
        sent.tapPollNanos = polledNanos;
        sent.tapCreateMillis = record.timestamp();
        String time = EventWatch.header(record, CloudEventHeaders.TIME);
        try {
            Instant at = time == null ? null : Instant.parse(time);
            sent.ceTimeEpochNanos = at == null ? 0 : at.getEpochSecond() * 1_000_000_000L + at.getNano();
        } catch (RuntimeException ignored) {
            // not a timestamp: the split leaves it out
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // connections

    /**
     * Opens {@code sock}'s socket at {@code uri} and sends its hello; completes once its handshake says ready. A failed
     * connect or a refusal that means "not yet" is retried after 500 ms, {@value #CONNECT_ATTEMPTS} attempts in all.
     */
    CompletableFuture<Void> connect(Sock sock, String uri) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        connect(sock, uri, 1, done);
        return done;
    }

    private void connect(Sock sock, String uri, int attempt, CompletableFuture<Void> done) {
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> client().connect(new WebSocketConnectOptions().setAbsoluteURI(uri)).onComplete(r -> {
            if (r.failed()) {
                retry(sock, uri, attempt, done, "connect failed: " + r.cause().getMessage());
                return;
            }
            WebSocket ws = r.result();
            boolean[] state = {false, false}; // ready, refused
            ws.textMessageHandler(text -> {
                if (state[0]) {
                    sock.onText(text);
                    return;
                }
                String verdict = state[1] ? null : sock.handshake(text);
                if (verdict != null && verdict.isEmpty()) {
                    state[0] = true;
                    sock.context = context;
                    sock.ws = ws;
                    sock.onText(text);
                    done.complete(null);
                } else if (verdict != null) {
                    state[1] = true;
                    ws.close();
                    retry(sock, uri, attempt, done, verdict);
                }
            });
            ws.closeHandler(x -> {
                int status = ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode();
                if (state[0]) {
                    sock.closed(status);
                } else if (!state[1]) {
                    state[1] = true;
                    retry(sock, uri, attempt, done, "closed " + status + " " + ws.closeReason());
                }
            });
            ws.exceptionHandler(x -> otherErrors.increment());
            String hello = sock.hello();
            if (hello != null) {
                ws.writeTextMessage(hello);
            }
        }));
    }

    private void retry(Sock sock, String uri, int attempt, CompletableFuture<Void> done, String why) {
        sock.lastError = why;
        if (attempt >= CONNECT_ATTEMPTS || !sock.later(why)) {
            done.completeExceptionally(new IllegalStateException(uri + " after " + attempt + " attempt(s): " + why));
            return;
        }
        vertx.setTimer(RETRY_MILLIS, t -> connect(sock, uri, attempt + 1, done));
    }

    // ------------------------------------------------------------------------------------------------------------
    // the schedule

    /**
     * Starts the scheduler thread: the windows one after the other from {@code startNanos}, each window's group
     * streaming.
     */
    void start(long startNanos, Consumer<Window> onWindowStart, Consumer<Window> onWindowEnd) {
        prepare();
        scheduler = Thread.ofPlatform().name("bench-audio-scheduler").daemon().start(() -> {
            long at = startNanos;
            for (Window w : windows) {
                if (!running) {
                    break;
                }
                w.start = at;
                w.end = at + w.lengthNanos;
                waitUntil(at);
                onWindowStart.accept(w);
                stream(w, speakers(w.group));
                waitUntil(w.end);
                onWindowEnd.accept(w);
                at = w.end;
            }
            running = false;
        });
    }

    /** The statistics of every planned window, and each group's phases spread evenly over one chunk period. */
    void prepare() {
        stats = new WindowStats[windows.size()];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new WindowStats();
        }
        for (Group group : Group.values()) {
            List<Speaker> members = speakers(group);
            for (int i = 0; i < members.size(); i++) {
                members.get(i).phaseNanos = chunkNanos * i / members.size();
            }
        }
    }

    /** Chunk k of speaker i at {@code w.start + phase_i + k × chunk}, in time order, until the window ends. */
    private void stream(Window w, List<Speaker> group) {
        for (long tick = 0; running; tick++) {
            long base = w.start + tick * chunkNanos;
            if (base >= w.end) {
                return;
            }
            for (Speaker s : group) {
                long due = base + s.phaseNanos;
                if (due >= w.end) {
                    break;
                }
                waitUntil(due);
                Context context = s.context;
                if (context != null) {
                    int window = w.index;
                    context.runOnContext(v -> s.send(due, window));
                }
            }
        }
    }

    private void waitUntil(long nanos) {
        long left;
        while (running && (left = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Waits for the scheduler to go through every window. */
    void awaitSchedule(long timeoutMillis) throws InterruptedException {
        if (scheduler != null) {
            scheduler.join(timeoutMillis);
        }
    }

    /** Asks every ready speaker to stop ({@code stop} frame on the service, text {@code stop} to the relay). */
    void stopSpeakers(Collection<Speaker> which) {
        for (Speaker s : which) {
            WebSocket ws = s.ws;
            if (ws != null && s.context != null) {
                s.context.runOnContext(v -> {
                    if (!s.closed.isDone()) {
                        ws.writeTextMessage(s.group == Group.SERVICE ? "{\"type\":\"stop\",\"v\":1}" : "stop");
                    }
                });
            }
        }
    }

    /** Collected histograms of one window (call once the window and its tail are over). */
    static Histogram snapshot(Recorder recorder) {
        Histogram h = LoadResult.histogram();
        h.add(recorder.getIntervalHistogram());
        return h;
    }

    @Override
    public void close() {
        running = false;
        for (Viewer v : viewers) {
            WebSocket ws = v.ws;
            if (ws != null) {
                ws.close();
            }
        }
        for (Speaker s : speakers) {
            WebSocket ws = s.ws;
            if (ws != null && !s.closed.isDone()) {
                ws.close();
            }
        }
    }
}
