package io.livestage.session.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.EventType;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.outbox.Outbox;
import io.livestage.session.Session;
import io.livestage.session.Settings;

/**
 * The hot paths of the sessions API on the reactive SQL client, without Hibernate: reading a session by id or slug,
 * a page of the list, inserting a new session with its {@code session.created} in one statement, and a change of a
 * session's own columns (start, cancel, edit) with its event under the row lock.
 *
 * <p>Measured (bench session-api, JFR): Hibernate Reactive's per-request work (session, persistence context,
 * entity snapshots, a CompletionStage per column of every row read, flush) was most of the service's CPU per
 * request. The sessions here are detached {@link Session} objects holding the values the entity would; what also
 * touches participants or stage requests (end, delete, joins) still goes through Hibernate
 * ({@link SessionRepository}), under the same row lock ({@code select … for update}) and the same {@code version}.
 */
@ApplicationScoped
public class SessionRows {
    /** Every column of {@code sessions}, in the order {@link #session(Row)} reads them. */
    static final String COLUMNS = "id, slug, title, description, host_id, space_id, kind, visibility, status, "
            + "scheduled_at, started_at, ended_at, created_at, updated_at, max_participants, allow_guests, "
            + "require_approval, max_guests, enable_chat, enable_reactions, guest_audio_default, guest_video_default, "
            + "recording_enabled, transcription_enabled, speaker_tracks, event_sequence, room_finished_at, version";
    private static final String BY_ID = "select " + COLUMNS + " from sessions where id = $1";
    private static final String BY_SLUG = "select " + COLUMNS + " from sessions where slug = $1";
    /** Returns the new row's sequence for the outbox append of the same statement ({@link Outbox#appendWithChange}). */
    private static final String INSERT = "insert into sessions (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, "
            + "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28) "
            + "returning event_sequence";
    private static final String SEQUENCE_OF_CHANGE = "select event_sequence as seq from change";
    private static final String LOCK = BY_ID + " for update";
    /** The columns a change of title, description, schedule, settings or status writes ({@link #changed}). */
    private static final String UPDATE = "update sessions set title = $2, description = $3, scheduled_at = $4, "
            + "status = $5, started_at = $6, ended_at = $7, updated_at = $8, max_participants = $9, allow_guests = $10, "
            + "require_approval = $11, max_guests = $12, enable_chat = $13, enable_reactions = $14, "
            + "guest_audio_default = $15, guest_video_default = $16, recording_enabled = $17, "
            + "transcription_enabled = $18, speaker_tracks = $19, event_sequence = $20, version = version + 1 "
            + "where id = $1 returning event_sequence";
    private static final String NEWEST_FIRST = " order by created_at desc, id desc limit ";

    private final Pool pool;
    private final Outbox outbox;

    public SessionRows(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    public Uni<Session> findById(UUID id) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(SessionRows::first);
    }

    public Uni<Session> findBySlug(String slug) {
        return pool.preparedQuery(BY_SLUG).execute(Tuple.of(slug)).map(SessionRows::first);
    }

    /**
     * Inserts {@code session} and appends its {@code session.created} in one statement (autocommit: both or neither),
     * then wakes the outbox relay. Fails with the database's unique violation when the slug is taken.
     */
    public Uni<Session> insertCreated(Session session) {
        Tuple params = Tuple.from(values(session));
        return outbox.appendWithChange(pool, INSERT, SEQUENCE_OF_CHANGE, params, EventType.SESSION_CREATED,
                session.id.toString(), session.createdAt, new SessionCreated(session.snapshot()))
                .map(appended -> {
                    if (!appended) {
                        throw new IllegalStateException("The insert of session " + session.id + " returned no row");
                    }
                    outbox.committed();
                    return session;
                });
    }

    /** The session's row locked for the rest of {@code transaction} (null when there is none). */
    public Uni<Session> lock(SqlClient transaction, UUID id) {
        return transaction.preparedQuery(LOCK).execute(Tuple.of(id)).map(SessionRows::first);
    }

    /**
     * Writes a session locked in {@code transaction} ({@link #lock}) after a change of its title, description,
     * schedule, settings or status, takes its next event sequence and appends {@code event} with it, in one statement.
     */
    public Uni<Session> changed(SqlClient transaction, Session s, Object event) {
        long sequence = s.nextEventSequence();
        Settings settings = s.settings;
        Tuple params = Tuple.from(Arrays.asList(s.id, s.title, s.description, utc(s.scheduledAt),
                s.status.name(), utc(s.startedAt), utc(s.endedAt), utc(s.updatedAt),
                settings.maxParticipants, settings.allowGuests, settings.requireApproval, settings.maxGuests,
                settings.enableChat, settings.enableReactions, settings.guestAudioDefault, settings.guestVideoDefault,
                settings.recordingEnabled, settings.transcriptionEnabled, settings.speakerTracks, sequence));
        return outbox.appendWithChange(transaction, UPDATE, SEQUENCE_OF_CHANGE, params,
                EventType.forPayload(event.getClass()), s.id.toString(), s.updatedAt, event)
                .map(appended -> {
                    if (!appended) {
                        throw new IllegalStateException("The update of session " + s.id + " returned no row");
                    }
                    s.version++;
                    return s;
                });
    }

    /**
     * One page, newest first, one row more than the page (so the caller knows whether another follows); the same
     * rows as {@link SessionRepository#page(SessionQuery)}. Others' sessions are seen only when PUBLIC, the viewer's
     * own always: "public or mine" is two index-backed selects merged by PostgreSQL in one statement (a plain OR would
     * sort every public row). The visibility constants are literals so that the partial indexes match in a generic
     * plan too.
     */
    public Uni<List<Session>> page(SessionQuery query) {
        int rows = query.limit() + 1;
        List<Object> params = new ArrayList<>();
        String sql;
        if (query.viewer() != null && query.hostId() == null && query.visibility() == null) {
            String publicOnes = select(query, "visibility = 'PUBLIC'", params, rows);
            String own = select(query, "host_id = " + param(params, query.viewer()) + " and visibility <> 'PUBLIC'",
                    params, rows);
            sql = "(" + publicOnes + ") union all (" + own + ")" + NEWEST_FIRST + param(params, rows);
        } else {
            StringBuilder where = new StringBuilder();
            if (query.hostId() != null) {
                where.append("host_id = ").append(param(params, query.hostId()));
                if (!query.hostId().equals(query.viewer())) {
                    where.append(" and visibility = 'PUBLIC'");
                }
            } else {
                where.append("visibility = 'PUBLIC'");
            }
            if (query.visibility() != null) {
                where.append(" and visibility = ").append(param(params, query.visibility().name()));
            }
            sql = select(query, where.toString(), params, rows);
        }
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(SessionRows::all);
    }

    private static String select(SessionQuery query, String where, List<Object> params, int rows) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from sessions where ").append(where);
        if (query.status() != null) {
            sql.append(" and status = ").append(param(params, query.status().name()));
        }
        if (query.spaceId() != null) {
            sql.append(" and space_id = ").append(param(params, query.spaceId()));
        }
        if (query.after() != null) {
            // (created_at, id) < (a, b): created_at < a, or the same instant and a smaller id
            sql.append(" and (created_at, id) < (").append(param(params, utc(query.after().createdAt()))).append(", ")
                    .append(param(params, query.after().id())).append(")");
        }
        return sql.append(NEWEST_FIRST).append(param(params, rows)).toString();
    }

    private static String param(List<Object> params, Object value) {
        params.add(value);
        return "$" + params.size();
    }

    private static Session first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? session(it.next()) : null;
    }

    private static List<Session> all(RowSet<Row> rows) {
        List<Session> sessions = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            sessions.add(session(row));
        }
        return sessions;
    }

    /** A detached session from a row of {@link #COLUMNS}. */
    static Session session(Row row) {
        Session s = new Session();
        s.id = row.getUUID(0);
        s.slug = row.getString(1);
        s.title = row.getString(2);
        s.description = row.getString(3);
        s.hostId = row.getString(4);
        s.spaceId = row.getString(5);
        s.kind = SessionKind.valueOf(row.getString(6));
        s.visibility = SessionVisibility.valueOf(row.getString(7));
        s.status = SessionStatus.valueOf(row.getString(8));
        s.scheduledAt = instant(row.getOffsetDateTime(9));
        s.startedAt = instant(row.getOffsetDateTime(10));
        s.endedAt = instant(row.getOffsetDateTime(11));
        s.createdAt = instant(row.getOffsetDateTime(12));
        s.updatedAt = instant(row.getOffsetDateTime(13));
        Settings settings = new Settings();
        settings.maxParticipants = row.getInteger(14);
        settings.allowGuests = row.getBoolean(15);
        settings.requireApproval = row.getBoolean(16);
        settings.maxGuests = row.getInteger(17);
        settings.enableChat = row.getBoolean(18);
        settings.enableReactions = row.getBoolean(19);
        settings.guestAudioDefault = row.getBoolean(20);
        settings.guestVideoDefault = row.getBoolean(21);
        settings.recordingEnabled = row.getBoolean(22);
        settings.transcriptionEnabled = row.getBoolean(23);
        settings.speakerTracks = row.getBoolean(24);
        s.settings = settings;
        s.eventSequence = row.getLong(25);
        s.roomFinishedAt = instant(row.getOffsetDateTime(26));
        s.version = row.getLong(27);
        return s;
    }

    /** {@link #COLUMNS} of {@code s}, in order, as the insert binds them. */
    private static List<Object> values(Session s) {
        Settings settings = s.settings;
        List<Object> values = new ArrayList<>(28);
        values.add(s.id);
        values.add(s.slug);
        values.add(s.title);
        values.add(s.description);
        values.add(s.hostId);
        values.add(s.spaceId);
        values.add(s.kind.name());
        values.add(s.visibility.name());
        values.add(s.status.name());
        values.add(utc(s.scheduledAt));
        values.add(utc(s.startedAt));
        values.add(utc(s.endedAt));
        values.add(utc(s.createdAt));
        values.add(utc(s.updatedAt));
        values.add(settings.maxParticipants);
        values.add(settings.allowGuests);
        values.add(settings.requireApproval);
        values.add(settings.maxGuests);
        values.add(settings.enableChat);
        values.add(settings.enableReactions);
        values.add(settings.guestAudioDefault);
        values.add(settings.guestVideoDefault);
        values.add(settings.recordingEnabled);
        values.add(settings.transcriptionEnabled);
        values.add(settings.speakerTracks);
        values.add(s.eventSequence);
        values.add(utc(s.roomFinishedAt));
        values.add(s.version);
        return values;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
