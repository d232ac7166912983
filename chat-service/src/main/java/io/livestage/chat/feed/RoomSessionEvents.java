package io.livestage.chat.feed;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.livestage.chat.feed.RoomUpdate.UserChange;
import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.ws.Frames;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.StageChange;

/**
 * What session-service's events do to a room here: system, stage and {@code you} frames, and a session's end closes
 * its sockets. Pure: the caller has already kept the newest views ({@link FeedRouter}) and passes what it needs.
 */
@ApplicationScoped
public class RoomSessionEvents {
    private final Frames frames;

    public RoomSessionEvents(Frames frames) {
        this.frames = frames;
    }

    /** The room's session went from {@code before} (null: unknown) to the newer {@code view}. */
    public List<RoomUpdate> onSessionChange(SessionChange change, SessionView before, SessionView view,
            ChatSettings settings) {
        if (view.isOver()) {
            return List.of(new RoomUpdate.End(frames.ended(view.endedAt())));
        }
        if (change instanceof SessionStarted) {
            return List.of(new RoomUpdate.ToRoom(
                    frames.system("session.started", view.hostId(), null, "HOST", "The session started")));
        }
        if (before != null && (before.enableChat() != view.enableChat()
                || before.enableReactions() != view.enableReactions())) {
            return List.of(new RoomUpdate.ToRoom(frames.settingsFrame(view, settings)));
        }
        return List.of();
    }

    /**
     * A newer view of a member of the room. {@code type} is the event's ce_type, which system and stage frames carry
     * as their {@code event}; {@code session} is the room's session view (null while it has none).
     */
    public List<RoomUpdate> onParticipant(String type, ParticipantChange change, MemberView member,
            SessionView session) {
        String userId = member.userId();
        String name = member.name() == null ? userId : member.name();
        return switch (change) {
            case ParticipantJoined joined -> List.of(system(type, member, name, name + " joined"));
            case ParticipantLeft left -> List.of(system(type, member, name, name + " left"));
            case ParticipantRoleChanged changed -> {
                ParticipantRole previous = changed.previousRole() == null ? ParticipantRole.VIEWER
                        : changed.previousRole();
                boolean promoted = rank(ParticipantRole.valueOf(member.role())) > rank(previous);
                String event = promoted ? "participant.promoted" : "participant.demoted";
                yield List.of(system(event, member, name, name + " is now " + member.role().toLowerCase(Locale.ROOT)),
                        roleOf(member, session));
            }
            case GuestApproved approved -> List.of(system(type, member, name, name + " joined the stage"),
                    new RoomUpdate.ToModerators(frames.stage(type, approved.request(), null)), roleOf(member, session));
            case ParticipantRemoved removed -> List.of(system(type, member, name, name + " was removed"),
                    new RoomUpdate.CloseUser(userId, frames.error("removed", "a moderator removed you from this session"),
                            4403, "removed from the session"));
            // LiveKit enforces mutes; the chat shows nothing
            case ParticipantMuted muted -> List.of();
            // mute state for the stage view comes with the member snapshot; no chat line
            case ParticipantMediaChanged media -> List.of();
            case ParticipantUnmuteRequested asked -> List.of(new RoomUpdate.ToUser(userId,
                    frames.unmuteRequest(asked.audio(), asked.video(), asked.requestedBy())));
        };
    }

    /** The stage queue changed: its moderators see the request, and where it stands when a hand was raised. */
    public List<RoomUpdate> onStage(String type, StageChange change) {
        Integer position = change instanceof GuestRequested requested ? requested.position() : null;
        return List.of(new RoomUpdate.ToModerators(frames.stage(type, change.request(), position)));
    }

    private RoomUpdate system(String event, MemberView member, String name, String text) {
        return new RoomUpdate.ToRoom(frames.system(event, member.userId(), name, member.role(), text));
    }

    /** The session's host stays HOST on their sockets whatever their participant role says. */
    private static RoomUpdate roleOf(MemberView member, SessionView session) {
        String role = member.userId().equals(session == null ? null : session.hostId()) ? "HOST" : member.role();
        return new RoomUpdate.ChangeUser(member.userId(), new UserChange.Role(role), null);
    }

    private static int rank(ParticipantRole role) {
        return switch (role) {
            case VIEWER -> 0;
            case GUEST -> 1;
            case COHOST -> 2;
            case HOST -> 3;
        };
    }
}
