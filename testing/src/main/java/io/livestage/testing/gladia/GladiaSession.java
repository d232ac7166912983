package io.livestage.testing.gladia;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFuture;

/**
 * One Gladia live session of a {@link GladiaStub}: what the init call declared, what arrived over its WebSocket
 * connection(s) and what the stub answered. A live, thread-safe view: every accessor returns a snapshot of the moment.
 *
 * <p>The protocol state machine lives here too (package-private methods, called on the connection's I/O thread with
 * the session's monitor held). See {@link GladiaStub} for the behaviour.
 */
public final class GladiaSession {

    /**
     * The audio format declared at init (defaults: {@code wav/pcm}, 16 bits, 16000 Hz, 1 channel; {@code wav/alaw} and
     * {@code wav/ulaw} default to 8 bits).
     */
    public record AudioFormat(String encoding, int bitDepth, int sampleRate, int channels) {

        /** Bytes of one sample of every channel. */
        public int frameBytes() {
            return bitDepth / 8 * channels;
        }

        /** {@code sample_rate × bit_depth/8 × channels}. */
        public long bytesPerSecond() {
            return (long) sampleRate * frameBytes();
        }

        /** Seconds of audio in {@code bytes} bytes, rounded to the microsecond (what the stub puts in messages). */
        public double seconds(long bytes) {
            return Math.round(bytes * 1_000_000.0 / bytesPerSecond()) / 1_000_000.0;
        }

        /** Whole frames of {@code duration} of audio, in bytes (at least one frame). */
        public long bytes(Duration duration) {
            long bytes = duration.toNanos() * bytesPerSecond() / 1_000_000_000L;
            return Math.max(frameBytes(), bytes / frameBytes() * frameBytes());
        }
    }

    /**
     * The init call's {@code messages_config}, a missing key taking the API reference's default: partial transcripts
     * off, final transcripts, speech events, pre-, realtime- and post-processing events, acknowledgments and errors
     * on, lifecycle events off.
     */
    public record MessagesConfig(boolean partialTranscripts, boolean finalTranscripts, boolean speechEvents,
            boolean preProcessingEvents, boolean realtimeProcessingEvents, boolean postProcessingEvents,
            boolean acknowledgments, boolean errors, boolean lifecycleEvents) {
    }

    /** The stub's knobs as they were when the session was initiated. */
    record Settings(int ackEvery, Duration utterance, Duration minUtterance, List<String> script, long dropAfterBytes,
            Duration stopProcessingDelay, boolean retainAudio) {
    }

    private static final double FINAL_CONFIDENCE = 0.95;
    private static final double PARTIAL_CONFIDENCE = 0.8;
    private static final int LISTED_MESSAGES = 30;

    private final GladiaStub stub;
    private final String id;
    private final String token;
    private final String url;
    private final Instant createdAt;
    private final ObjectNode initBody;
    private final AudioFormat format;
    private final MessagesConfig messagesConfig;
    private final String language;
    private final Settings settings;
    private final long utteranceBytes;
    private final long halfUtteranceBytes;
    private final long minUtteranceBytes;

    // ---- state, guarded by this
    private GladiaChannel current;
    private int connections;
    private final List<ConnectionEnd> connectionEnds = new ArrayList<>();
    /** Accepted audio bytes (after discards): the offset of the next byte. */
    private long offset;
    /** End of the last acknowledgement written. */
    private long ackSent;
    /** End of the last acknowledgement whose write completed (it is in the kernel, ahead of any FIN). */
    private long ackDelivered;
    private int chunksSinceAck;
    /** The furthest offset ever reached: transcripts are produced only for audio beyond it. */
    private long highWater;
    private int utterance;
    private boolean speechStarted;
    private boolean partialSent;
    private long dropAt;
    private boolean sessionStartSent;
    private boolean recordingStarted;
    private boolean stopReceived;
    private long stopNanos;
    private boolean ended;
    private String endedBy;
    private long endedNanos;
    private int binaryChunks;
    private int jsonChunks;
    private long discardedBytes;
    private byte[] audio = new byte[0];
    private final List<SentMessage> messages = new ArrayList<>();
    private final List<Transcript> transcripts = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();

    GladiaSession(GladiaStub stub, String id, String token, String url, Instant createdAt, ObjectNode initBody,
            AudioFormat format, MessagesConfig messagesConfig, String language, Settings settings) {
        this.stub = stub;
        this.id = id;
        this.token = token;
        this.url = url;
        this.createdAt = createdAt;
        this.initBody = initBody;
        this.format = format;
        this.messagesConfig = messagesConfig;
        this.language = language;
        this.settings = settings;
        this.utteranceBytes = format.bytes(settings.utterance());
        this.halfUtteranceBytes = Math.max(format.frameBytes(),
                utteranceBytes / 2 / format.frameBytes() * format.frameBytes());
        this.minUtteranceBytes = Math.min(utteranceBytes, format.bytes(settings.minUtterance()));
        this.dropAt = settings.dropAfterBytes();
    }

    // ------------------------------------------------------------------------------------------------------------
    // What tests read

    /** The session id ({@code id} of the init answer, a UUID). */
    public String id() {
        return id;
    }

    /** The token of the WebSocket URL. */
    public String token() {
        return token;
    }

    /** The WebSocket URL the init call answered ({@code ws://127.0.0.1:<port>/v2/live?token=<token>}). */
    public String url() {
        return url;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** The init call's JSON body, as received. */
    public JsonNode initBody() {
        return initBody.deepCopy();
    }

    /** {@code custom_metadata.<key>} of the init body as text, or {@code null}. */
    public String customMetadata(String key) {
        JsonNode value = initBody.path("custom_metadata").path(key);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    public AudioFormat format() {
        return format;
    }

    public MessagesConfig messagesConfig() {
        return messagesConfig;
    }

    /** The language transcripts carry: the first of {@code language_config.languages}, else {@code "en"}. */
    public String language() {
        return language;
    }

    /** Audio bytes accepted and kept, in order: what a real Gladia would transcribe (discarded bytes excluded). */
    public synchronized long receivedBytes() {
        return offset;
    }

    /** The end of the last acknowledgement sent ({@code byte_range[1]}); 0 before any. */
    public synchronized long acknowledgedBytes() {
        return ackSent;
    }

    /** Bytes thrown away in total because a connection ended before they were acknowledged. */
    public synchronized long discardedBytes() {
        return discardedBytes;
    }

    /**
     * The accepted audio, in order ({@link #receivedBytes()} bytes). Only when the stub retains audio
     * ({@link GladiaStub#retainAudio(boolean)}, the default).
     */
    public synchronized byte[] audio() {
        requireRetained();
        return Arrays.copyOf(audio, (int) offset);
    }

    /** SHA-256 (lower-case hex) of {@link #audio()}. */
    public synchronized String audioSha256() {
        requireRetained();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(audio, 0, (int) offset);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binary audio frames received (including ones whose bytes were later discarded or refused after stop). */
    public synchronized int binaryChunks() {
        return binaryChunks;
    }

    /** JSON {@code audio_chunk} messages received, counted like {@link #binaryChunks()}. */
    public synchronized int jsonChunks() {
        return jsonChunks;
    }

    /** WebSocket connections accepted for this session: 1, plus one per reconnect. */
    public synchronized int connections() {
        return connections;
    }

    /** Whether a connection is open now. */
    public synchronized boolean connected() {
        return current != null;
    }

    /** How each connection ended, oldest first (the open one, if any, is not listed). */
    public synchronized List<ConnectionEnd> connectionEnds() {
        return List.copyOf(connectionEnds);
    }

    /** The close code of each ended connection, oldest first (1006 where no close frame was exchanged). */
    public synchronized List<Integer> closeCodes() {
        return connectionEnds.stream().map(ConnectionEnd::code).toList();
    }

    public synchronized boolean stopReceived() {
        return stopReceived;
    }

    /** {@link System#nanoTime()} when {@code stop_recording} arrived, 0 if it has not. */
    public synchronized long stopNanos() {
        return stopNanos;
    }

    /** Whether the session is over (no reconnect possible): stop_recording processed, or a close 1000 either way. */
    public synchronized boolean ended() {
        return ended;
    }

    /** {@link System#nanoTime()} when the session ended, 0 while it has not. */
    public synchronized long endedNanos() {
        return endedNanos;
    }

    /** {@code "stop_recording"}, {@code "client close 1000"}, {@code "stub close 1000"}, or {@code null}. */
    public synchronized String endedBy() {
        return endedBy;
    }

    /** Every message sent, oldest first. */
    public synchronized List<SentMessage> messages() {
        return List.copyOf(messages);
    }

    /** The messages sent of one {@code type}, oldest first. */
    public synchronized List<SentMessage> messages(String type) {
        return messages.stream().filter(message -> message.type().equals(type)).toList();
    }

    /** The {@code type}s of the messages sent, in order (acknowledgements included). */
    public synchronized List<String> messageTypes() {
        return messages.stream().map(SentMessage::type).toList();
    }

    /** Every transcript sent (partials and finals), oldest first. */
    public synchronized List<Transcript> transcripts() {
        return List.copyOf(transcripts);
    }

    /** The final transcripts sent, oldest first. */
    public synchronized List<Transcript> finals() {
        return transcripts.stream().filter(Transcript::isFinal).toList();
    }

    /** The texts of the final transcripts sent, in order. */
    public synchronized List<String> finalTexts() {
        return transcripts.stream().filter(Transcript::isFinal).map(Transcript::text).toList();
    }

    /** Protocol violations seen on this session, oldest first. */
    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Waits until the predicate holds for this session; an {@code AssertionError} describing it on timeout. */
    public GladiaSession await(Predicate<GladiaSession> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!predicate.test(this)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Gladia session did not reach the expected state within " + timeout + ": "
                        + describe());
            }
            sleepBriefly();
        }
        return this;
    }

    /** A multi-line description: state, counters and the last messages sent. */
    public synchronized String describe() {
        StringBuilder text = new StringBuilder(toString());
        int from = Math.max(0, messages.size() - LISTED_MESSAGES);
        if (from > 0) {
            text.append("\n    ... ").append(from).append(" older message(s)");
        }
        for (SentMessage message : messages.subList(from, messages.size())) {
            text.append("\n    > ").append(message);
        }
        for (Violation violation : violations) {
            text.append("\n    ! ").append(violation.description());
        }
        return text.toString();
    }

    @Override
    public synchronized String toString() {
        return "GladiaSession " + id + " " + initBody.path("custom_metadata") + ": " + offset + " bytes ("
                + binaryChunks + " binary, " + jsonChunks + " JSON chunks, " + discardedBytes + " discarded), acked "
                + ackSent + ", " + connections + " connection(s) " + closeCodesText() + (current != null ? " open" : "")
                + (stopReceived ? ", stop received" : "") + (ended ? ", ended by " + endedBy : "") + ", "
                + messages.size() + " message(s) sent, " + violations.size() + " violation(s)";
    }

    private String closeCodesText() {
        return connectionEnds.stream().map(end -> end.code() + "/" + end.endedBy()).toList().toString();
    }

    static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void requireRetained() {
        if (!settings.retainAudio()) {
            throw new IllegalStateException("the stub was told not to retain audio (retainAudio(false)); only counts "
                    + "are kept");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Connections (called by GladiaChannel and GladiaStub)

    synchronized GladiaChannel currentConnection() {
        return current;
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** A WebSocket upgrade for this session is about to be accepted; false if the session has ended meanwhile. */
    synchronized boolean attach(GladiaChannel connection) {
        if (ended) {
            return false;
        }
        GladiaChannel previous = current;
        if (previous != null) {
            endConnection(previous, "superseded", 1006);
            previous.closeWithoutFrame();
        }
        connections++;
        connection.number = connections;
        connection.openedNanos = System.nanoTime();
        current = connection;
        return true;
    }

    /** The upgrade's 101 answer is written: the connection can carry messages. */
    synchronized void opened(GladiaChannel connection) {
        if (connection != current) {
            return;
        }
        if (messagesConfig.lifecycleEvents() && !sessionStartSent) {
            sessionStartSent = true;
            send(connection, message("start_session"));
        }
    }

    /**
     * Ends the connection's life as this session's current one (no-op if it is not current). Unless the session is
     * over or stop_recording was received, the bytes since the last delivered acknowledgement are discarded: they
     * were in flight, and a client that resends what was not acknowledged ends with exactly the bytes it sent.
     */
    synchronized boolean endConnection(GladiaChannel connection, String endedBy, int code) {
        if (connection != current) {
            return false;
        }
        current = null;
        connection.detached = true;
        long lost = 0;
        if (!ended && !stopReceived) {
            lost = offset - ackDelivered;
            offset = ackDelivered;
            discardedBytes += lost;
            ackSent = offset;
            chunksSinceAck = 0;
        }
        connectionEnds.add(new ConnectionEnd(connection.number, connection.openedNanos, System.nanoTime(), code,
                endedBy, lost));
        return true;
    }

    /** {@link GladiaStub#dropConnection}: on the connection's I/O thread. */
    synchronized void drop(GladiaChannel connection) {
        if (endConnection(connection, "drop", 1006)) {
            connection.closeWithoutFrame();
        }
    }

    /** {@link GladiaStub#closeConnection}: on the connection's I/O thread. */
    synchronized void closeByStub(GladiaChannel connection, int code, String reason) {
        if (connection != current) {
            return;
        }
        if (code == 1000) {
            end("stub close 1000");
        }
        endConnection(connection, "stub", code);
        connection.closeWithFrame(code, reason);
    }

    /** The client sent a close frame ({@code code} 1005 when it carried none). */
    synchronized void clientClosed(GladiaChannel connection, int code) {
        if (connection != current) {
            return;
        }
        if (code == 1000) {
            end("client close 1000");
        }
        endConnection(connection, "client", code);
    }

    /** The stub refused a frame and closed with {@code code} (Netty already sent the close frame, or will). */
    synchronized void refusedFrame(GladiaChannel connection, int code, String description) {
        if (connection != current) {
            return;
        }
        recordViolation(connection, description);
        endConnection(connection, "stub", code);
    }

    synchronized void dropAfterBytes(long bytes) {
        dropAt = bytes;
    }

    private void end(String by) {
        ended = true;
        endedBy = by;
        endedNanos = System.nanoTime();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Client messages

    /** An audio chunk (binary frame or decoded JSON {@code audio_chunk}) arrived at {@code receivedNanos}. */
    synchronized void audio(GladiaChannel connection, byte[] chunk, boolean binary, long receivedNanos) {
        if (connection != current) {
            return; // a dropped or superseded connection's frames: in flight, lost
        }
        if (binary) {
            binaryChunks++;
        } else {
            jsonChunks++;
        }
        if (stopReceived) {
            violation(connection, "audio chunk (" + chunk.length + " bytes, " + (binary ? "binary" : "JSON")
                    + ") after stop_recording");
            return;
        }
        long start = offset;
        if (settings.retainAudio()) {
            append(chunk);
        }
        offset += chunk.length;
        if (!recordingStarted) {
            recordingStarted = true;
            if (messagesConfig.lifecycleEvents()) {
                send(connection, message("start_recording"));
            }
        }
        GladiaStub.AudioListener listener = stub.audioListener();
        if (listener != null) {
            listener.onAudio(id, start, chunk.length, receivedNanos);
        }
        if (dropAt > 0 && offset >= dropAt) {
            dropAt = -1;
            drop(connection);
            return;
        }
        chunksSinceAck++;
        if (!messagesConfig.acknowledgments()) {
            ackSent = offset; // no acknowledgements asked for: nothing to resend, nothing is discarded
            ackDelivered = offset;
        } else if (chunksSinceAck >= settings.ackEvery()) {
            acknowledge(connection);
        }
        transcribe(connection);
    }

    synchronized void stopRecording(GladiaChannel connection) {
        if (connection != current) {
            return;
        }
        if (stopReceived) {
            violation(connection, "stop_recording received twice");
            return;
        }
        stopReceived = true;
        stopNanos = System.nanoTime();
        if (messagesConfig.acknowledgments()) {
            ObjectNode ack = message("stop_recording");
            ack.put("acknowledged", true);
            ack.putNull("error");
            ObjectNode data = ack.putObject("data");
            data.put("recording_duration", format.seconds(offset));
            data.put("recording_left_to_process", 0);
            send(connection, ack);
        }
        Duration delay = settings.stopProcessingDelay();
        if (delay.isZero()) {
            finishRecording();
        } else {
            connection.channel.eventLoop().schedule(this::finishRecording, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** After stop_recording (and the processing delay): the trailing final, lifecycle end, close 1000. */
    private synchronized void finishRecording() {
        if (ended) {
            return;
        }
        GladiaChannel connection = current;
        if (connection != null) {
            long start = (long) utterance * utteranceBytes;
            if (highWater - start >= minUtteranceBytes) {
                finishUtterance(connection, start, highWater);
            }
            if (messagesConfig.lifecycleEvents()) {
                ObjectNode endRecording = message("end_recording");
                endRecording.putObject("data").put("recording_duration", format.seconds(offset));
                send(connection, endRecording);
                send(connection, message("end_session"));
            }
        }
        end("stop_recording");
        if (connection != null) {
            endConnection(connection, "stub", 1000);
            connection.closeWithFrame(1000, "");
        }
    }

    /** A client message the protocol does not allow: recorded, and answered by an error message (if errors are on). */
    synchronized void violation(GladiaChannel connection, String description) {
        if (connection != current) {
            return;
        }
        recordViolation(connection, description);
        if (messagesConfig.errors()) {
            ObjectNode error = message("error");
            ObjectNode detail = error.putObject("error");
            detail.put("status_code", 400);
            detail.put("exception", "InvalidMessage");
            detail.put("message", description);
            error.putNull("data");
            send(connection, error);
        }
    }

    private void recordViolation(GladiaChannel connection, String description) {
        Violation violation = new Violation(id, connection.number, description, System.nanoTime(), Instant.now());
        violations.add(violation);
        stub.violationRecorded(violation);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Server messages

    private void acknowledge(GladiaChannel connection) {
        long from = ackSent;
        long to = offset;
        ObjectNode ack = message("audio_chunk");
        ack.put("acknowledged", true);
        ack.putNull("error");
        ObjectNode data = ack.putObject("data");
        data.putArray("byte_range").add(from).add(to);
        data.putArray("time_range").add(format.seconds(from)).add(format.seconds(to));
        ackSent = to;
        chunksSinceAck = 0;
        send(connection, ack).addListener(future -> {
            if (future.isSuccess()) {
                synchronized (this) {
                    if (!connection.detached && to > ackDelivered) {
                        ackDelivered = to;
                    }
                }
            }
        });
    }

    /** Turns audio beyond the high-water mark into speech events and transcripts, by byte count. */
    private void transcribe(GladiaChannel connection) {
        if (offset <= highWater) {
            return; // resent audio the stub already transcribed
        }
        highWater = offset;
        while (true) {
            long start = (long) utterance * utteranceBytes;
            long end = start + utteranceBytes;
            if (highWater - start >= minUtteranceBytes) {
                speechStart(connection, start);
            }
            if (!partialSent && messagesConfig.partialTranscripts() && highWater >= start + halfUtteranceBytes) {
                // also when one chunk crossed the middle and the end: the partial still comes first
                speechStart(connection, start);
                partialSent = true;
                List<String> words = words(text(utterance));
                sendTranscript(connection, false, start, start + halfUtteranceBytes,
                        words.subList(0, (words.size() + 1) / 2));
            }
            if (highWater < end) {
                return;
            }
            finishUtterance(connection, start, end);
        }
    }

    private void finishUtterance(GladiaChannel connection, long start, long end) {
        speechStart(connection, start);
        sendTranscript(connection, true, start, end, words(text(utterance)));
        if (messagesConfig.speechEvents()) {
            send(connection, speechEvent("speech_end", end));
        }
        utterance++;
        speechStarted = false;
        partialSent = false;
    }

    private void speechStart(GladiaChannel connection, long start) {
        if (speechStarted) {
            return;
        }
        speechStarted = true;
        if (messagesConfig.speechEvents()) {
            send(connection, speechEvent("speech_start", start));
        }
    }

    private ObjectNode speechEvent(String type, long at) {
        ObjectNode event = message(type);
        ObjectNode data = event.putObject("data");
        data.put("time", format.seconds(at));
        data.put("channel", 0);
        return event;
    }

    private void sendTranscript(GladiaChannel connection, boolean isFinal, long startByte, long endByte,
            List<String> words) {
        if (isFinal ? !messagesConfig.finalTranscripts() : !messagesConfig.partialTranscripts()) {
            return;
        }
        String utteranceId = String.format("00_%08d", utterance);
        String text = String.join(" ", words);
        double start = format.seconds(startByte);
        double end = format.seconds(endByte);
        double confidence = isFinal ? FINAL_CONFIDENCE : PARTIAL_CONFIDENCE;
        ObjectNode message = message("transcript");
        ObjectNode data = message.putObject("data");
        data.put("id", utteranceId);
        data.put("is_final", isFinal);
        ObjectNode body = data.putObject("utterance");
        body.put("start", start);
        body.put("end", end);
        body.put("confidence", confidence);
        body.put("channel", 0);
        body.put("text", text);
        body.put("language", language);
        ArrayNode wordNodes = body.putArray("words");
        long span = endByte - startByte;
        for (int i = 0; i < words.size(); i++) {
            ObjectNode word = wordNodes.addObject();
            word.put("word", words.get(i));
            word.put("start", format.seconds(startByte + span * i / words.size()));
            word.put("end", format.seconds(startByte + span * (i + 1) / words.size()));
            word.put("confidence", confidence);
        }
        long sentNanos = System.nanoTime();
        transcripts.add(new Transcript(utteranceId, isFinal, text, start, end, startByte, endByte, language, sentNanos,
                connection.number));
        send(connection, message, sentNanos);
        GladiaStub.TranscriptListener listener = stub.transcriptListener();
        if (listener != null) {
            listener.onTranscript(id, utteranceId, isFinal, text, sentNanos);
        }
    }

    private String text(int index) {
        List<String> script = settings.script();
        return script == null ? "utterance " + (index + 1) : script.get(index % script.size());
    }

    private static List<String> words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private ObjectNode message(String type) {
        ObjectNode message = GladiaStub.JSON.createObjectNode();
        message.put("session_id", id);
        message.put("created_at", GladiaStub.timestamp(Instant.now()));
        message.put("type", type);
        return message;
    }

    private ChannelFuture send(GladiaChannel connection, ObjectNode message) {
        return send(connection, message, System.nanoTime());
    }

    private ChannelFuture send(GladiaChannel connection, ObjectNode message, long sentNanos) {
        String json = message.toString();
        messages.add(new SentMessage(message.path("type").asText(), json, sentNanos, connection.number));
        return connection.sendText(json);
    }

    private void append(byte[] chunk) {
        long needed = offset + chunk.length;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than 2 GiB of audio retained; use retainAudio(false)");
        }
        if (needed > audio.length) {
            audio = Arrays.copyOf(audio, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(needed, Math.max(64 * 1024, (long) audio.length * 2))));
        }
        System.arraycopy(chunk, 0, audio, (int) offset, chunk.length);
    }
}
