package io.livestage.chat.event;

import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;

/** Reads the snapshots session-service's events carry into chat-service's views (one reading for the projection and the live feed). */
public final class Snapshots {
    private Snapshots() {
    }

    /** The session view of a {@code session.*} event, or null when it carries no session. */
    public static SessionView session(SessionChange event, long seq) {
        SessionSnapshot session = event.session();
        if (session == null) {
            return null;
        }
        SessionSettings settings = session.settings();
        String status = event instanceof SessionDeleted ? "DELETED" : name(session.status());
        return new SessionView(session.id(), session.slug(), session.title(), session.hostId(), name(session.kind()),
                name(session.visibility()), status, settings == null || settings.enableChat(),
                settings == null || settings.enableReactions(), session.endedAt(), seq);
    }

    /** The member view of an event that carries a participant, or null when it carries none. */
    public static MemberView member(ParticipantChange event, long seq) {
        ParticipantSnapshot participant = event.participant();
        if (participant == null) {
            return null;
        }
        ParticipantRole role = participant.role() == null ? ParticipantRole.VIEWER : participant.role();
        boolean removed = event instanceof ParticipantRemoved;
        boolean onStage = participant.leftAt() == null && !removed && role.onStage();
        return new MemberView(participant.userId(), participant.name(), role.name(), onStage, removed, seq);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
