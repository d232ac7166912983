package io.livestage.chat.ws;

import java.util.Locale;

import io.livestage.chat.event.Snapshots;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
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
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the room feed does with session-service's events: every instance remembers the newest session and member
 * views; a room here gets system, stage and {@code you} frames, and a session's end closes its sockets.
 */
@ApplicationScoped
public class RoomSessionEvents {
    private final RoomRegistry rooms;
    private final Frames frames;

    public RoomSessionEvents(RoomRegistry rooms, Frames frames) {
        this.rooms = rooms;
        this.frames = frames;
    }

    void onSession(String sessionId, CloudEvent<SessionEvent> event) {
        Room room = rooms.room(sessionId);
        long seq = event.sequence() == null ? 0 : event.sequence();
        switch (event.data()) {
            case SessionChange change -> onSessionChange(room, change, seq);
            case ParticipantChange change -> {
                MemberView member = Snapshots.member(change, seq);
                if (member == null) {
                    return;
                }
                rooms.rememberMember(sessionId, member);
                if (room != null && room.member(member)) {
                    onParticipant(room, event.type(), change, member);
                }
            }
            case StageChange change -> {
                if (room != null) {
                    Integer position = change instanceof GuestRequested requested ? requested.position() : null;
                    room.toModerators(frames.stage(event.type(), change.request(), position));
                }
            }
        }
    }

    private void onSessionChange(Room room, SessionChange change, long seq) {
        SessionView view = Snapshots.session(change, seq);
        if (view == null) {
            return;
        }
        rooms.rememberSession(view);
        if (room == null) {
            return;
        }
        SessionView before = room.session();
        if (!room.session(view)) {
            return;
        }
        if (view.isOver()) {
            closeRoom(room, view);
        } else if (change instanceof SessionStarted) {
            room.broadcast(frames.system("session.started", view.hostId(), null, "HOST", "The session started"));
        } else if (before != null && (before.enableChat() != view.enableChat()
                || before.enableReactions() != view.enableReactions())) {
            room.broadcast(frames.settingsFrame(view, room.settings()));
        }
    }

    /** {@code type} is the event's ce_type, which the system and stage frames carry as their {@code event}. */
    private void onParticipant(Room room, String type, ParticipantChange change, MemberView member) {
        String name = member.name() == null ? member.userId() : member.name();
        switch (change) {
            case ParticipantJoined joined -> room.broadcast(frames.system(type, member.userId(), name, member.role(),
                    name + " joined"));
            case ParticipantLeft left -> room.broadcast(frames.system(type, member.userId(), name, member.role(),
                    name + " left"));
            case ParticipantRoleChanged changed -> {
                ParticipantRole previous = changed.previousRole() == null ? ParticipantRole.VIEWER
                        : changed.previousRole();
                boolean promoted = rank(ParticipantRole.valueOf(member.role())) > rank(previous);
                String event = promoted ? "participant.promoted" : "participant.demoted";
                room.broadcast(frames.system(event, member.userId(), name, member.role(),
                        name + " is now " + member.role().toLowerCase(Locale.ROOT)));
                updateRole(room, member);
            }
            case GuestApproved approved -> {
                room.broadcast(frames.system(type, member.userId(), name, member.role(), name + " joined the stage"));
                room.toModerators(frames.stage(type, approved.request(), null));
                updateRole(room, member);
            }
            case ParticipantRemoved removed -> {
                room.broadcast(frames.system(type, member.userId(), name, member.role(), name + " was removed"));
                String frame = frames.error("removed", "a moderator removed you from this session");
                room.forUser(member.userId(), c -> c.close(frame, 4403, "removed from the session"));
            }
            case ParticipantMuted muted -> {
                // LiveKit enforces mutes; the chat shows nothing
            }
            case ParticipantMediaChanged changed -> {
                // mute state for the stage view comes with the member snapshot; no chat line
            }
            case ParticipantUnmuteRequested asked -> {
                String frame = frames.unmuteRequest(asked.audio(), asked.video(), asked.requestedBy());
                room.forUser(member.userId(), c -> c.send(frame));
            }
        }
    }

    private static int rank(ParticipantRole role) {
        return switch (role) {
            case VIEWER -> 0;
            case GUEST -> 1;
            case COHOST -> 2;
            case HOST -> 3;
        };
    }

    private void updateRole(Room room, MemberView member) {
        String role = member.userId().equals(room.session() == null ? null : room.session().hostId()) ? "HOST"
                : member.role();
        room.forUser(member.userId(), c -> {
            c.role(role);
            c.send(frames.youFrame(c));
        });
    }

    private void closeRoom(Room room, SessionView view) {
        rooms.drop(room);
        String frame = frames.ended(view.endedAt());
        for (ChatConnection c : room.connections()) {
            c.context().runOnContext(ignored -> c.close(frame, 1000, "session ended"));
        }
    }
}
