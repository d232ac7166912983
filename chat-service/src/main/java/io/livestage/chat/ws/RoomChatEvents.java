package io.livestage.chat.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.SessionView;
import io.livestage.events.ChatEvent;
import io.livestage.events.TranscriptEvent;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.transcript.TranscriptSegment;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the room feed does with the events of a room's chat and transcript: messages, reaction bursts and captions
 * become one frame for every socket; moderation reaches the sockets it is about.
 */
@ApplicationScoped
public class RoomChatEvents {
    private final Frames frames;

    public RoomChatEvents(Frames frames) {
        this.frames = frames;
    }

    /** Live captions. */
    void onTranscript(Room room, TranscriptEvent event) {
        switch (event) {
            case TranscriptSegment segment -> room.broadcast(frames.caption(segment));
        }
    }

    void onChat(Room room, ChatEvent event) {
        switch (event) {
            case ChatMessagePosted message -> room.broadcast(frames.liveMessage(message));
            case ChatReactionBurst burst -> room.broadcast(frames.reactions(burst.counts(), burst.total(),
                    Duration.between(burst.windowStart(), burst.windowEnd()).toMillis()));
            case ChatModerated moderated -> onModerated(room, moderated);
            case ViewerPresence ignored -> {
                // counts reach the sockets through the presence board, not per connection
            }
        }
    }

    private void onModerated(Room room, ChatModerated event) {
        String target = event.targetUserId();
        switch (event.action()) {
            case MESSAGE_DELETED -> room.broadcast(frames.deleted(event.messageId(), event.actorId()));
            case USER_TIMED_OUT -> {
                Instant until = event.until();
                var error = frames.errorNode("timed_out", "a moderator timed you out");
                error.put("until", until.toString());
                String frame = frames.write(error);
                room.forUser(target, c -> {
                    c.timedOutUntil(until);
                    c.send(frame);
                    c.send(frames.youFrame(c));
                });
            }
            case USER_BANNED -> {
                String frame = frames.error("banned", "a moderator banned you from this chat");
                room.forUser(target, c -> {
                    c.banned(true);
                    c.send(frame);
                    c.send(frames.youFrame(c));
                });
            }
            case USER_UNBANNED -> room.forUser(target, c -> {
                c.banned(false);
                c.timedOutUntil(null);
                c.send(frames.youFrame(c));
            });
            case SETTINGS_CHANGED -> onSettingsChanged(room, event.settings());
        }
    }

    private void onSettingsChanged(Room room, ChatSettingsSnapshot changed) {
        ChatSettings settings = new ChatSettings(changed.slowModeSeconds(), changed.signedInOnly(),
                changed.reactionsOnly(), List.of());
        room.settings(settings);
        SessionView session = room.session();
        if (session != null) {
            room.broadcast(frames.settingsFrame(session, settings));
        }
        if (settings.signedInOnly()) {
            String frame = frames.error("signed_in_only", "this chat is now for signed-in users only");
            for (ChatConnection c : room.connections()) {
                if (c.anonymous()) {
                    c.context().runOnContext(ignored -> c.close(frame, 4401, "signed-in users only"));
                }
            }
        }
    }
}
