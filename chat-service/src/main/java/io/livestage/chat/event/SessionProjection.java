package io.livestage.chat.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Blocking;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.session.SessionChange;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;

/**
 * Keeps chat-service's copy of sessions and participants (chat_rooms, chat_members) from session-service's events.
 * One consumer group for all instances, committed offsets. Every event carries a full snapshot and a per-session
 * ce_sequence, so applying means "overwrite if newer": redeliveries and replays change nothing (idempotent without a
 * processed-ids log) and chat's own columns (settings, bans, message counter) are never touched.
 */
@ApplicationScoped
public class SessionProjection {
    static final String CONSUMER = "chat-service.session-projection";
    private static final Logger LOG = Logger.getLogger(SessionProjection.class);

    private static final String UPSERT_ROOM = """
            insert into chat_rooms (session_id, slug, title, host_id, kind, visibility, status, enable_chat,
                enable_reactions, ended_at, session_seq)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (session_id) do update set slug = excluded.slug, title = excluded.title,
                host_id = excluded.host_id, kind = excluded.kind, visibility = excluded.visibility,
                status = excluded.status, enable_chat = excluded.enable_chat,
                enable_reactions = excluded.enable_reactions, ended_at = excluded.ended_at,
                session_seq = excluded.session_seq
            where chat_rooms.session_seq < excluded.session_seq""";

    private static final String UPSERT_MEMBER = """
            insert into chat_members (session_id, user_id, name, role, on_stage, removed, participant_seq)
            select ?, ?, ?, ?, ?, ?, ? where exists (select 1 from chat_rooms where session_id = ?)
            on conflict (session_id, user_id) do update set name = excluded.name, role = excluded.role,
                on_stage = excluded.on_stage, removed = chat_members.removed or excluded.removed,
                participant_seq = excluded.participant_seq
            where chat_members.participant_seq < excluded.participant_seq""";

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
                SessionView session = Snapshots.session(change, seq);
                if (session != null) {
                    apply(session);
                }
            }
            case ParticipantChange change when record.key() != null -> {
                MemberView member = Snapshots.member(change, seq);
                if (member != null) {
                    apply(UUID.fromString(record.key()), member, event.type());
                }
            }
            case ParticipantChange change -> {
                // no session key: nothing to attach the member to
            }
            case StageChange change -> {
                // the stage queue is not part of chat's copy
            }
        }
    }

    private void apply(SessionView session) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_ROOM)) {
            s.setObject(1, UUID.fromString(session.id()));
            s.setString(2, session.slug());
            s.setString(3, session.title());
            s.setString(4, session.hostId());
            s.setString(5, session.kind());
            s.setString(6, session.visibility());
            s.setString(7, session.status());
            s.setBoolean(8, session.enableChat());
            s.setBoolean(9, session.enableReactions());
            s.setTimestamp(10, session.endedAt() == null ? null : Timestamp.from(session.endedAt()));
            s.setLong(11, session.seq());
            s.executeUpdate();
        }
    }

    private void apply(UUID session, MemberView member, String type) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT_MEMBER)) {
            s.setObject(1, session);
            s.setString(2, member.userId());
            s.setString(3, member.name());
            s.setString(4, member.role());
            s.setBoolean(5, member.onStage());
            s.setBoolean(6, member.removed());
            s.setLong(7, member.seq());
            s.setObject(8, session);
            if (s.executeUpdate() == 0) {
                LOG.debugf("%s seq %d for session %s not applied (older than the stored view, or unknown session)",
                        type, member.seq(), session);
            }
        }
    }
}
