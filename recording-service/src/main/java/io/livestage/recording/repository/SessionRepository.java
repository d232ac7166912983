package io.livestage.recording.repository;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.recording.model.Member;
import io.livestage.recording.model.SessionInfo;

import static io.livestage.recording.repository.Rows.utc;

/**
 * recording-service's copy of sessions and participants (from livestage.session) and the session's recording event
 * sequence. A row is only overwritten by a newer snapshot (by ce_sequence), so redeliveries change nothing.
 */
@ApplicationScoped
public class SessionRepository {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final String COLUMNS = "session_id, slug, title, host_id, kind, visibility, status, recording_enabled, "
            + "speaker_tracks";

    private static final String UPSERT_SESSION = """
            insert into recording_sessions (session_id, slug, title, host_id, kind, visibility, status,
                recording_enabled, started_at, ended_at, session_seq, speaker_tracks, description)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (session_id) do update set slug = excluded.slug, title = excluded.title,
                description = excluded.description,
                host_id = excluded.host_id, kind = excluded.kind, visibility = excluded.visibility,
                status = excluded.status, recording_enabled = excluded.recording_enabled,
                speaker_tracks = excluded.speaker_tracks,
                started_at = excluded.started_at, ended_at = excluded.ended_at, session_seq = excluded.session_seq
            where recording_sessions.session_seq < excluded.session_seq
            returning session_id""";

    private static final String UPSERT_PARTICIPANT = """
            insert into recording_participants (session_id, user_id, role, removed, participant_seq)
            select $1, $2, $3, $4, $5 where exists (select 1 from recording_sessions where session_id = $1)
            on conflict (session_id, user_id) do update set role = excluded.role,
                removed = recording_participants.removed or excluded.removed,
                participant_seq = excluded.participant_seq
            where recording_participants.participant_seq < excluded.participant_seq""";

    private final Pool pool;

    public SessionRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Stores the snapshot unless a newer one is stored; true when it was applied. */
    public Uni<Boolean> apply(SqlClient tx, SessionSnapshot s, String status, long seq) {
        Tuple row = Tuple.tuple().addUUID(UUID.fromString(s.id())).addString(s.slug()).addString(s.title())
                .addString(s.hostId()).addString(name(s.kind())).addString(name(s.visibility())).addString(status)
                .addBoolean(s.settings() != null && s.settings().recordingEnabled())
                .addOffsetDateTime(utc(s.startedAt())).addOffsetDateTime(utc(s.endedAt())).addLong(seq)
                .addBoolean(s.settings() != null && s.settings().speakerTracks())
                .addString(s.description());
        return tx.preparedQuery(UPSERT_SESSION).execute(row).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> applyParticipant(SqlClient tx, UUID session, ParticipantSnapshot p, boolean removed, long seq) {
        return tx.preparedQuery(UPSERT_PARTICIPANT)
                .execute(Tuple.of(session, p.userId(), p.role() == null ? "VIEWER" : p.role().name(), removed, seq))
                .replaceWithVoid();
    }

    /** The session by id or slug, or null. */
    public Uni<SessionInfo> find(String ref) {
        boolean byId = UUID_TEXT.matcher(ref).matches();
        return pool.preparedQuery("select " + COLUMNS + " from recording_sessions where "
                + (byId ? "session_id = $1" : "slug = $1")).execute(Tuple.of(byId ? UUID.fromString(ref) : ref))
                .map(rows -> rows.iterator().hasNext() ? session(rows.iterator().next()) : null);
    }

    /** The session, its row locked until {@code tx} ends (orders a session's recording decisions), or null. */
    public Uni<SessionInfo> lock(SqlClient tx, UUID id) {
        return tx.preparedQuery("select " + COLUMNS + " from recording_sessions where session_id = $1 for update")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext() ? session(rows.iterator().next()) : null);
    }

    /** The participant {@code userId} of the session, or null. */
    public Uni<Member> member(UUID session, String userId) {
        return pool.preparedQuery("select user_id, role, removed from recording_participants "
                + "where session_id = $1 and user_id = $2").execute(Tuple.of(session, userId)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Member(r.getString("user_id"), r.getString("role"), r.getBoolean("removed"));
                });
    }

    /** The session's next recording event sequence (ce_sequence on livestage.recording), in {@code tx}. */
    public Uni<Long> nextSequence(SqlClient tx, UUID session) {
        return tx.preparedQuery("update recording_sessions set last_seq = last_seq + 1 where session_id = $1 "
                + "returning last_seq").execute(Tuple.of(session)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static SessionInfo session(Row r) {
        return new SessionInfo(r.getUUID("session_id"), r.getString("slug"), r.getString("title"),
                r.getString("host_id"), r.getString("kind"), r.getString("visibility"), r.getString("status"),
                r.getBoolean("recording_enabled"), r.getBoolean("speaker_tracks"));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
