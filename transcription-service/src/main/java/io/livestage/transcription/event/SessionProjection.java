package io.livestage.transcription.event;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.livestage.events.CloudEventHeaders;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * transcription-service's copy of sessions and participants, from session-service's events (one consumer group for
 * all instances). Every event carries a full snapshot and a per-session ce_sequence: a row is only overwritten by a
 * newer one, so redeliveries and replays change nothing.
 */
@ApplicationScoped
public class SessionProjection {
    private static final String UPSERT_SESSION = """
            insert into transcript_sessions (session_id, slug, title, host_id, visibility, status,
                transcription_enabled, started_at, ended_at, session_seq)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (session_id) do update set slug = excluded.slug, title = excluded.title,
                host_id = excluded.host_id, visibility = excluded.visibility, status = excluded.status,
                transcription_enabled = excluded.transcription_enabled, started_at = excluded.started_at,
                ended_at = excluded.ended_at, session_seq = excluded.session_seq
            where transcript_sessions.session_seq < excluded.session_seq""";

    private static final String UPSERT_PARTICIPANT = """
            insert into transcript_participants (session_id, user_id, identity, name, role, present, removed,
                participant_seq)
            select ?, ?, ?, ?, ?, ?, ?, ? where exists (select 1 from transcript_sessions where session_id = ?)
            on conflict (session_id, user_id) do update set identity = excluded.identity, name = excluded.name,
                role = excluded.role, present = excluded.present,
                removed = transcript_participants.removed or excluded.removed,
                participant_seq = excluded.participant_seq
            where transcript_participants.participant_seq < excluded.participant_seq""";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public SessionProjection(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    @Incoming("session-projection")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) throws IOException, SQLException {
        String type = header(record, CloudEventHeaders.TYPE);
        String sequence = header(record, CloudEventHeaders.SEQUENCE);
        if (type == null || sequence == null || record.value() == null) {
            return;
        }
        long seq = Long.parseLong(sequence);
        JsonNode data = json.readTree(record.value());
        if (type.startsWith("session.")) {
            JsonNode session = data.get("session");
            if (session != null && session.isObject()) {
                applySession(type, session, seq);
            }
            return;
        }
        JsonNode participant = data.get("participant");
        if (participant != null && participant.isObject() && record.key() != null) {
            applyParticipant(UUID.fromString(record.key()), type, participant, seq);
        }
    }

    private void applySession(String type, JsonNode session, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_SESSION)) {
            s.setObject(1, UUID.fromString(session.path("id").asText()));
            s.setString(2, session.path("slug").asText());
            s.setString(3, session.path("title").asText());
            s.setString(4, session.path("hostId").asText());
            s.setString(5, session.path("visibility").asText());
            s.setString(6, "session.deleted".equals(type) ? "DELETED" : session.path("status").asText());
            s.setBoolean(7, session.path("settings").path("transcriptionEnabled").asBoolean(false));
            s.setTimestamp(8, timestamp(session.get("startedAt")));
            s.setTimestamp(9, timestamp(session.get("endedAt")));
            s.setLong(10, seq);
            s.executeUpdate();
        }
    }

    private void applyParticipant(UUID session, String type, JsonNode p, long seq) throws SQLException {
        JsonNode leftAt = p.get("leftAt");
        boolean removed = "participant.removed".equals(type);
        boolean present = (leftAt == null || leftAt.isNull()) && !removed;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_PARTICIPANT)) {
            s.setObject(1, session);
            s.setString(2, p.path("userId").asText());
            s.setString(3, p.path("identity").asText(p.path("userId").asText()));
            s.setString(4, p.path("name").asText(null));
            s.setString(5, p.path("role").asText("VIEWER"));
            s.setBoolean(6, present);
            s.setBoolean(7, removed);
            s.setLong(8, seq);
            s.setObject(9, session);
            s.executeUpdate();
        }
    }

    private static Timestamp timestamp(JsonNode node) {
        return node == null || node.isNull() ? null : Timestamp.from(Instant.parse(node.asText()));
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return io.livestage.platform.kafka.RecordHeaders.text(record, name);
    }
}
