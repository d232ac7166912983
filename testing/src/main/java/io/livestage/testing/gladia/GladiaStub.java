package io.livestage.testing.gladia;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A contract stub of Gladia's live transcription API v2 (the init call and the WebSocket protocol), for tests and
 * benchmarks of code that streams audio to Gladia. No mocks: a real HTTP + WebSocket server (Netty, non-blocking) on a
 * free loopback port, answering what Gladia answers (its AsyncAPI and JS SDK), with deterministic transcripts
 * driven by the audio bytes that arrive, and a record of everything for assertions. Start one per test class.
 *
 * <pre>{@code
 * GladiaStub gladia = GladiaStub.start().script(List.of("hello world", "second sentence"));
 * // point the code under test at gladia.baseUrl() (instead of https://api.gladia.io) with gladia.apiKey()
 * GladiaSession session = gladia.awaitSession(s -> s.ended(), Duration.ofSeconds(10));
 * assertThat(session.receivedBytes()).isEqualTo(bytesSent);
 * assertThat(session.finalTexts()).containsExactly("hello world", "second sentence");
 * gladia.assertNoViolations();
 * gladia.close();
 * }</pre>
 *
 * <h2>Init: {@code POST /v2/live[?region=eu-west|us-west]}</h2>
 * <ul>
 * <li>{@code x-gladia-key} must be {@link #apiKey()}: a missing or other key is answered <b>401</b> before the body is
 * looked at.</li>
 * <li>The body must be a JSON object ({@code Content-Type: application/json}) whose fields take Gladia's values:
 * {@code encoding} {@code wav/pcm|wav/alaw|wav/ulaw} (alaw/ulaw: 8 bits), {@code bit_depth} 8/16/24/32,
 * {@code sample_rate} 8000/16000/32000/44100/48000, {@code channels} 1–8, {@code model} {@code solaria-1|solaria-2},
 * {@code endpointing} 0.01–10, {@code maximum_duration_without_endpointing} 5–60, {@code language_config
 * {languages:[codes], code_switching}}, {@code pre_processing {audio_enhancer, speech_threshold 0–1}},
 * {@code messages_config} (booleans), {@code realtime_processing}/{@code post_processing}/{@code custom_metadata}
 * (objects), {@code callback} (boolean; then {@code callback_config.url} is required). <b>Unknown properties are
 * refused</b> (at the top level and in language_config, pre_processing, messages_config, callback_config), so a
 * misspelt option fails instead of silently doing nothing. Anything else: <b>400</b>.</li>
 * <li>Errors are JSON {@code {"timestamp","path","request_id":"G-…","statusCode","message"[,"validation_errors":[…]]}}
 * (Gladia's exact error body is not documented; rely on the status). Every refusal is listed in
 * {@link #rejections()}.</li>
 * <li>Success: <b>201</b> {@code {"id":"<uuid>","created_at":"<ISO, ms>","url":"ws://127.0.0.1:<port>/v2/live?token=<t>"}};
 * the session is recorded with its body ({@link GladiaSession#initBody()}). Defaults when absent: {@code wav/pcm},
 * 16 bits, 16000 Hz, 1 channel; messages_config as the API reference: partial transcripts <b>off</b>, final
 * transcripts, speech events, acknowledgments and errors <b>on</b>, lifecycle events <b>off</b>.</li>
 * </ul>
 *
 * <h2>WebSocket: {@code GET /v2/live?token=<t>}</h2>
 * <ul>
 * <li>An unknown token, or the token of a session that has ended, is <b>refused at the upgrade with HTTP 401</b> and
 * a JSON body (no WebSocket is opened; the client sees a failed handshake with status 401).</li>
 * <li>Audio: binary frames (raw bytes of the declared format) and text {@code {"type":"audio_chunk","data":{"chunk":
 * "<base64>"}}} (decoded bytes count); both are counted ({@link GladiaSession#binaryChunks()},
 * {@link GladiaSession#jsonChunks()}). A frame (or a fragmented message) over {@link #MAX_FRAME_BYTES} (1 MiB) is
 * answered by a close <b>1009</b>.</li>
 * <li>Every server message is JSON {@code {"session_id","created_at","type",…}} with {@code data} where Gladia's
 * message has a payload ({@code start_session}, {@code start_recording} and {@code end_session} have none, as in
 * Gladia's SDK types and AsyncAPI).</li>
 * <li><b>Acknowledgements</b> (messages_config.receive_acknowledgments): after every {@link #ackEvery(int) N-th} audio
 * chunk, {@code {"type":"audio_chunk","acknowledged":true,"error":null,"data":{"byte_range":[a,b],"time_range":[s,e]}}}
 * covering every byte since the previous acknowledgement: {@code a} and {@code b} are cumulative offsets of the
 * session, <b>{@code b} exclusive</b> (the next byte's offset: what Gladia's SDK and samples trim their resend buffer
 * to), {@code s = a / bytesPerSecond}, {@code e = b / bytesPerSecond}.</li>
 * <li><b>Transcripts</b> are made from byte counts, never from the wall clock: utterance {@code k} (0, 1, …) spans the
 * bytes {@code [k·U, (k+1)·U)} where {@code U} = {@link #utteranceDuration(Duration)} of audio (default 1 s). When
 * {@link #minUtteranceDuration(Duration)} (default 100 ms) of it has arrived: {@code speech_start {time: k·U s,
 * channel 0}}; when half of it has: a partial ({@code is_final:false}, the first half of the words, end = the middle);
 * when all of it has: the final ({@code is_final:true}, all words, same {@code data.id}), then {@code speech_end
 * {time: (k+1)·U s}}. Ids are {@code 00_%08d} of {@code k} (treat them as opaque). The utterance: {@code start},
 * {@code end} (seconds from the session's first byte), {@code confidence} (0.95 final, 0.8 partial), {@code channel}
 * 0, {@code text}, {@code language} (first of language_config.languages, else {@code en}), {@code words} (the text
 * split on spaces, times spread evenly). Text comes from {@link #script(List)} (cycled; default {@code "utterance 1"},
 * {@code "utterance 2"}, …) or from {@link #scriptFor(String, String, List)} when the init body's
 * {@code custom_metadata} matches. Only what messages_config asks for is sent; audio resent after a reconnect (below
 * the furthest offset already reached) produces nothing new.</li>
 * <li><b>{@code {"type":"stop_recording"}}</b>: the ack {@code {"type":"stop_recording","acknowledged":true,
 * "error":null,"data":{"recording_duration":<s>,"recording_left_to_process":0}}} (if acks are on), then — after
 * {@link #stopProcessingDelay(Duration)} (default none) — the final of the audio not yet in an utterance if at least
 * the minimum utterance duration of it is left (preceded by speech_start and followed by speech_end as usual),
 * lifecycle {@code end_recording {recording_duration}} and {@code end_session} (if lifecycle events are on), and a
 * close <b>1000</b>. The session is then over.</li>
 * <li>Lifecycle (receive_lifecycle_events): {@code start_session} on the first connection, {@code start_recording}
 * with the first audio byte.</li>
 * <li>A client close <b>1000</b> also ends the session (no trailing final: Gladia delivers results by callback or
 * {@code GET /v2/live/:id}, not simulated). A client close with another code (Gladia's Python resume sample closes
 * with 4500) ends only the connection.</li>
 * <li><b>Reconnect</b>: while the session is not over, the same URL can be connected again and the session continues
 * (same id, offsets, utterance numbering). When a connection ends without ending the session (a drop, a network
 * loss, a close with a code other than 1000 either way) the stub <b>discards the bytes received since the last
 * acknowledgement it delivered</b>: they were in flight. A client that resends exactly its unacknowledged bytes then
 * ends with {@link GladiaSession#receivedBytes()} equal to what it sent; one that resends nothing ends short, one that
 * resends too much ends long. (With acknowledgments off nothing is discarded.) A second connection while one is open
 * replaces it (the old one is dropped).</li>
 * <li>Init faults on demand: {@link #failNextInits(int, int)} answers the next init calls with a status of your choice
 * (503 for a Gladia in trouble, 429, 401 for a refused key) and Gladia's error body, before the key or the body is
 * looked at; each is listed in {@link #rejections()}.</li>
 * <li>Faults on demand: {@link #dropConnection(String)} and {@link #dropAfterBytes(long)} end the connection <b>without
 * a close frame</b> — a TCP half-close after everything already written, so the client sees an abnormal close (1006)
 * yet reads every acknowledgement the stub counted (a reset could make its kernel drop them);
 * {@link #closeConnection(String, int, String)} closes with a code (1011, 4500, …).</li>
 * <li><b>Protocol violations</b> — a text message that is not a JSON object, has no string {@code type} or an unknown
 * one, an {@code audio_chunk} without a base64 {@code data.chunk}, audio after {@code stop_recording}, a second
 * {@code stop_recording}, an oversized or invalid frame — are recorded ({@link #violations()},
 * {@link #assertNoViolations()}) and, if messages_config.receive_errors is on and the connection is still open,
 * answered with {@code {"session_id","created_at","type":"error","error":{"status_code":400,"exception":
 * "InvalidMessage","message":"…"},"data":null}} (Gladia documents no such message: the shape joins the SDK's
 * {@code {message}} and the AsyncAPI's {@code {status_code,exception,message}}). The connection stays open.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Netty event loops ({@code max(2, cores)} I/O threads); no sleeps. Each session's state is guarded by its own monitor,
 * so many sessions stream in parallel. The {@link AudioListener} and {@link TranscriptListener} hooks run on the I/O
 * thread with that monitor held: keep them short and non-blocking (record a timestamp, count).
 *
 * <h2>Not simulated</h2>
 * Real speech recognition, endpointing on silence (utterances are cut by byte count), WAV headers (counted as audio),
 * diarization, translation and other realtime/post-processing add-ons and their messages, {@code GET /v2/live/:id},
 * callbacks, regions (accepted, ignored), the 3 h session limit, concurrency limits.
 */
public final class GladiaStub implements AutoCloseable {

    /** The largest WebSocket frame (or reassembled message) accepted: 1 MiB. */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;
    /** The header carrying the API key. */
    public static final String API_KEY_HEADER = "x-gladia-key";

    static final String LIVE_PATH = "/v2/live";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_INIT_BODY = 1024 * 1024;
    private static final int LISTED_SESSIONS = 20;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Called for every audio chunk the stub accepts (also ones later discarded by a drop). */
    @FunctionalInterface
    public interface AudioListener {
        /**
         * @param sessionId the Gladia session
         * @param offset the chunk's first byte's offset in the session
         * @param length its length in bytes
         * @param receivedNanos {@link System#nanoTime()} when its frame was read
         */
        void onAudio(String sessionId, long offset, int length, long receivedNanos);
    }

    /** Called for every transcript message the stub sends. */
    @FunctionalInterface
    public interface TranscriptListener {
        /**
         * @param sessionId the Gladia session
         * @param utteranceId {@code data.id}
         * @param isFinal {@code data.is_final}
         * @param text {@code data.utterance.text}
         * @param sentNanos {@link System#nanoTime()} just before the write
         */
        void onTranscript(String sessionId, String utteranceId, boolean isFinal, String text, long sentNanos);
    }

    private final String apiKey;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;
    private final int port;

    /** Guards sessions, rejections, violations and scriptsByMetadata. */
    private final Object lock = new Object();
    private final List<GladiaSession> sessions = new ArrayList<>();
    private final Map<String, GladiaSession> sessionsById = new ConcurrentHashMap<>();
    private final Map<String, GladiaSession> sessionsByToken = new ConcurrentHashMap<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final Map<List<String>, List<String>> scriptsByMetadata = new LinkedHashMap<>();

    private volatile int ackEvery;
    private volatile Duration utteranceDuration;
    private volatile Duration minUtteranceDuration;
    private volatile List<String> script;
    private volatile long dropAfterBytes;
    private volatile Duration stopProcessingDelay;
    private volatile boolean retainAudio;
    private volatile AudioListener audioListener;
    private volatile TranscriptListener transcriptListener;
    private final AtomicInteger failingInits = new AtomicInteger();
    private volatile int failingInitStatus;

    private GladiaStub(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.isEmpty()) {
            throw new IllegalArgumentException("the API key must not be empty");
        }
        defaults();
        String name = "gladia-stub-" + INSTANCES.incrementAndGet();
        this.acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
        this.ioGroup = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory(name + "-io", true));
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(acceptGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("http-aggregator", new HttpObjectAggregator(MAX_INIT_BODY))
                                    .addLast("gladia", new GladiaChannel(GladiaStub.this));
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("cannot start the Gladia stub", e);
        }
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Starts a stub on a free loopback port with a random API key. */
    public static GladiaStub start() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return new GladiaStub("gl-test-" + HexFormat.of().formatHex(key));
    }

    /** Starts a stub that accepts {@code apiKey}. */
    public static GladiaStub start(String apiKey) {
        return new GladiaStub(apiKey);
    }

    /** {@code http://127.0.0.1:<port>}: what the code under test uses instead of {@code https://api.gladia.io}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The only API key the stub accepts ({@code x-gladia-key}). */
    public String apiKey() {
        return apiKey;
    }

    /** Stops the server; open connections are closed without a close frame. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        shutdownGroups();
    }

    private void shutdownGroups() {
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Knobs: they apply to sessions initiated afterwards (a session keeps the values of its init)

    /**
     * Acknowledge after every {@code chunks}-th audio chunk (default 1: every chunk), each acknowledgement covering all
     * bytes since the previous one; with more than 1 there are unacknowledged bytes between acknowledgements.
     */
    public GladiaStub ackEvery(int chunks) {
        if (chunks < 1) {
            throw new IllegalArgumentException("ackEvery must be at least 1");
        }
        this.ackEvery = chunks;
        return this;
    }

    /** The audio duration of one utterance (default 1 s), rounded down to whole sample frames. */
    public GladiaStub utteranceDuration(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the utterance duration must be positive");
        }
        this.utteranceDuration = duration;
        return this;
    }

    /**
     * The audio an utterance needs before its speech_start is sent, and the least trailing audio that gets a final on
     * stop_recording (default 100 ms; capped at the utterance duration).
     */
    public GladiaStub minUtteranceDuration(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the minimum utterance duration must not be negative");
        }
        this.minUtteranceDuration = duration;
        return this;
    }

    /** The texts of utterances 1, 2, … (cycled) of sessions without a {@link #scriptFor matching} script. */
    public GladiaStub script(List<String> texts) {
        this.script = checkedScript(texts);
        return this;
    }

    /** {@link #script(List)} with varargs. */
    public GladiaStub script(String... texts) {
        return script(List.of(texts));
    }

    /**
     * The script of sessions whose init body has {@code custom_metadata.<key>} equal to {@code value} (compared as
     * text), e.g. {@code scriptFor("participant", "p-1", List.of("hello from one"))}. The first registered match wins.
     */
    public GladiaStub scriptFor(String key, String value, List<String> texts) {
        List<String> checked = checkedScript(texts);
        synchronized (lock) {
            scriptsByMetadata.put(List.of(key, value), checked);
        }
        return this;
    }

    private static List<String> checkedScript(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one text");
        }
        for (String text : texts) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("script texts must not be blank");
            }
        }
        return List.copyOf(texts);
    }

    /**
     * Every session initiated from now on is dropped once (as {@link #dropConnection}) when the audio it accepted
     * reaches {@code bytes}: the chunk that reaches it is not acknowledged and is discarded with the other
     * unacknowledged bytes. {@code 0} or less: off (the default).
     */
    public GladiaStub dropAfterBytes(long bytes) {
        this.dropAfterBytes = bytes;
        return this;
    }

    /**
     * The next {@code count} init calls are answered {@code status} (4xx or 5xx: 503 for a Gladia in trouble, 429, 401
     * as if the key were refused) with Gladia's error body, before the key or the body is looked at; the calls after
     * them are answered as usual. Replaces what is left of a previous call; {@code 0} turns it off.
     */
    public GladiaStub failNextInits(int count, int status) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("failNextInits needs a count >= 0 and a 4xx or 5xx status");
        }
        failingInitStatus = status;
        failingInits.set(count);
        return this;
    }

    /** Like {@link #dropAfterBytes(long)} for one existing session (counting all bytes it accepted so far). */
    public GladiaStub dropAfterBytes(String sessionId, long bytes) {
        session(sessionId).dropAfterBytes(bytes);
        return this;
    }

    /**
     * Time between the stop_recording ack and the trailing final / close 1000 (default none), Gladia's "processing
     * the remaining audio"; audio arriving meanwhile is a violation. Scheduled on the I/O thread, never slept.
     */
    public GladiaStub stopProcessingDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the delay must not be negative");
        }
        this.stopProcessingDelay = delay;
        return this;
    }

    /**
     * Whether sessions keep their audio bytes for {@link GladiaSession#audio()} / {@link GladiaSession#audioSha256()}
     * (default true). Turn off for long or many sessions (a benchmark): counts and offsets are kept either way.
     */
    public GladiaStub retainAudio(boolean retain) {
        this.retainAudio = retain;
        return this;
    }

    /** The hook called for every accepted audio chunk (replaces the previous one; null removes it). */
    public GladiaStub onAudio(AudioListener listener) {
        this.audioListener = listener;
        return this;
    }

    /** The hook called for every transcript sent (replaces the previous one; null removes it). */
    public GladiaStub onTranscript(TranscriptListener listener) {
        this.transcriptListener = listener;
        return this;
    }

    /**
     * Forgets every session (their open connections are closed without a close frame; their tokens become unknown),
     * rejection and violation, and restores every knob and hook to its default.
     */
    public void reset() {
        List<GladiaSession> forgotten;
        synchronized (lock) {
            forgotten = List.copyOf(sessions);
            sessions.clear();
            sessionsById.clear();
            sessionsByToken.clear();
            rejections.clear();
            violations.clear();
            scriptsByMetadata.clear();
        }
        for (GladiaSession session : forgotten) {
            GladiaChannel connection = session.currentConnection();
            if (connection != null) {
                connection.closeNow();
            }
        }
        defaults();
    }

    private void defaults() {
        ackEvery = 1;
        utteranceDuration = Duration.ofSeconds(1);
        minUtteranceDuration = Duration.ofMillis(100);
        script = null;
        dropAfterBytes = -1;
        stopProcessingDelay = Duration.ZERO;
        retainAudio = true;
        audioListener = null;
        transcriptListener = null;
        failingInits.set(0);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Faults on demand

    /**
     * Ends the session's open connection now without a close frame (the client sees 1006) and discards the bytes
     * received since the last delivered acknowledgement; the session stays open for a reconnect. Returns once done.
     *
     * @throws IllegalStateException if the session has no open connection
     */
    public void dropConnection(String sessionId) {
        GladiaSession session = session(sessionId);
        GladiaChannel connection = openConnection(session);
        connection.channel.eventLoop().submit(() -> session.drop(connection)).syncUninterruptibly();
    }

    /**
     * Closes the session's open connection with a close frame carrying {@code code} and {@code reason} (e.g. 1011 or
     * 4500; a code a close frame may carry: 1000–1003, 1007–1014, 3000–4999). 1000 ends the session; any other code
     * keeps it open for a reconnect, after discarding the unacknowledged bytes. Returns once the frame is queued.
     */
    public void closeConnection(String sessionId, int code, String reason) {
        boolean sendable = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
        if (!sendable) {
            throw new IllegalArgumentException(code + " cannot be sent in a close frame; use dropConnection for 1006");
        }
        GladiaSession session = session(sessionId);
        GladiaChannel connection = openConnection(session);
        connection.channel.eventLoop().submit(() -> session.closeByStub(connection, code, reason == null ? "" : reason))
                .syncUninterruptibly();
    }

    private static GladiaChannel openConnection(GladiaSession session) {
        GladiaChannel connection = session.currentConnection();
        if (connection == null) {
            throw new IllegalStateException("Gladia session " + session.id() + " has no open connection: " + session);
        }
        return connection;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Recording

    /** Every session initiated so far, oldest first. */
    public List<GladiaSession> sessions() {
        synchronized (lock) {
            return List.copyOf(sessions);
        }
    }

    /** The session with this id; an {@code AssertionError} listing the sessions if there is none. */
    public GladiaSession session(String id) {
        GladiaSession session = sessionsById.get(id);
        if (session == null) {
            throw new AssertionError(describeSessions("No Gladia session " + id + "."));
        }
        return session;
    }

    /**
     * Waits for a session (already initiated or to come) for which the predicate holds, e.g.
     * {@code s -> "p-1".equals(s.customMetadata("participant")) && s.ended()}; an {@code AssertionError} describing
     * every session on timeout.
     */
    public GladiaSession awaitSession(Predicate<GladiaSession> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (GladiaSession session : sessions()) {
                if (predicate.test(session)) {
                    return session;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(describeSessions("No Gladia session matched within " + timeout + "."));
            }
            GladiaSession.sleepBriefly();
        }
    }

    /** Waits until {@code count} sessions have been initiated and returns them, oldest first. */
    public List<GladiaSession> awaitSessions(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<GladiaSession> all = sessions();
            if (all.size() >= count) {
                return all;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(describeSessions("Fewer than " + count + " Gladia sessions within " + timeout
                        + "."));
            }
            GladiaSession.sleepBriefly();
        }
    }

    /** Every protocol violation seen on any session, oldest first. */
    public List<Violation> violations() {
        synchronized (lock) {
            return List.copyOf(violations);
        }
    }

    /** Fails (an {@code AssertionError} listing them) if any protocol violation was seen. */
    public void assertNoViolations() {
        List<Violation> seen = violations();
        if (!seen.isEmpty()) {
            StringBuilder message = new StringBuilder("The Gladia stub saw ").append(seen.size())
                    .append(" protocol violation(s):");
            seen.forEach(violation -> message.append("\n  - ").append(violation));
            throw new AssertionError(message);
        }
    }

    /** Every HTTP request refused (401, 400, 404), oldest first. */
    public List<Rejection> rejections() {
        synchronized (lock) {
            return List.copyOf(rejections);
        }
    }

    private String describeSessions(String headline) {
        List<GladiaSession> all = sessions();
        StringBuilder message = new StringBuilder(headline).append(" The stub has ").append(all.size())
                .append(" session(s)").append(all.isEmpty() ? "." : ":");
        int from = Math.max(0, all.size() - LISTED_SESSIONS);
        if (from > 0) {
            message.append("\n  ... ").append(from).append(" older session(s)");
        }
        for (GladiaSession session : all.subList(from, all.size())) {
            message.append("\n  - ").append(session.describe());
        }
        List<Rejection> refused = rejections();
        if (!refused.isEmpty()) {
            message.append("\n  rejected requests:");
            refused.forEach(rejection -> message.append("\n  - ").append(rejection));
        }
        return message.toString();
    }

    @Override
    public String toString() {
        return "GladiaStub " + baseUrl() + " (" + sessions().size() + " session(s))";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Internals: used by GladiaChannel and GladiaSession

    AudioListener audioListener() {
        return audioListener;
    }

    TranscriptListener transcriptListener() {
        return transcriptListener;
    }

    GladiaSession sessionByToken(String token) {
        return sessionsByToken.get(token);
    }

    void violationRecorded(Violation violation) {
        synchronized (lock) {
            violations.add(violation);
        }
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** An HTTP request that is not a WebSocket upgrade. */
    void http(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        if (LIVE_PATH.equals(query.path()) && HttpMethod.POST.equals(request.method())) {
            init(ctx, request, query);
        } else {
            reject(ctx, request, 404, "Cannot " + request.method() + " " + query.path(), null);
        }
    }

    private void init(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
        if (failingInits.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            int status = failingInitStatus;
            reject(ctx, request, status, status == 401 ? "Invalid API key"
                    : HttpResponseStatus.valueOf(status).reasonPhrase() + " (failNextInits)", null);
            return;
        }
        String key = request.headers().get(API_KEY_HEADER);
        if (key == null || key.isBlank()) {
            reject(ctx, request, 401, "Missing API key: set the " + API_KEY_HEADER + " header", null);
            return;
        }
        if (!apiKey.equals(key)) {
            reject(ctx, request, 401, "Invalid API key", null);
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> region = query.parameters().get("region");
        if (region != null && !region.isEmpty() && !GladiaInit.REGIONS.contains(region.get(0))) {
            problems.add("region must be one of the following values: " + GladiaInit.REGIONS);
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            reject(ctx, request, 400, "Content-Type must be application/json (got " + contentType + ")", null);
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            reject(ctx, request, 400, "Body is not valid JSON: " + e.getOriginalMessage(), null);
            return;
        }
        if (!(body instanceof ObjectNode object)) {
            reject(ctx, request, 400, "Body must be a JSON object", null);
            return;
        }
        GladiaInit.Parsed parsed = GladiaInit.parse(object, problems);
        if (parsed == null || !problems.isEmpty()) {
            reject(ctx, request, 400, "Invalid live session configuration: " + String.join("; ", problems), problems);
            return;
        }
        GladiaSession session = createSession(object, parsed);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", session.id());
        answer.put("created_at", timestamp(session.createdAt()));
        answer.put("url", session.url());
        respond(ctx, request, 201, answer);
    }

    private GladiaSession createSession(ObjectNode body, GladiaInit.Parsed parsed) {
        String id = UUID.randomUUID().toString();
        byte[] tokenBytes = new byte[18];
        RANDOM.nextBytes(tokenBytes);
        String token = HexFormat.of().formatHex(tokenBytes);
        synchronized (lock) {
            List<String> sessionScript = script;
            for (Map.Entry<List<String>, List<String>> entry : scriptsByMetadata.entrySet()) {
                JsonNode value = body.path("custom_metadata").path(entry.getKey().get(0));
                if (value.isValueNode() && entry.getKey().get(1).equals(value.asText())) {
                    sessionScript = entry.getValue();
                    break;
                }
            }
            GladiaSession.Settings settings = new GladiaSession.Settings(ackEvery, utteranceDuration,
                    minUtteranceDuration, sessionScript, dropAfterBytes, stopProcessingDelay, retainAudio);
            GladiaSession session = new GladiaSession(this, id, token, "ws://127.0.0.1:" + port + LIVE_PATH + "?token="
                    + token, Instant.now(), body.deepCopy(), parsed.format(), parsed.messagesConfig(),
                    parsed.language(), settings);
            sessions.add(session);
            sessionsById.put(id, session);
            sessionsByToken.put(token, session);
            return session;
        }
    }

    /** Answers a JSON error like Gladia's API ({@code statusCode}, {@code message}) and records the rejection. */
    void reject(ChannelHandlerContext ctx, FullHttpRequest request, int status, String message, List<String> details) {
        ObjectNode body = JSON.createObjectNode();
        body.put("timestamp", timestamp(Instant.now()));
        body.put("path", new QueryStringDecoder(request.uri()).path());
        byte[] requestId = new byte[4];
        RANDOM.nextBytes(requestId);
        body.put("request_id", "G-" + HexFormat.of().formatHex(requestId));
        body.put("statusCode", status);
        body.put("message", message);
        if (details != null) {
            ArrayNode errors = body.putArray("validation_errors");
            details.forEach(errors::add);
        }
        synchronized (lock) {
            rejections.add(new Rejection(request.method().name(), request.uri(), status, message, System.nanoTime(),
                    Instant.now()));
        }
        respond(ctx, request, status, body);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, int status, ObjectNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !upgrade;
        response.headers().set(HttpHeaderNames.CONNECTION,
                keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
