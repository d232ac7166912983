package io.livestage.chat.room;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.Frames;

/**
 * A socket's {@code reaction}: counted for the room's next burst ({@link ReactionAggregator}) if the socket may
 * react; otherwise the socket alone gets an {@code error}. Nothing is stored per click.
 */
@ApplicationScoped
public class RoomReactions {
    private final RoomRegistry rooms;
    private final ReactionAggregator reactions;
    private final Frames frames;
    private final MeterRegistry metrics;

    public RoomReactions(RoomRegistry rooms, ReactionAggregator reactions, Frames frames, MeterRegistry metrics) {
        this.rooms = rooms;
        this.reactions = reactions;
        this.frames = frames;
        this.metrics = metrics;
    }

    /** {@code name} is null when the frame had it missing or not as a string. */
    public void react(ChatConnection c, String name) {
        Room room = rooms.room(c.sessionId());
        if (c.anonymous()) {
            refuse(c, "sign_in_required", "sign in to react");
        } else if (room == null || room.session() == null || room.session().isOver()) {
            refuse(c, "chat_disabled", "the session is over");
        } else if (!room.session().enableReactions()) {
            refuse(c, "reactions_disabled", "the host turned reactions off");
        } else if (c.banned()) {
            refuse(c, "banned", "you are banned from this chat; you cannot react");
        } else if (!c.canChat()) {
            metrics.counter("livestage.chat.refused", "code", "timed_out").increment();
            c.send(frames.error("timed_out", "you are timed out; you cannot react until it ends", null, null,
                    c.timedOutUntil()));
        } else if (!reactions.add(c.sessionId(), name == null ? "" : name)) {
            refuse(c, "invalid_reaction", "reaction must be one of " + reactions.names());
        }
    }

    private void refuse(ChatConnection c, String code, String message) {
        metrics.counter("livestage.chat.refused", "code", code).increment();
        c.send(frames.error(code, message));
    }
}
