package io.livestage.transcription.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;

/**
 * transcription-service's copy of sessions and participants, from session-service's events (one consumer group for
 * all instances). Every event carries a full snapshot and a per-session ce_sequence: a row is only overwritten by a
 * newer one, so redeliveries and replays change nothing.
 */
@ApplicationScoped
public class SessionProjection {
    static final String CONSUMER = "transcription-service.session-projection";

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
    private final EventReader events;

    public SessionProjection(AgroalDataSource dataSource, EventReader events) {
        this.dataSource = dataSource;
        this.events = events;
    }

    @Incoming("session-projection")
    @Blocking
    public void onEvent(ConsumerRecord<String, byte[]> record) throws SQLException {
        CloudEvent<SessionEvent> event = events.read(CONSUMER, record, SessionEvent.class).orElse(null);
        if (event == null || event.sequence() == null) {
            return;
        }
        long seq = event.sequence();
        switch (event.data()) {
            case SessionChange change -> {
                if (change.session() != null) {
                    applySession(change, seq);
                }
            }
            case ParticipantChange change when change.participant() != null && record.key() != null ->
                    applyParticipant(UUID.fromString(record.key()), change, seq);
            case ParticipantChange change -> {
                // nothing to attach: no participant, or no session key
            }
            case StageChange change -> {
                // the stage queue is not part of this copy
            }
        }
    }

    private void applySession(SessionChange change, long seq) throws SQLException {
        SessionSnapshot session = change.session();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_SESSION)) {
            s.setObject(1, UUID.fromString(session.id()));
            s.setString(2, session.slug());
            s.setString(3, session.title());
            s.setString(4, session.hostId());
            s.setString(5, name(session.visibility()));
            s.setString(6, change instanceof SessionDeleted ? "DELETED" : name(session.status()));
            s.setBoolean(7, session.settings() != null && session.settings().transcriptionEnabled());
            s.setTimestamp(8, timestamp(session.startedAt()));
            s.setTimestamp(9, timestamp(session.endedAt()));
            s.setLong(10, seq);
            s.executeUpdate();
        }
    }

    private void applyParticipant(UUID session, ParticipantChange change, long seq) throws SQLException {
        ParticipantSnapshot p = change.participant();
        boolean removed = change instanceof ParticipantRemoved;
        boolean present = p.leftAt() == null && !removed;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_PARTICIPANT)) {
            s.setObject(1, session);
            s.setString(2, p.userId());
            s.setString(3, p.identity() == null ? p.userId() : p.identity());
            s.setString(4, p.name());
            s.setString(5, p.role() == null ? ParticipantRole.VIEWER.name() : p.role().name());
            s.setBoolean(6, present);
            s.setBoolean(7, removed);
            s.setLong(8, seq);
            s.setObject(9, session);
            s.executeUpdate();
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
