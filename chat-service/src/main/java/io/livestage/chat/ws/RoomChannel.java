package io.livestage.chat.ws;

import java.util.Locale;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.room.RoomEntry;
import io.livestage.chat.room.RoomMessages;
import io.livestage.chat.room.RoomReactions;
import io.livestage.chat.room.RoomReplay;
import io.livestage.chat.service.Caller;
import io.livestage.chat.service.DeviceTypes;
import io.livestage.chat.service.TokenBucket;
import io.livestage.chat.ws.ClientFrame.Auth;
import io.livestage.chat.ws.ClientFrame.ChatSend;
import io.livestage.chat.ws.ClientFrame.Invalid;
import io.livestage.chat.ws.ClientFrame.Reaction;
import io.livestage.chat.ws.ClientFrame.Resume;
import io.livestage.platform.ws.FirstFrameAuthenticator;
import io.livestage.platform.ws.FirstFrameIdentity;
import io.livestage.platform.ws.OversizedMessages;

/**
 * The room channel: {@code /ws/sessions/{id}}, one socket per viewer and session (protocol: PROTOCOL.md). The first
 * frame authenticates (the token is never in the URL or a log); then chat, reactions and resume, each handed to the
 * room. Everything here runs on the socket's event loop and never blocks: websockets-next runs a callback that returns
 * {@code void} on a worker thread unless it is {@code @NonBlocking}, so every {@code void} callback here is.
 */
@WebSocket(path = "/ws/sessions/{id}")
public class RoomChannel {
    private static final Logger LOG = Logger.getLogger(RoomChannel.class);
    private static final TypedKey<ChatConnection> STATE = new TypedKey<>("livestage.chat.connection");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    /** {@link ChatConnection#authTimer()} once the auth frame arrived: a second one is refused. */
    private static final long AUTH_RECEIVED = -2;

    private final ChatConfig config;
    private final ClientFrameDecoder decoder;
    private final FirstFrameAuthenticator authenticator;
    private final RoomEntry entry;
    private final RoomMessages messages;
    private final RoomReactions reactions;
    private final RoomReplay replay;
    private final Frames frames;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    public RoomChannel(ChatConfig config, ClientFrameDecoder decoder, FirstFrameAuthenticator authenticator,
            RoomEntry entry, RoomMessages messages, RoomReactions reactions, RoomReplay replay, Frames frames,
            Vertx vertx, MeterRegistry metrics) {
        this.config = config;
        this.decoder = decoder;
        this.authenticator = authenticator;
        this.entry = entry;
        this.messages = messages;
        this.reactions = reactions;
        this.replay = replay;
        this.frames = frames;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection socket) {
        String sessionId = socket.pathParam("id");
        TokenBucket flood = new TokenBucket(config.flood().burst(), config.flood().framesPerSecond(), System.nanoTime());
        ChatConnection c = new ChatConnection(socket, sessionId, Vertx.currentContext(), flood,
                DeviceTypes.of(socket.handshakeRequest().header("User-Agent")), region(socket));
        socket.userData().put(STATE, c);
        if (!ClientFrameDecoder.isUuid(sessionId)) {
            c.close(frames.error("not_found", "no such session"), 4404, "no such session");
            return;
        }
        c.authTimer(vertx.setTimer(config.authTimeout().toMillis(), id -> {
            if (!c.authenticated()) {
                c.close(frames.error("auth_timeout", "send an auth frame first"), 4408, "no auth frame in time");
            }
        }));
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection socket) {
        ChatConnection c = socket.userData().get(STATE);
        if (c == null || c.closing()) {
            return Uni.createFrom().voidItem();
        }
        if (!c.flood().tryTake(System.nanoTime())) {
            metrics.counter("livestage.chat.refused", "code", "flood").increment();
            c.close(frames.error("flood", "too many frames; slow down"), 4429, "flood");
            return Uni.createFrom().voidItem();
        }
        return switch (decoder.decode(text)) {
            case Invalid invalid -> protocolError(c, invalid.code(), invalid.message());
            case Auth auth -> authenticate(c, socket, auth);
            case ClientFrame frame when !c.authenticated() ->
                    protocolError(c, "invalid_frame", "send an auth frame first");
            case ChatSend send -> messages.post(c, send.clientMessageId(), send.text());
            case Reaction reaction -> {
                reactions.react(c, reaction.reaction());
                yield Uni.createFrom().voidItem();
            }
            case Resume resume -> replay.resume(c, resume.lastMessageId(), resume.lastSeq());
        };
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(Buffer ignored, WebSocketConnection socket) {
        ChatConnection c = socket.userData().get(STATE);
        if (c != null) {
            c.close(frames.error("invalid_frame", "binary frames are not supported"), 4400, "binary frame");
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection socket) {
        ChatConnection c = socket.userData().get(STATE);
        if (c == null) {
            return;
        }
        c.closed();
        if (c.authTimer() >= 0) {
            vertx.cancelTimer(c.authTimer());
        }
        entry.leave(c);
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection socket, Throwable failure) {
        ChatConnection c = socket.userData().get(STATE);
        if (c != null && OversizedMessages.isOversized(failure)) {
            String reason = OversizedMessages.reason();
            c.close(frames.error("too_big", reason), OversizedMessages.CLOSE_CODE, reason);
            return;
        }
        LOG.debugf("room channel %s: %s", socket.id(), failure.toString());
    }

    /** Before {@code welcome} a protocol error closes the socket (4400); after it, the socket is only told. */
    private Uni<Void> protocolError(ChatConnection c, String code, String message) {
        String frame = frames.error(code, message);
        if (!c.authenticated()) {
            c.close(frame, 4400, message.length() > 100 ? message.substring(0, 100) : message);
        } else {
            c.send(frame);
        }
        return Uni.createFrom().voidItem();
    }

    /** Anonymous sockets are the room's to admit or refuse (PUBLIC rooms only); a token that does not verify closes. */
    private Uni<Void> authenticate(ChatConnection c, WebSocketConnection socket, Auth auth) {
        if (c.authenticated() || c.authTimer() == AUTH_RECEIVED) {
            return protocolError(c, "invalid_frame", "already authenticated");
        }
        if (c.authTimer() >= 0) {
            vertx.cancelTimer(c.authTimer());
        }
        c.authTimer(AUTH_RECEIVED);
        return authenticator.authenticate(auth.token(), socket.handshakeRequest().header("Authorization"))
                .flatMap(identity -> switch (identity) {
                    case FirstFrameIdentity.Anonymous anonymous -> entry.enter(c, Caller.anonymous(c.id()));
                    case FirstFrameIdentity.Authenticated known -> entry.enter(c, Caller.of(known.identity()));
                    case FirstFrameIdentity.Invalid invalid -> {
                        c.close(frames.error("unauthenticated",
                                "the token is invalid or expired; get a new one and reconnect"), 4401, "invalid token");
                        yield Uni.createFrom().voidItem();
                    }
                });
    }

    /** The viewer's country from the first trusted edge header that carries one. */
    private String region(WebSocketConnection socket) {
        for (String header : config.presence().regionHeaders()) {
            String value = socket.handshakeRequest().header(header);
            if (value != null && COUNTRY.matcher(value.strip()).matches()) {
                return value.strip().toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }
}
