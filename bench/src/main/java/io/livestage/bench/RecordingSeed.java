package io.livestage.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The rows the feed and range parts of {@code ./bench/run recording} insert straight into recording-service's database
 * (its own tables, plain SQL, no service code): kept in this one class so that a change of those tables is adjusted
 * here only.
 */
final class RecordingSeed {
    private RecordingSeed() {
    }

    /** A session row of the service's projection, as session.created/started would leave it (PUBLIC, ENDED). */
    static UUID session(Connection db, String hostId, String title) throws SQLException {
        UUID session = UUID.randomUUID();
        try (PreparedStatement insert = db.prepareStatement("""
                insert into recording_sessions (session_id, slug, title, host_id, kind, visibility, status,
                    recording_enabled, started_at, ended_at, session_seq)
                values (?, ?, ?, ?, 'AUDIO', 'PUBLIC', 'ENDED', true, ?, ?, 1)""")) {
            Instant now = Instant.now();
            insert.setObject(1, session);
            insert.setString(2, "b" + session.toString().replace("-", "").substring(0, 15));
            insert.setString(3, title);
            insert.setString(4, hostId);
            insert.setTimestamp(5, Timestamp.from(now.minus(1, ChronoUnit.HOURS)));
            insert.setTimestamp(6, Timestamp.from(now));
            insert.executeUpdate();
        }
        return session;
    }

    /** A MANUAL recording of {@code session}. */
    static UUID recording(Connection db, UUID session, String hostId) throws SQLException {
        UUID recording = UUID.randomUUID();
        try (PreparedStatement insert = db.prepareStatement("""
                insert into recordings (recording_id, session_id, trigger, requested_by, requested_at)
                values (?, ?, 'MANUAL', ?, ?)""")) {
            insert.setObject(1, recording);
            insert.setObject(2, session);
            insert.setString(3, hostId);
            insert.setTimestamp(4, Timestamp.from(Instant.now().minus(1, ChronoUnit.HOURS)));
            insert.executeUpdate();
        }
        return recording;
    }

    /**
     * The recording's MP3 output, COMPLETE, its file at {@code location} (the path egress reports: {@code
     * /out/<session>/<recording>-<name>.mp3}) of {@code bytes} bytes, as the egress_ended webhook leaves it.
     */
    static void completedMp3(Connection db, UUID recording, String location, long bytes, long durationMs)
            throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                insert into recording_outputs (recording_id, format, status, egress_id, attempts, next_action_at,
                    egress_started_at, started_at, ended_at, location, size_bytes, duration_ms, updated_at)
                values (?, 'MP3', 'COMPLETE', ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            Instant end = Instant.now();
            Instant start = end.minusMillis(durationMs);
            insert.setObject(1, recording);
            insert.setString(2, "EG_bench_" + recording.toString().replace("-", ""));
            insert.setTimestamp(3, Timestamp.from(end));
            insert.setTimestamp(4, Timestamp.from(start));
            insert.setTimestamp(5, Timestamp.from(start));
            insert.setTimestamp(6, Timestamp.from(end));
            insert.setString(7, location);
            insert.setLong(8, bytes);
            insert.setLong(9, durationMs);
            insert.setTimestamp(10, Timestamp.from(end));
            insert.executeUpdate();
        }
    }

    /** Whether the database has the podcast library's {@code episodes} table. */
    static boolean hasEpisodes(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("select to_regclass('public.episodes') is not null");
                ResultSet rows = query.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /**
     * {@code count} PUBLISHED, PUBLIC MP3 episodes of {@code hostId}, each of its own recording of one session,
     * published one hour apart (newest now), with a title and a description of realistic length; one transaction.
     */
    static void publishedEpisodes(Connection db, String hostId, int count) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            UUID session = session(db, hostId, "Bench podcast sessions");
            String sql = "insert into episodes (episode_id, recording_id, session_id, host_id, status, title, "
                    + "description, tags, explicit, episode_type, visibility, media_format, media_location, "
                    + "media_bytes, duration_ms, created_at, updated_at, published_at, recorded_from, recorded_to) "
                    + "values (?, ?, ?, ?, 'PUBLISHED', ?, ?, ?, false, 'full', 'PUBLIC', 'MP3', ?, ?, ?, ?, ?, ?, ?, ?)";
            Instant now = Instant.now();
            try (PreparedStatement insert = db.prepareStatement(sql)) {
                for (int i = 0; i < count; i++) {
                    UUID recording = recording(db, session, hostId);
                    Instant published = now.minus((long) (count - 1 - i), ChronoUnit.HOURS);
                    long durationMs = 1_800_000L + i * 1_000L;
                    int p = 1;
                    insert.setObject(p++, UUID.randomUUID());
                    insert.setObject(p++, recording);
                    insert.setObject(p++, session);
                    insert.setString(p++, hostId);
                    insert.setString(p++, "Episode " + (i + 1) + ": a conversation recorded on livestage");
                    insert.setString(p++, ("Episode " + (i + 1) + " of the bench podcast. ").repeat(6)
                            + "Recorded live with guests from the audience, edited by the host.");
                    insert.setArray(p++, db.createArrayOf("text", new String[] { "bench", "live" }));
                    insert.setString(p++, "/out/" + session + "/" + recording + "-episode.mp3");
                    insert.setLong(p++, durationMs * 16); // 128 kbps
                    insert.setLong(p++, durationMs);
                    insert.setTimestamp(p++, Timestamp.from(published.minus(1, ChronoUnit.HOURS)));
                    insert.setTimestamp(p++, Timestamp.from(published));
                    insert.setTimestamp(p++, Timestamp.from(published));
                    insert.setTimestamp(p++, Timestamp.from(published.minusMillis(durationMs + 60_000)));
                    insert.setTimestamp(p, Timestamp.from(published.minusMillis(60_000)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }
}
