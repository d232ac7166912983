package io.livestage.transcription.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import io.livestage.platform.ws.FirstFrameAuthenticator;
import io.livestage.platform.ws.FirstFrameIdentity;
import io.livestage.platform.ws.OversizedMessages;
import io.livestage.transcription.config.TranscriptionConfig;
import io.livestage.transcription.service.Frames;
import io.livestage.transcription.service.SpeakerStream;
import io.livestage.transcription.service.StreamRegistry;
import io.livestage.transcription.service.TranscriptionService;

/**
 * The speaker channel {@code /ws/sessions/{id}/transcription} (PROTOCOL.md): the first frame is {@code start} (token,
 * audio format, language hints); then binary PCM16 frames; {@code stop} (or closing) ends the stream after Gladia's
 * last transcripts. Runs on the socket's event loop and never blocks.
 */
@WebSocket(path = "/ws/sessions/{id}/transcription")
public class SpeakerChannel {
    private static final Logger LOG = Logger.getLogger(SpeakerChannel.class);
    private static final TypedKey<State> STATE = new TypedKey<>("livestage.transcription.state");
    private static final Set<Integer> SAMPLE_RATES = Set.of(16000, 48000);
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final Set<String> START_FIELDS = Set.of("type", "v", "token", "format", "languages");
    private static final Set<String> FORMAT_FIELDS = Set.of("encoding", "sampleRate", "channels");

    /** Per socket: where it stands. */
    static final class State {
        final Context context;
        long authTimer = -1;
        boolean starting;
        SpeakerStream stream;

        State(Context context) {
            this.context = context;
        }
    }

    private final TranscriptionConfig config;
    private final TranscriptionService transcription;
    private final StreamRegistry streams;
    private final FirstFrameAuthenticator authenticator;
    private final Vertx vertx;

    public SpeakerChannel(TranscriptionConfig config, TranscriptionService transcription, StreamRegistry streams,
            FirstFrameAuthenticator authenticator, Vertx vertx) {
        this.config = config;
        this.transcription = transcription;
        this.streams = streams;
        this.authenticator = authenticator;
        this.vertx = vertx;
    }

    /** Non-blocking: the context captured here runs the socket's Gladia stream, so it must be the event loop's. */
    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection socket) {
        State state = new State(Vertx.currentContext());
        socket.userData().put(STATE, state);
        if (!isUuid(socket.pathParam("id"))) {
            Frames.closeWithError(socket, "not_found", "no such session", 4404, "no such session");
            return;
        }
        if (!transcription.configured()) {
            Frames.closeWithError(socket, "not_configured",
                    "transcription is not configured on this server: set GLADIA_API_KEY for transcription-service", 1011,
                    "transcription not configured: set GLADIA_API_KEY");
            return;
        }
        state.authTimer = vertx.setTimer(config.authTimeout().toMillis(), id -> {
            if (state.stream == null && !state.starting) {
                Frames.closeWithError(socket, "auth_timeout", "send a start frame first", 4408, "no start frame in time");
            }
        });
    }

    @OnTextMessage
    @NonBlocking
    public Uni<Void> onText(String text, WebSocketConnection socket) {
        State state = socket.userData().get(STATE);
        if (state == null) {
            return Uni.createFrom().voidItem();
        }
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (RuntimeException e) {
            return refuse(socket, state, "invalid_frame", "frames are JSON objects");
        }
        if (frame.getInteger("v", -1) != Frames.VERSION) {
            return refuse(socket, state, "unsupported_version", "this server speaks protocol version 1; send \"v\":1");
        }
        String type = frame.getString("type", "");
        if ("stop".equals(type)) {
            if (state.stream != null) {
                transcription.stop(state.stream, "stopped by the speaker");
            } else {
                socket.close().subscribe().with(x -> { }, x -> { });
            }
            return Uni.createFrom().voidItem();
        }
        if (!"start".equals(type)) {
            return refuse(socket, state, "invalid_frame", "unknown frame type '" + type + "'");
        }
        if (state.starting || state.stream != null) {
            return refuse(socket, state, "invalid_frame", "already started");
        }
        for (String name : frame.fieldNames()) {
            if (!START_FIELDS.contains(name)) {
                return refuse(socket, state, "invalid_frame", "unknown field '" + name + "' in start");
            }
        }
        JsonObject format = frame.getValue("format") instanceof JsonObject f ? f : null;
        if (format == null) {
            return refuse(socket, state, "invalid_format", "start needs a format: {\"encoding\":\"pcm_s16le\","
                    + "\"sampleRate\":16000|48000,\"channels\":1}");
        }
        for (String name : format.fieldNames()) {
            if (!FORMAT_FIELDS.contains(name)) {
                return refuse(socket, state, "invalid_format", "unknown field '" + name + "' in format");
            }
        }
        if (!"pcm_s16le".equals(format.getValue("encoding"))) {
            return refuse(socket, state, "invalid_format", "encoding must be pcm_s16le (PCM 16-bit little-endian)");
        }
        Object rate = format.getValue("sampleRate");
        if (!(rate instanceof Integer r) || !SAMPLE_RATES.contains(r)) {
            return refuse(socket, state, "invalid_format", "sampleRate must be 16000 or 48000");
        }
        Object channels = format.getValue("channels", 1);
        if (!(channels instanceof Integer c) || c != 1) {
            return refuse(socket, state, "invalid_format", "channels must be 1 (mono)");
        }
        List<String> languages = new ArrayList<>();
        Object hints = frame.getValue("languages");
        if (hints != null) {
            if (!(hints instanceof JsonArray array) || array.size() > config.maxLanguages()) {
                return refuse(socket, state, "invalid_languages",
                        "languages is a list of at most " + config.maxLanguages() + " ISO 639-1 codes, e.g. [\"en\"]");
            }
            for (Object hint : array) {
                if (!(hint instanceof String code) || !LANGUAGE.matcher(code.toLowerCase(Locale.ROOT)).matches()) {
                    return refuse(socket, state, "invalid_languages", "languages are ISO 639-1 codes, e.g. [\"en\", \"fr\"]");
                }
                languages.add(code.toLowerCase(Locale.ROOT));
            }
        } else {
            config.gladia().defaultLanguages().ifPresent(languages::addAll);
        }
        state.starting = true;
        if (state.authTimer >= 0) {
            vertx.cancelTimer(state.authTimer);
        }
        UUID sessionId = UUID.fromString(socket.pathParam("id"));
        Context context = state.context;
        return authenticator.authenticate(frame.getString("token"), socket.handshakeRequest().header("Authorization"))
                .flatMap(identity -> switch (identity) {
                    case FirstFrameIdentity.Authenticated known ->
                            admit(socket, state, sessionId, known.identity(), r, languages, context);
                    case FirstFrameIdentity.Anonymous anonymous -> {
                        Frames.closeWithError(socket, "unauthenticated",
                                "speakers sign in: put the token in the start frame", 4401, "authentication required");
                        yield Uni.createFrom().voidItem();
                    }
                    case FirstFrameIdentity.Invalid invalid -> {
                        Frames.closeWithError(socket, "unauthenticated",
                                "the token is invalid or expired; get a new one and reconnect", 4401, "invalid token");
                        yield Uni.createFrom().voidItem();
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not admit a speaker to session %s: %s", sessionId, failure.toString());
                    Frames.closeWithError(socket, "unavailable", "transcription is unavailable right now; retry shortly",
                            1011, "unavailable");
                    return null;
                });
    }

    private Uni<Void> admit(WebSocketConnection socket, State state, UUID sessionId, SecurityIdentity identity,
            int sampleRate, List<String> languages, Context context) {
        String userId = identity.getPrincipal().getName();
        return transcription.admit(sessionId, userId).emitOn(task -> context.runOnContext(v -> task.run()))
                .map(admission -> {
                    if (!socket.isOpen()) {
                        return null;
                    }
                    if (!admission.admitted()) {
                        Frames.closeWithError(socket, admission.code(), admission.message(), admission.closeCode(),
                                admission.message());
                        return null;
                    }
                    var speaker = admission.speaker();
                    SpeakerStream stream = new SpeakerStream(sessionId, userId, speaker.identity(),
                            speaker.name() == null ? userId : speaker.name(), sampleRate, List.copyOf(languages), socket,
                            context);
                    if (!streams.add(stream)) {
                        Frames.closeWithError(socket, "already_streaming",
                                "you already stream audio in this session from another connection", 4409,
                                "already streaming");
                        return null;
                    }
                    state.stream = stream;
                    transcription.start(stream);
                    return null;
                });
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer audio, WebSocketConnection socket) {
        State state = socket.userData().get(STATE);
        if (state == null) {
            return;
        }
        if (state.stream == null) {
            refuse(socket, state, "invalid_frame", "send start (and wait for ready) before audio");
            return;
        }
        if (audio.length() % 2 != 0) {
            Frames.send(socket, Frames.error("invalid_audio", "PCM16 frames have an even number of bytes"));
            return;
        }
        if (!state.stream.stopping()) {
            transcription.audio(state.stream, audio);
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection socket) {
        State state = socket.userData().get(STATE);
        if (state == null) {
            return;
        }
        if (state.authTimer >= 0) {
            vertx.cancelTimer(state.authTimer);
        }
        if (state.stream != null) {
            // the speaker went away: Gladia still gets stop_recording, so the audio already sent is transcribed
            transcription.stop(state.stream, "speaker disconnected");
        }
    }

    @OnError
    public void onError(WebSocketConnection socket, Throwable failure) {
        if (OversizedMessages.isOversized(failure)) {
            String reason = OversizedMessages.reason();
            Frames.closeWithError(socket, "too_big", reason, OversizedMessages.CLOSE_CODE, reason);
            return;
        }
        LOG.debugf("speaker channel %s: %s", socket.id(), failure.toString());
    }

    private Uni<Void> refuse(WebSocketConnection socket, State state, String code, String message) {
        if (state.stream == null) {
            Frames.closeWithError(socket, code, message, 4400, message);
        } else {
            Frames.send(socket, Frames.error(code, message));
        }
        return Uni.createFrom().voidItem();
    }

    private static boolean isUuid(String value) {
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
