package io.livestage.chat.room;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import org.jboss.logging.Logger;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.service.Admission;
import io.livestage.chat.service.Caller;
import io.livestage.chat.service.ChatService;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.Frames;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.participant.ParticipantRole;

/**
 * A socket entering and leaving its room: the admission decision, then attached, {@code welcome}d and counted, or
 * closed with the refusal's code; each entry and exit is a {@code viewer.presence} event.
 */
@ApplicationScoped
public class RoomEntry {
    private static final Logger LOG = Logger.getLogger(RoomEntry.class);

    private final Admission admission;
    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final ReactionAggregator reactions;
    private final ChatService chat;
    private final Frames frames;
    private final ChatConfig config;

    public RoomEntry(Admission admission, RoomRegistry rooms, PresenceBoard presence, ReactionAggregator reactions,
            ChatService chat, Frames frames, ChatConfig config) {
        this.admission = admission;
        this.rooms = rooms;
        this.presence = presence;
        this.reactions = reactions;
        this.chat = chat;
        this.frames = frames;
        this.config = config;
    }

    /** Admits an authenticated (or anonymous) socket, or closes it saying why; never fails. */
    public Uni<Void> enter(ChatConnection c, Caller who) {
        Context context = c.context();
        return admission.decide(UUID.fromString(c.sessionId()), who)
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .flatMap(decision -> admit(c, who, decision))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not admit a socket to session %s: %s", c.sessionId(), failure.toString());
                    c.close(frames.error("unavailable", "chat is unavailable right now; retry shortly"), 1011,
                            "unavailable");
                    return null;
                });
    }

    /** The socket closed: out of its room, and counted as gone if it was in. */
    public void leave(ChatConnection c) {
        if (rooms.detach(c)) {
            presence.changed(c.sessionId());
            Instant now = Instant.now();
            emitPresence(c, ViewerPresence.PresenceChange.LEFT, now,
                    Math.max(0, Duration.between(c.openedAt(), now).toSeconds()));
        }
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
        MemberView recent = who.anonymous() ? null : rooms.recentMember(c.sessionId(), who.userId());
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
            c.send(frames.welcome(c, room.session(), room.settings(), reactions.names(),
                    presence.viewers(c.sessionId()), room.guests(), decision.room().lastSeq(), config.maxTextLength()));
            emitPresence(c, ViewerPresence.PresenceChange.JOINED, c.openedAt(), null);
            return null;
        });
    }

    private void emitPresence(ChatConnection c, ViewerPresence.PresenceChange change, Instant at, Long seconds) {
        ViewerPresence event = new ViewerPresence(c.sessionId(), c.id(), change, c.anonymous() ? null : c.userId(),
                c.anonymous(), ParticipantRole.valueOf(c.role()), c.deviceType(), c.region(), at, seconds);
        chat.presence(event).subscribe().with(ignored -> {
        }, failure -> LOG.warnf("viewer.presence for session %s not stored: %s", c.sessionId(), failure.toString()));
    }
}
