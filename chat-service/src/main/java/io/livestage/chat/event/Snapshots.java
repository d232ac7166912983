package io.livestage.chat.event;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;

/** Reads the snapshots session-service's events carry into chat-service's views (one reading for the projection and the live feed). */
public final class Snapshots {
    /** Events of {@code livestage.session} that carry a participant snapshot. */
    public static final Set<String> PARTICIPANT_EVENTS = Set.of("participant.joined", "participant.left",
            "participant.role-changed", "participant.muted", "participant.removed", "guest.approved",
            "participant.media-changed", "participant.unmute-requested");

    private Snapshots() {
    }

    /** The session view of a {@code session.*} event's data, or null when the data has no session. */
    public static SessionView session(String type, JsonNode data, long seq) {
        JsonNode session = data == null ? null : data.get("session");
        if (session == null || !session.isObject()) {
            return null;
        }
        JsonNode settings = session.path("settings");
        String status = "session.deleted".equals(type) ? "DELETED" : session.path("status").asText();
        JsonNode endedAt = session.get("endedAt");
        return new SessionView(session.path("id").asText(), session.path("slug").asText(),
                session.path("title").asText(), session.path("hostId").asText(), session.path("kind").asText(),
                session.path("visibility").asText(), status, settings.path("enableChat").asBoolean(true),
                settings.path("enableReactions").asBoolean(true),
                endedAt == null || endedAt.isNull() ? null : Instant.parse(endedAt.asText()), seq);
    }

    /** The member view of a participant event's data, or null when it carries no participant. */
    public static MemberView member(String type, JsonNode data, long seq) {
        JsonNode participant = data == null ? null : data.get("participant");
        if (participant == null || !participant.isObject()) {
            return null;
        }
        String role = participant.path("role").asText("VIEWER");
        JsonNode leftAt = participant.get("leftAt");
        boolean present = leftAt == null || leftAt.isNull();
        boolean removed = "participant.removed".equals(type);
        boolean onStage = present && !removed && !"VIEWER".equals(role);
        return new MemberView(participant.path("userId").asText(), participant.path("name").asText(null), role,
                onStage, removed, seq);
    }
}
