package io.livestage.recording.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.model.Notification;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** Users' notifications: written in the transaction of the event they announce, read and marked read by their user. */
@ApplicationScoped
public class NotificationRepository {
    /**
     * One row for the session's host and one for whoever asked for the recording (when someone else), with the
     * session's title between {@code $5} and {@code $6}; {@code once} skips users already told this kind about this
     * recording (a recording's outputs each start, but "recording started" is said once).
     */
    private static final String NOTIFY = """
            insert into notifications (notification_id, user_id, kind, session_id, recording_id, episode_id, text,
                link, created_at)
            select gen_random_uuid(), u.user_id, $2::varchar, s.session_id, $3::uuid, $4::uuid,
                left(coalesce($10::varchar, $5::varchar || s.title || $6::varchar), 500), $7::varchar, $8::timestamptz
            from recording_sessions s
            cross join lateral (select s.host_id as user_id
                                union
                                select r.requested_by from recordings r
                                where r.recording_id = $3::uuid and r.requested_by is not null) u
            where s.session_id = $1::uuid
              and not ($9::boolean and exists (select 1 from notifications n where n.recording_id = $3::uuid
                                               and n.kind = $2::varchar and n.user_id = u.user_id))""";

    private static final String COLUMNS =
            "notification_id, kind, session_id, recording_id, episode_id, text, link, created_at, read_at";

    private final Pool pool;

    public NotificationRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * What one event tells the session's host (and the recording's requester): {@code text}, or when it is null
     * {@code prefix + the session's title + suffix}.
     */
    public record Draft(UUID sessionId, String kind, UUID recordingId, UUID episodeId, String prefix, String suffix,
            String text, String link, boolean once) {
    }

    public Uni<Void> notify(SqlClient tx, Draft d, Instant now) {
        return tx.preparedQuery(NOTIFY).execute(Tuple.tuple().addUUID(d.sessionId()).addString(d.kind())
                .addUUID(d.recordingId()).addUUID(d.episodeId()).addString(clip(d.prefix(), 200))
                .addString(clip(d.suffix(), 290)).addString(d.link()).addOffsetDateTime(utc(now))
                .addBoolean(d.once()).addString(d.text() == null ? null : clip(d.text(), 500))).replaceWithVoid();
    }

    /** {@code user}'s newest notifications, at most {@code limit}; only unread ones when {@code unreadOnly}. */
    public Uni<List<Notification>> list(String user, boolean unreadOnly, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from notifications where user_id = $1"
                + (unreadOnly ? " and read_at is null" : "") + " order by created_at desc, notification_id limit $2")
                .execute(Tuple.of(user, limit)).map(rows -> {
                    List<Notification> out = new ArrayList<>();
                    rows.forEach(row -> out.add(notification(row)));
                    return out;
                });
    }

    public Uni<Long> unread(String user) {
        return pool.preparedQuery("select count(*) from notifications where user_id = $1 and read_at is null")
                .execute(Tuple.of(user)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Marks one of {@code user}'s notifications read; false when {@code user} has no such notification. */
    public Uni<Boolean> markRead(String user, UUID id, Instant now) {
        return pool.preparedQuery("update notifications set read_at = coalesce(read_at, $3) "
                + "where user_id = $1 and notification_id = $2")
                .execute(Tuple.of(user, id, utc(now))).map(rows -> rows.rowCount() == 1);
    }

    /** Marks all of {@code user}'s notifications read; how many were unread. */
    public Uni<Integer> markAllRead(String user, Instant now) {
        return pool.preparedQuery("update notifications set read_at = $2 where user_id = $1 and read_at is null")
                .execute(Tuple.of(user, utc(now))).map(rows -> rows.rowCount());
    }

    private static Notification notification(Row row) {
        return new Notification(row.getUUID("notification_id"), row.getString("kind"), row.getUUID("session_id"),
                row.getUUID("recording_id"), row.getUUID("episode_id"), row.getString("text"), row.getString("link"),
                instant(row, "created_at"), instant(row, "read_at"));
    }
}
