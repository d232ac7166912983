package io.livestage.transcription.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import io.livestage.transcription.config.TranscriptionConfig;

/**
 * One speaker's Gladia live session: audio in order, acknowledgements tracked, reconnect + resend, clean stop.
 * <p>
 * Every byte received from the speaker is kept until Gladia acknowledges it ({@code audio_chunk} with
 * {@code byte_range}); after an abnormal close the stream reconnects to the <em>same</em> URL (the Gladia session goes
 * on) with backoff min(initial × 2^(n−1), max) and resends exactly the unacknowledged bytes, as Gladia's own SDK does.
 * Close codes 1000, 1001 and 4400–4499 are final. {@link #stop} sends {@code stop_recording}; Gladia then sends the
 * last transcripts and closes 1000. All methods run on one Vert.x context (the speaker socket's); none blocks.
 */
public final class GladiaStream {
    private static final Logger LOG = Logger.getLogger(GladiaStream.class);
    private static final String STOP_RECORDING = new JsonObject().put("type", "stop_recording").encode();

    /** What the stream tells its owner; called on the stream's context. */
    public interface Listener {
        /** Connected (the first time: the stream is ready for the speaker). */
        void connected(boolean first);

        /** A {@code transcript} message's {@code data}. */
        void transcript(JsonObject data);

        /** The stream ended: stopped cleanly, or gave up ({@code failure} true) with a reason the speaker may read. */
        void ended(boolean failure, String reason);
    }

    private record Chunk(long offset, Buffer data) {
        long end() {
            return offset + data.length();
        }
    }

    private enum State { CONNECTING, OPEN, RECONNECTING, ENDED }

    private final Vertx vertx;
    private final Context context;
    private final WebSocketClient client;
    private final TranscriptionConfig.Gladia config;
    private final String id;
    private final String url;
    private final long maxUnacked;
    private final Listener listener;
    private final Deque<Chunk> unacked = new ArrayDeque<>();

    private State state = State.CONNECTING;
    private WebSocket socket;
    private boolean everConnected;
    private boolean stopRequested;
    private boolean stopSent;
    private long received;
    private long acknowledged;
    private long unackedBytes;
    private long dropped;
    private int attempt;
    private int reconnects;
    private long stopTimer = -1;

    public GladiaStream(Vertx vertx, Context context, WebSocketClient client, TranscriptionConfig.Gladia config, String id,
            String url, int bytesPerSecond, Listener listener) {
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.config = config;
        this.id = id;
        this.url = url;
        this.maxUnacked = Math.max(1, config.maxUnacknowledgedAudio().toMillis() * bytesPerSecond / 1000);
        this.listener = listener;
    }

    public String id() {
        return id;
    }

    /** Bytes received from the speaker. */
    public long received() {
        return received;
    }

    /** Bytes Gladia acknowledged. */
    public long acknowledged() {
        return acknowledged;
    }

    /** Bytes dropped because Gladia stayed away longer than the unacknowledged-audio budget. */
    public long dropped() {
        return dropped;
    }

    public int reconnects() {
        return reconnects;
    }

    public boolean ended() {
        return state == State.ENDED;
    }

    public void connect() {
        onContext(() -> open(true));
    }

    private void open(boolean first) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url)
                .setTimeout(config.requestTimeout().toMillis());
        client.connect(options).onComplete(result -> {
            if (state == State.ENDED) {
                if (result.succeeded()) {
                    result.result().close((short) 1000);
                }
                return;
            }
            if (result.failed()) {
                LOG.debugf("Gladia stream %s: connect failed: %s", id, result.cause().toString());
                retryOrFail(1006, result.cause().getMessage());
                return;
            }
            attach(result.result());
            boolean firstTime = !everConnected;
            everConnected = true;
            attempt = 0;
            listener.connected(firstTime);
        });
    }

    private void attach(WebSocket ws) {
        socket = ws;
        state = State.OPEN;
        ws.textMessageHandler(this::onMessage);
        ws.exceptionHandler(failure -> LOG.debugf("Gladia stream %s: %s", id, failure.toString()));
        ws.closeHandler(v -> onClosed(ws));
        // resend what Gladia has not acknowledged (everything, the first time), in order
        for (Chunk chunk : unacked) {
            send(ws, chunk.data());
        }
        if (stopRequested) {
            sendStop();
        }
    }

    private void send(WebSocket ws, Buffer data) {
        int max = config.maxFrameBytes();
        for (int from = 0; from < data.length(); from += max) {
            ws.writeBinaryMessage(from == 0 && data.length() <= max ? data : data.slice(from, Math.min(data.length(), from + max)));
        }
    }

    /** Audio from the speaker (PCM16 as declared); kept until acknowledged, sent at once when connected. */
    public void audio(Buffer data) {
        if (state == State.ENDED || stopRequested || data.length() == 0) {
            return;
        }
        // the speaker socket hands over a buffer of its own (Vert.x copies each frame off the network buffer), so it is
        // kept as it is until Gladia acknowledges it
        Chunk chunk = new Chunk(received, data);
        received += data.length();
        unacked.addLast(chunk);
        unackedBytes += data.length();
        while (unackedBytes > maxUnacked && unacked.size() > 1) {
            Chunk oldest = unacked.removeFirst();
            unackedBytes -= oldest.data().length();
            dropped += oldest.data().length();
        }
        if (state == State.OPEN) {
            send(socket, chunk.data());
        }
    }

    private void onMessage(String text) {
        // acknowledgements are most of what Gladia sends (one per chunk): their byte range is read without a JSON tree
        long acked = Acks.acknowledgedEnd(text);
        if (acked >= 0) {
            acknowledge(acked);
            return;
        }
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (RuntimeException e) {
            LOG.debugf("Gladia stream %s: a message that is not JSON", id);
            return;
        }
        String type = message.getString("type", "");
        switch (type) {
            case "audio_chunk" -> {
                JsonObject data = message.getJsonObject("data");
                JsonArray range = data == null ? null : data.getJsonArray("byte_range");
                if (Boolean.TRUE.equals(message.getBoolean("acknowledged")) && range != null && range.size() == 2) {
                    acknowledge(range.getLong(1));
                }
            }
            case "transcript" -> {
                JsonObject data = message.getJsonObject("data");
                if (data != null) {
                    listener.transcript(data);
                }
            }
            case "error" -> LOG.warnf("Gladia stream %s reported an error: %s", id, message.encode());
            default -> {
                // speech events, lifecycle, post-processing: not needed here
            }
        }
    }

    /** Drops what Gladia has: every byte before {@code end}. */
    private void acknowledge(long end) {
        if (end <= acknowledged) {
            return;
        }
        acknowledged = end;
        while (!unacked.isEmpty()) {
            Chunk first = unacked.peekFirst();
            if (first.end() <= end) {
                unacked.removeFirst();
                unackedBytes -= first.data().length();
            } else {
                if (first.offset() < end) {
                    int cut = (int) (end - first.offset());
                    unacked.removeFirst();
                    unacked.addFirst(new Chunk(end, first.data().slice(cut, first.data().length())));
                    unackedBytes -= cut;
                }
                break;
            }
        }
    }

    private void onClosed(WebSocket ws) {
        if (ws != socket || state == State.ENDED) {
            return;
        }
        Short status = ws.closeStatusCode();
        int code = status == null ? 1006 : status;
        socket = null;
        if (stopSent && (code == 1000 || code == 1001)) {
            end(false, "stopped");
            return;
        }
        if (code == 1000 || code == 1001 || (code >= 4400 && code <= 4499)) {
            end(code >= 4400, "Gladia closed the stream (" + code + (ws.closeReason() == null ? "" : " " + ws.closeReason()) + ")");
            return;
        }
        retryOrFail(code, ws.closeReason());
    }

    private void retryOrFail(int code, String reason) {
        if (attempt >= config.reconnectAttempts()) {
            end(true, "Gladia is unreachable (last close " + code + (reason == null ? "" : " " + reason) + ")");
            return;
        }
        attempt++;
        state = State.RECONNECTING;
        long delay = backoff(config, attempt).toMillis();
        LOG.infof("Gladia stream %s closed abnormally (%d); reconnecting in %d ms (attempt %d of %d), %d bytes to resend",
                id, code, delay, attempt, config.reconnectAttempts(), unackedBytes);
        vertx.setTimer(Math.max(1, delay), t -> {
            if (state == State.RECONNECTING) {
                reconnects++;
                open(false);
            }
        });
    }

    /** Sends {@code stop_recording} (now, or once reconnected); ends when Gladia closes 1000, or after the timeout. */
    public void stop() {
        onContext(() -> {
            if (state == State.ENDED || stopRequested) {
                return;
            }
            stopRequested = true;
            stopTimer = vertx.setTimer(config.stopTimeout().toMillis(), t -> {
                if (state != State.ENDED) {
                    WebSocket ws = socket;
                    end(false, "stopped (Gladia did not close in " + config.stopTimeout().toSeconds() + " s)");
                    if (ws != null) {
                        ws.close((short) 1000);
                    }
                }
            });
            if (state == State.OPEN) {
                sendStop();
            }
        });
    }

    private void sendStop() {
        if (!stopSent && socket != null) {
            stopSent = true;
            socket.writeTextMessage(STOP_RECORDING);
        }
    }

    /** Ends now without waiting for Gladia (the service is shutting down). */
    public void abort() {
        onContext(() -> {
            WebSocket ws = socket;
            end(false, "service stopping");
            if (ws != null) {
                ws.close((short) 1001);
            }
        });
    }

    private void end(boolean failure, String reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        if (stopTimer >= 0) {
            vertx.cancelTimer(stopTimer);
        }
        listener.ended(failure, reason);
    }

    private void onContext(Runnable task) {
        if (Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    @Override
    public String toString() {
        return "GladiaStream[" + id + ", received " + received + ", acknowledged " + acknowledged + ", reconnects "
                + reconnects + ", " + state + "]";
    }

    /** min(initial × 2^(attempt−1), max), attempt counting from 1. */
    static Duration backoff(TranscriptionConfig.Gladia config, int attempt) {
        return Duration.ofMillis(Math.min(config.reconnectMaxBackoff().toMillis(),
                (long) (config.reconnectInitialBackoff().toMillis() * Math.pow(2, attempt - 1))));
    }
}
