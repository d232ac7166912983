package io.livestage.chat.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.livestage.chat.feed.RoomUpdate.UserChange;
import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.ws.Frames;
import io.livestage.events.ChatEvent;
import io.livestage.events.TranscriptEvent;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.transcript.TranscriptSegment;

/**
 * What the events of a room's chat and transcript do to the room: messages, reaction bursts and captions become one
 * frame for every socket; moderation reaches the sockets it is about. Pure: no socket, no state.
 */
@ApplicationScoped
public class RoomChatEvents {
    private final Frames frames;

    public RoomChatEvents(Frames frames) {
        this.frames = frames;
    }

    /** Live captions. */
    public List<RoomUpdate> onTranscript(TranscriptEvent event) {
        return switch (event) {
            case TranscriptSegment segment -> List.of(new RoomUpdate.ToRoom(frames.caption(segment)));
        };
    }

    /** {@code session} is the room's view of its session (for a settings frame), null while it has none. */
    public List<RoomUpdate> onChat(ChatEvent event, SessionView session) {
        return switch (event) {
            case ChatMessagePosted message -> List.of(new RoomUpdate.ToRoom(frames.liveMessage(message)));
            case ChatReactionBurst burst -> List.of(new RoomUpdate.ToRoom(frames.reactions(burst.counts(),
                    burst.total(), Duration.between(burst.windowStart(), burst.windowEnd()).toMillis())));
            case ChatModerated moderated -> onModerated(moderated, session);
            // counts reach the sockets through the presence board, not per connection
            case ViewerPresence ignored -> List.of();
        };
    }

    private List<RoomUpdate> onModerated(ChatModerated event, SessionView session) {
        String target = event.targetUserId();
        return switch (event.action()) {
            case MESSAGE_DELETED -> List.of(new RoomUpdate.ToRoom(frames.deleted(event.messageId(), event.actorId())));
            case USER_TIMED_OUT -> List.of(new RoomUpdate.ChangeUser(target, new UserChange.TimedOut(event.until()),
                    frames.error("timed_out", "a moderator timed you out", null, null, event.until())));
            case USER_BANNED -> List.of(new RoomUpdate.ChangeUser(target, new UserChange.Banned(),
                    frames.error("banned", "a moderator banned you from this chat")));
            case USER_UNBANNED -> List.of(new RoomUpdate.ChangeUser(target, new UserChange.Unbanned(), null));
            case SETTINGS_CHANGED -> onSettingsChanged(event.settings(), session);
        };
    }

    private List<RoomUpdate> onSettingsChanged(ChatSettingsSnapshot changed, SessionView session) {
        ChatSettings settings = new ChatSettings(changed.slowModeSeconds(), changed.signedInOnly(),
                changed.reactionsOnly(), List.of());
        List<RoomUpdate> updates = new ArrayList<>();
        updates.add(new RoomUpdate.Settings(settings));
        if (session != null) {
            updates.add(new RoomUpdate.ToRoom(frames.settingsFrame(session, settings)));
        }
        if (settings.signedInOnly()) {
            updates.add(new RoomUpdate.CloseAnonymous(
                    frames.error("signed_in_only", "this chat is now for signed-in users only"), 4401,
                    "signed-in users only"));
        }
        return updates;
    }
}
