package io.livestage.chat.ws;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.model.StoredMessage;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.service.Admission;
import io.livestage.chat.service.Caller;
import io.livestage.chat.service.ChatService;
import io.livestage.chat.service.ChatService.PostResult;
import io.livestage.chat.service.DeviceTypes;
import io.livestage.chat.service.TextRules;
import io.livestage.chat.service.TokenBucket;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.platform.ws.OversizedMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The room channel: {@code /ws/sessions/{id}}, one socket per viewer and session (protocol: PROTOCOL.md). The first
 * frame authenticates (the token is never in the URL or a log); then chat, reactions and resume. Everything here runs
 * on the socket's event loop and never blocks: the database is reached through the reactive client.
 */
@WebSocket(path = "/ws/sessions/{id}")
public class RoomChannel {
    private static final Logger LOG = Logger.getLogger(RoomChannel.class);
    private static final TypedKey<ChatConnection> STATE = new TypedKey<>("livestage.chat.connection");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "auth", Set.of("type", "v", "token"),
            "chat.send", Set.of("type", "v", "clientMessageId", "text"),
            "reaction", Set.of("type", "v", "reaction"),
            "resume", Set.of("type", "v", "lastMessageId", "lastSeq"));

    private final ChatConfig config;
    private final Admission admission;
    private final ChatService chat;
    private final ChatRepository repository;
    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final ReactionAggregator reactions;
    private final Frames frames;
    private final ObjectMapper json;
    private final TenantIdentityProvider identities;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    public RoomChannel(ChatConfig config, Admission admission, ChatService chat, ChatRepository repository,
            RoomRegistry rooms, PresenceBoard presence, ReactionAggregator reactions, Frames frames, ObjectMapper json,
            TenantIdentityProvider identities, Vertx vertx, MeterRegistry metrics) {
        this.config = config;
        this.admission = admission;
        this.chat = chat;
        this.repository = repository;
        this.rooms = rooms;
        this.presence = presence;
        this.reactions = reactions;
        this.frames = frames;
        this.json = json;
        this.identities = identities;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    @OnOpen
    public void onOpen(WebSocketConnection socket) {
        String sessionId = socket.pathParam("id");
        TokenBucket flood = new TokenBucket(config.flood().burst(), config.flood().framesPerSecond(), System.nanoTime());
        ChatConnection c = new ChatConnection(socket, sessionId, Vertx.currentContext(), flood,
                DeviceTypes.of(socket.handshakeRequest().header("User-Agent")), region(socket));
        socket.userData().put(STATE, c);
        if (!isUuid(sessionId)) {
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
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (java.io.IOException e) {
            return protocolError(c, "invalid_frame", "frames are JSON objects");
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            return protocolError(c, "invalid_frame", "frames are JSON objects with a type");
        }
        if (frame.path("v").asInt(-1) != Frames.VERSION) {
            return protocolError(c, "unsupported_version", "this server speaks protocol version 1; send \"v\":1");
        }
        String type = frame.path("type").asText();
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            return protocolError(c, "invalid_frame", "unknown frame type '" + type + "'");
        }
        for (Iterator<String> names = frame.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return protocolError(c, "invalid_frame", "unknown field '" + name + "' in " + type);
            }
        }
        if ("auth".equals(type)) {
            if (c.authenticated() || c.authTimer() == -2) {
                return protocolError(c, "invalid_frame", "already authenticated");
            }
            if (c.authTimer() >= 0) {
                vertx.cancelTimer(c.authTimer());
            }
            c.authTimer(-2);
            return authenticate(c, socket, frame);
        }
        if (!c.authenticated()) {
            return protocolError(c, "invalid_frame", "send an auth frame first");
        }
        return switch (type) {
            case "chat.send" -> send(c, frame);
            case "reaction" -> react(c, frame);
            default -> resume(c, frame);
        };
    }

    @OnBinaryMessage
    public void onBinary(Buffer ignored, WebSocketConnection socket) {
        ChatConnection c = socket.userData().get(STATE);
        if (c != null) {
            c.close(frames.error("invalid_frame", "binary frames are not supported"), 4400, "binary frame");
        }
    }

    @OnClose
    public void onClose(WebSocketConnection socket) {
        ChatConnection c = socket.userData().get(STATE);
        if (c == null) {
            return;
        }
        if (c.authTimer() >= 0) {
            vertx.cancelTimer(c.authTimer());
        }
        if (rooms.detach(c)) {
            presence.changed(c.sessionId());
            Instant now = Instant.now();
            emitPresence(c, ViewerPresence.PresenceChange.LEFT, now,
                    Math.max(0, java.time.Duration.between(c.openedAt(), now).toSeconds()));
        }
    }

    @OnError
    public void onError(WebSocketConnection socket, Throwable failure) {
        ChatConnection c = socket.userData().get(STATE);
        if (c != null && OversizedMessages.isOversized(failure)) {
            String reason = OversizedMessages.reason();
            c.close(frames.error("too_big", reason), OversizedMessages.CLOSE_CODE, reason);
            return;
        }
        LOG.debugf("room channel %s: %s", socket.id(), failure.toString());
    }

    private Uni<Void> protocolError(ChatConnection c, String code, String message) {
        String frame = frames.error(code, message);
        if (!c.authenticated()) {
            c.close(frame, 4400, message.length() > 100 ? message.substring(0, 100) : message);
        } else {
            c.send(frame);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> authenticate(ChatConnection c, WebSocketConnection socket, JsonNode frame) {
        JsonNode tokenNode = frame.get("token");
        if (tokenNode != null && !tokenNode.isNull() && !tokenNode.isTextual()) {
            return protocolError(c, "invalid_frame", "token must be a string");
        }
        String token = tokenNode == null || tokenNode.isNull() ? null : tokenNode.asText();
        if (token == null) {
            String header = socket.handshakeRequest().header("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = header.substring(7).strip();
            }
        }
        Uni<Caller> caller = token == null || token.isEmpty() ? Uni.createFrom().item(Caller.anonymous(c.id()))
                : identities.authenticate(new AccessTokenCredential(token)).map(Caller::of);
        Context context = c.context();
        return caller.onFailure().recoverWithNull().flatMap(who -> {
            if (who == null) {
                c.close(frames.error("unauthenticated", "the token is invalid or expired; get a new one and reconnect"),
                        4401, "invalid token");
                return Uni.createFrom().voidItem();
            }
            return admission.decide(UUID.fromString(c.sessionId()), who)
                    .emitOn(task -> context.runOnContext(ignored -> task.run()))
                    .flatMap(decision -> admit(c, who, decision));
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("could not admit a socket to session %s: %s", c.sessionId(), failure.toString());
            c.close(frames.error("unavailable", "chat is unavailable right now; retry shortly"), 1011, "unavailable");
            return null;
        });
    }

    private Uni<Void> admit(ChatConnection c, Caller who, Admission.Decision decision) {
        if (decision.ended()) {
            c.close(frames.ended(decision.room().session().endedAt()), 1000, "session ended");
            return Uni.createFrom().voidItem();
        }
        if (!decision.admitted()) {
            c.close(frames.error(decision.code(), decision.message()), decision.closeCode(), decision.message());
            return Uni.createFrom().voidItem();
        }
        // The feed may have seen a removal the shared projection has not written yet.
        var recent = who.anonymous() ? null : rooms.recentMember(c.sessionId(), who.userId());
        if (recent != null && recent.removed()) {
            c.close(frames.error("removed", "you were removed from this session"), 4403, "removed from the session");
            return Uni.createFrom().voidItem();
        }
        String userId = who.anonymous() ? null : who.userId();
        String name = decision.member() != null && decision.member().view().name() != null
                ? decision.member().view().name() : who.name();
        c.authenticate(userId, name, who.anonymous(), decision.role(),
                who.anonymous() ? null : rooms.messageBucket(c.sessionId(), userId));
        if (decision.member() != null) {
            c.banned(decision.member().banned());
            c.timedOutUntil(decision.member().timedOutUntil());
        }
        if (c.closing()) {
            return Uni.createFrom().voidItem();
        }
        return rooms.attach(c, decision.room()).map(room -> {
            if (room.session().isOver()) {
                rooms.detach(c);
                c.close(frames.ended(room.session().endedAt()), 1000, "session ended");
                return null;
            }
            presence.changed(c.sessionId());
            c.send(welcome(c, room, decision.room().lastSeq()));
            emitPresence(c, ViewerPresence.PresenceChange.JOINED, c.openedAt(), null);
            return null;
        });
    }

    private String welcome(ChatConnection c, Room room, long lastSeq) {
        ObjectNode node = frames.frame("welcome");
        node.put("connectionId", c.id());
        node.set("session", frames.session(room.session()));
        node.set("you", frames.you(c));
        node.set("settings", frames.settings(room.session(), room.settings()));
        var names = node.putArray("reactions");
        reactions.names().forEach(names::add);
        ObjectNode counts = node.putObject("presence");
        counts.put("viewers", presence.viewers(c.sessionId()));
        counts.put("guests", room.guests());
        node.put("lastSeq", lastSeq);
        node.putObject("limits").put("maxTextLength", config.maxTextLength());
        return frames.write(node);
    }

    private Uni<Void> send(ChatConnection c, JsonNode frame) {
        String clientMessageId = frame.path("clientMessageId").isTextual() ? frame.path("clientMessageId").asText() : null;
        if (c.anonymous()) {
            return refuse(c, clientMessageId, "sign_in_required", "sign in to chat");
        }
        if (clientMessageId == null || !CLIENT_ID.matcher(clientMessageId).matches()) {
            return refuse(c, null, "invalid_message", "clientMessageId must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        if (!frame.path("text").isTextual()) {
            return refuse(c, clientMessageId, "invalid_message", "text must be a string");
        }
        String text;
        try {
            text = TextRules.validate(frame.path("text").asText(), config.maxTextLength());
        } catch (TextRules.InvalidText e) {
            return refuse(c, clientMessageId, "invalid_message", e.getMessage());
        }
        TokenBucket bucket = c.messages();
        long wait;
        synchronized (bucket) {
            long now = System.nanoTime();
            wait = bucket.tryTake(now) ? 0 : bucket.nanosUntilToken(now);
        }
        if (wait > 0) {
            var error = frames.errorNode("rate_limited", "too many messages; wait a moment");
            error.put("retryAfterMs", Math.max(1, wait / 1_000_000));
            error.put("clientMessageId", clientMessageId);
            metrics.counter("livestage.chat.refused", "code", "rate_limited").increment();
            c.send(frames.write(error));
            return Uni.createFrom().voidItem();
        }
        return chat.post(UUID.fromString(c.sessionId()), c.userId(), c.name(), clientMessageId, text).map(result -> {
            switch (result) {
                case PostResult.Accepted accepted -> {
                    metrics.counter("livestage.chat.messages", "outcome", "accepted").increment();
                    c.send(frames.ack(accepted.message(), false));
                }
                case PostResult.Duplicate duplicate -> {
                    metrics.counter("livestage.chat.messages", "outcome", "duplicate").increment();
                    c.send(frames.ack(duplicate.message(), true));
                }
                case PostResult.Refused refused -> {
                    metrics.counter("livestage.chat.refused", "code", refused.code()).increment();
                    var error = frames.errorNode(refused.code(), refused.message());
                    error.put("clientMessageId", clientMessageId);
                    if (refused.retryAfterMs() != null) {
                        error.put("retryAfterMs", refused.retryAfterMs());
                    }
                    if (refused.until() != null) {
                        error.put("until", refused.until().toString());
                    }
                    c.send(frames.write(error));
                }
            }
            return (Void) null;
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("chat message in session %s not stored: %s", c.sessionId(), failure.toString());
            refuse(c, clientMessageId, "unavailable", "your message was not stored; send it again");
            return null;
        });
    }

    private Uni<Void> refuse(ChatConnection c, String clientMessageId, String code, String message) {
        var error = frames.errorNode(code, message);
        if (clientMessageId != null) {
            error.put("clientMessageId", clientMessageId);
        }
        metrics.counter("livestage.chat.refused", "code", code).increment();
        c.send(frames.write(error));
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> react(ChatConnection c, JsonNode frame) {
        Room room = rooms.room(c.sessionId());
        if (c.anonymous()) {
            return refuse(c, null, "sign_in_required", "sign in to react");
        }
        if (room == null || room.session() == null || room.session().isOver()) {
            return refuse(c, null, "chat_disabled", "the session is over");
        }
        if (!room.session().enableReactions()) {
            return refuse(c, null, "reactions_disabled", "the host turned reactions off");
        }
        if (!c.canChat()) {
            if (c.banned()) {
                return refuse(c, null, "banned", "you are banned from this chat; you cannot react");
            }
            var error = frames.errorNode("timed_out", "you are timed out; you cannot react until it ends");
            error.put("until", c.timedOutUntil().toString());
            metrics.counter("livestage.chat.refused", "code", "timed_out").increment();
            c.send(frames.write(error));
            return Uni.createFrom().voidItem();
        }
        String name = frame.path("reaction").isTextual() ? frame.path("reaction").asText() : "";
        if (!reactions.add(c.sessionId(), name)) {
            return refuse(c, null, "invalid_reaction", "reaction must be one of " + reactions.names());
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> resume(ChatConnection c, JsonNode frame) {
        UUID session = UUID.fromString(c.sessionId());
        Uni<Long> after;
        if (frame.path("lastMessageId").isTextual() && isUuid(frame.path("lastMessageId").asText())) {
            after = repository.seqOf(session, UUID.fromString(frame.path("lastMessageId").asText()));
        } else if (frame.path("lastSeq").canConvertToLong() && frame.path("lastSeq").asLong() >= 0) {
            after = Uni.createFrom().item(frame.path("lastSeq").asLong());
        } else {
            return refuse(c, null, "invalid_frame", "resume needs lastMessageId (a message id) or lastSeq (>= 0)");
        }
        int limit = config.resumeLimit();
        return after.flatMap(seq -> {
            if (seq == null) {
                return refuse(c, null, "not_found", "no such message in this session");
            }
            return repository.messagesAfter(session, seq, limit + 1).map(messages -> {
                int count = Math.min(limit, messages.size());
                for (StoredMessage m : messages.subList(0, count)) {
                    c.send(frames.replayedMessage(m));
                }
                c.send(frames.resumeDone(count, messages.size() <= limit));
                return null;
            });
        });
    }

    private void emitPresence(ChatConnection c, ViewerPresence.PresenceChange change, Instant at, Long seconds) {
        ViewerPresence event = new ViewerPresence(c.sessionId(), c.id(), change, c.anonymous() ? null : c.userId(),
                c.anonymous(), ParticipantRole.valueOf(c.role()), c.deviceType(), c.region(), at, seconds);
        chat.presence(event).subscribe().with(ignored -> {
        }, failure -> LOG.warnf("viewer.presence for session %s not stored: %s", c.sessionId(), failure.toString()));
    }

    private String region(WebSocketConnection socket) {
        for (String header : config.presence().regionHeaders()) {
            String value = socket.handshakeRequest().header(header);
            if (value != null && COUNTRY.matcher(value.strip()).matches()) {
                return value.strip().toUpperCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    static boolean isUuid(String value) {
        try {
            return value != null && value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
