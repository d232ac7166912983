package io.livestage.recording.streaming.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.streaming.model.Quality;
import io.livestage.recording.streaming.model.Restream;
import io.livestage.recording.streaming.model.StreamRow;
import io.livestage.recording.streaming.model.TargetKind;
import io.livestage.recording.streaming.service.SecretBox.Sealed;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/**
 * A session's stream as stored (V6): its row (quality, stream egress, status version), its restreams, its OBS ingress
 * and the ingresses still to delete, and who is connected. Every change of what the stream status shows goes through
 * {@link #changed}, which bumps the session's version and notifies every replica ({@code pg_notify}) on commit.
 */
@ApplicationScoped
public class StreamRepository {
    /** The channel replicas LISTEN on; the payload is the session id. */
    public static final String CHANNEL = "livestage_stream";

    private static final String LIVE_BROADCAST = "('PENDING', 'STARTING', 'ACTIVE', 'ENDING')";

    private static final String STATUS = """
            select s.session_id, s.host_id, s.kind, s.visibility, s.status, s.started_at, s.ended_at,
                   coalesce(t.version, 0) as version, coalesce(t.quality, '720p') as quality,
                   coalesce(t.audio_bitrate_kbps, 128) as audio_bitrate_kbps, t.broadcast_status, t.last_error,
                   t.hls_started_at, t.hls_ended_at, coalesce(t.segment_count, 0) as segment_count,
                   i.ingress_id, i.state, i.error as ingress_error, i.video_bitrate, i.audio_bitrate, i.width, i.height,
                   i.framerate, i.started_at as ingress_started_at, coalesce(i.errors, 0) as ingress_errors,
                   (select count(*) from stream_audience a where a.session_id = s.session_id and a.left_at is null
                       and coalesce(a.role, 'VIEWER') not in ('GUEST', 'HOST', 'COHOST')) as viewers,
                   (select count(*) from stream_audience a where a.session_id = s.session_id and a.left_at is null
                       and a.role = 'GUEST') as guests,
                   exists (select 1 from recording_outputs o join recordings r on r.recording_id = o.recording_id
                           where r.session_id = s.session_id
                             and o.status in ('PENDING', 'STARTING', 'ACTIVE', 'ENDING')) as recording_finishing
            from recording_sessions s
            left join stream_sessions t on t.session_id = s.session_id
            left join stream_ingresses i on i.session_id = s.session_id
            where s.session_id = $1""";

    private static final String RESTREAM_COLUMNS = "session_id, target_id, target_name, target_kind, status, error, "
            + "retries, last_retry_at, started_at, redacted_url";

    private final Pool pool;

    public StreamRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    // ---- the status ----------------------------------------------------------------------------------------------

    /** Bumps the session's status version and tells every replica, when {@code tx} commits. */
    public Uni<Void> changed(SqlClient tx, UUID session, Instant now) {
        return tx.preparedQuery("""
                insert into stream_sessions (session_id, updated_at)
                select $1::uuid, $2 where exists (select 1 from recording_sessions where session_id = $1::uuid)
                on conflict (session_id) do update set version = stream_sessions.version + 1,
                    updated_at = excluded.updated_at""").execute(Tuple.of(session, utc(now)))
                .chain(() -> tx.preparedQuery("select pg_notify('" + CHANNEL + "', $1)")
                        .execute(Tuple.of(session.toString())))
                .replaceWithVoid();
    }

    /** The session's stream as the status shows it, or null when the session is unknown. */
    public Uni<StreamRow> status(UUID session) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(session)).chain(rows -> {
            if (!rows.iterator().hasNext()) {
                return Uni.createFrom().nullItem();
            }
            Row r = rows.iterator().next();
            return restreams(pool, session).map(restreams -> row(r, restreams));
        });
    }

    /** The status versions of sessions (those with subscribers), to catch a missed notification. */
    public Uni<List<long[]>> versions(List<UUID> sessions) {
        if (sessions.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("select session_id, version from stream_sessions where session_id = any($1)")
                .execute(Tuple.of(sessions.toArray(UUID[]::new))).map(rows -> {
                    List<long[]> out = new ArrayList<>();
                    for (Row r : rows) {
                        UUID id = r.getUUID(0);
                        out.add(new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits(), r.getLong(1)});
                    }
                    return out;
                });
    }

    // ---- quality and the stream egress ---------------------------------------------------------------------------

    public Uni<Void> setQuality(SqlClient tx, UUID session, Quality quality, int audioKbps, Instant now) {
        return tx.preparedQuery("""
                insert into stream_sessions (session_id, quality, audio_bitrate_kbps, updated_at) values ($1, $2, $3, $4)
                on conflict (session_id) do update set quality = excluded.quality,
                    audio_bitrate_kbps = excluded.audio_bitrate_kbps, updated_at = excluded.updated_at""")
                .execute(Tuple.of(session, quality.label(), audioKbps, utc(now))).replaceWithVoid();
    }

    /** The session's chosen quality (720p until the host chooses). */
    public Uni<Quality> quality(UUID session) {
        return pool.preparedQuery("select quality from stream_sessions where session_id = $1").execute(Tuple.of(session))
                .map(rows -> rows.iterator().hasNext()
                        ? Quality.parse(rows.iterator().next().getString(0)).orElse(Quality.P720) : Quality.P720);
    }

    /** The stream egress' status, the row locked until {@code tx} ends (null: never started). */
    public Uni<String> lockBroadcast(SqlClient tx, UUID session, Instant now) {
        return tx.preparedQuery("""
                insert into stream_sessions (session_id, updated_at) values ($1, $2) on conflict (session_id) do nothing""")
                .execute(Tuple.of(session, utc(now)))
                .chain(() -> tx.preparedQuery("select broadcast_status from stream_sessions where session_id = $1 "
                        + "for update").execute(Tuple.of(session)))
                .map(rows -> rows.iterator().next().getString(0));
    }

    /** Asks for a stream egress (the row must be locked and not running): PENDING, due now. */
    public Uni<Void> requestBroadcast(SqlClient tx, UUID session, String by, Instant now) {
        return tx.preparedQuery("""
                update stream_sessions set broadcast_status = 'PENDING', egress_id = null, requested_by = $2,
                    stop_requested_at = null, attempts = 0, next_action_at = $3, last_error = null,
                    hls_started_at = null, hls_ended_at = null, segment_count = 0, updated_at = $3
                where session_id = $1""").execute(Tuple.of(session, by, utc(now))).replaceWithVoid();
    }

    /** Asks a running stream egress to stop; true when one was running. */
    public Uni<Boolean> requestBroadcastStop(SqlClient tx, UUID session, Instant now) {
        return tx.preparedQuery("update stream_sessions set stop_requested_at = $2, next_action_at = $2, "
                + "updated_at = $2 where session_id = $1 and stop_requested_at is null and broadcast_status in "
                + LIVE_BROADCAST).execute(Tuple.of(session, utc(now))).map(rows -> rows.rowCount() > 0);
    }

    /** A stream egress start, stop or abort that is due, claimed until {@code leaseUntil}. */
    public record DueBroadcast(UUID sessionId, String status, String egressId, boolean stopRequested, int attempts,
            Quality quality, int audioKbps, boolean video) {
    }

    public Uni<List<DueBroadcast>> claimDueBroadcasts(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery("""
                update stream_sessions t set next_action_at = $2
                from (select session_id from stream_sessions where next_action_at <= $1
                      order by next_action_at limit $3 for update skip locked) d,
                     recording_sessions s
                where t.session_id = d.session_id and s.session_id = t.session_id
                returning t.session_id, t.broadcast_status, t.egress_id, t.stop_requested_at, t.attempts, t.quality,
                          t.audio_bitrate_kbps, s.kind""").execute(Tuple.of(utc(now), utc(leaseUntil), limit))
                .map(rows -> {
                    List<DueBroadcast> due = new ArrayList<>();
                    for (Row r : rows) {
                        due.add(new DueBroadcast(r.getUUID("session_id"), r.getString("broadcast_status"),
                                r.getString("egress_id"), r.getValue("stop_requested_at") != null,
                                r.getInteger("attempts"), Quality.parse(r.getString("quality")).orElse(Quality.P720),
                                r.getInteger("audio_bitrate_kbps"), "VIDEO".equals(r.getString("kind"))));
                    }
                    return due;
                });
    }

    /**
     * LiveKit accepted the start: STARTING with its egress; the restreams it carried are STARTING too, ones asked for
     * meanwhile are due to be added.
     */
    public Uni<Void> broadcastAccepted(SqlClient tx, UUID session, String egressId, List<UUID> carried, Instant now) {
        return tx.preparedQuery("""
                update stream_sessions set broadcast_status = 'STARTING', egress_id = $2, next_action_at = null,
                    last_error = null, updated_at = $3 where session_id = $1 and broadcast_status = 'PENDING'""")
                .execute(Tuple.of(session, egressId, utc(now)))
                .chain(() -> tx.preparedQuery("update stream_restreams set status = 'STARTING', next_action_at = null, "
                        + "updated_at = $3 where session_id = $1 and target_id = any($2) and status = 'PENDING'")
                        .execute(Tuple.of(session, carried.toArray(UUID[]::new), utc(now))))
                // asked for while the start was under way: added to the running egress now
                .chain(() -> tx.preparedQuery("update stream_restreams set next_action_at = $2 where session_id = $1 "
                        + "and status = 'PENDING' and next_action_at is null").execute(Tuple.of(session, utc(now))))
                .replaceWithVoid();
    }

    /** The start is tried again at {@code at} (the room does not exist yet, LiveKit unreachable). */
    public Uni<Void> broadcastRetry(UUID session, String error, Instant at) {
        return pool.preparedQuery("update stream_sessions set attempts = attempts + 1, last_error = $2, "
                + "next_action_at = $3 where session_id = $1").execute(Tuple.of(session, clip(error, 500), utc(at)))
                .replaceWithVoid();
    }

    /** Nothing more to do for now (a stop was sent; webhooks and the reconcile loop report the end). */
    public Uni<Void> broadcastIdle(UUID session) {
        return pool.preparedQuery("update stream_sessions set next_action_at = null where session_id = $1")
                .execute(Tuple.of(session)).replaceWithVoid();
    }

    /** The session of a stream egress report, and whether it changed the stored stream. */
    public record Applied(UUID session, boolean changed) {
    }

    private static final String RANK = "(case broadcast_status when 'PENDING' then 0 when 'STARTING' then 1 "
            + "when 'ACTIVE' then 2 when 'ENDING' then 3 else 4 end)";

    /**
     * Moves the stream egress {@code egressId} forward to {@code status} ({@code rank} orders statuses; a terminal
     * status ends its restreams); null when the egress is not a session stream's.
     */
    public Uni<Applied> applyBroadcast(SqlClient tx, String egressId, String status, int rank, Instant hlsStarted,
            Instant hlsEnded, long segments, String error, Instant now) {
        return tx.preparedQuery("""
                update stream_sessions set broadcast_status = case when $8 > %1$s then $2 else broadcast_status end,
                    hls_started_at = coalesce(hls_started_at, $3), hls_ended_at = coalesce(hls_ended_at, $4),
                    segment_count = greatest(segment_count, $5), last_error = coalesce($6, last_error),
                    next_action_at = case when $8 = 4 then null else next_action_at end, updated_at = $7
                where egress_id = $1 and ($8 > %1$s or segment_count < $5
                    or (hls_started_at is null and $3::timestamptz is not null)
                    or (hls_ended_at is null and $4::timestamptz is not null))
                returning session_id""".formatted(RANK)).execute(Tuple.tuple().addString(egressId).addString(status)
                .addOffsetDateTime(utc(hlsStarted)).addOffsetDateTime(utc(hlsEnded)).addLong(segments)
                .addString(clip(error, 500)).addOffsetDateTime(utc(now)).addInteger(rank))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return tx.preparedQuery("select session_id from stream_sessions where egress_id = $1")
                                .execute(Tuple.of(egressId)).map(found -> found.iterator().hasNext()
                                        ? new Applied(found.iterator().next().getUUID(0), false) : null);
                    }
                    UUID session = rows.iterator().next().getUUID(0);
                    if (rank < 4) {
                        return Uni.createFrom().item(new Applied(session, true));
                    }
                    return tx.preparedQuery("update stream_restreams set status = 'STOPPED', next_action_at = null, "
                            + "updated_at = $2 where session_id = $1 and status not in ('STOPPED', 'GAVE_UP')")
                            .execute(Tuple.of(session, utc(now))).replaceWith(new Applied(session, true));
                });
    }

    /** A stream egress that never started: aborted, its restreams stopped. */
    public Uni<Void> broadcastAborted(SqlClient tx, UUID session, Instant now) {
        return tx.preparedQuery("update stream_sessions set broadcast_status = 'ABORTED', next_action_at = null, "
                + "updated_at = $2 where session_id = $1 and broadcast_status = 'PENDING'")
                .execute(Tuple.of(session, utc(now)))
                .chain(() -> tx.preparedQuery("update stream_restreams set status = 'STOPPED', next_action_at = null, "
                        + "updated_at = $2 where session_id = $1 and status not in ('STOPPED', 'GAVE_UP')")
                        .execute(Tuple.of(session, utc(now))))
                .replaceWithVoid();
    }

    /** The stream egresses LiveKit may still be running (for the reconcile loop). */
    public Uni<List<String[]>> liveBroadcasts(int limit) {
        return pool.preparedQuery("select session_id, egress_id from stream_sessions where egress_id is not null "
                + "and broadcast_status in ('STARTING', 'ACTIVE', 'ENDING') order by updated_at limit $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<String[]> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new String[] {r.getUUID(0).toString(), r.getString(1)}));
                    return out;
                });
    }

    // ---- restreams -----------------------------------------------------------------------------------------------

    /** Restreams the target in the session from now (again, when it had stopped or given up); false when running. */
    public Uni<Boolean> startRestream(SqlClient tx, UUID session, UUID target, String name, TargetKind kind,
            Sealed url, String redacted, String by, boolean addNow, Instant now) {
        return tx.preparedQuery("""
                insert into stream_restreams (session_id, target_id, target_name, target_kind, key_id, output_url,
                    redacted_url, status, next_action_at, requested_by, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8, $9, $10)
                on conflict (session_id, target_id) do update set target_name = excluded.target_name,
                    target_kind = excluded.target_kind, key_id = excluded.key_id, output_url = excluded.output_url,
                    redacted_url = excluded.redacted_url, status = 'PENDING', error = null, retries = 0,
                    next_action_at = excluded.next_action_at, last_retry_at = null, started_at = null,
                    requested_by = excluded.requested_by, updated_at = excluded.updated_at
                where stream_restreams.status in ('STOPPED', 'GAVE_UP')""")
                .execute(Tuple.tuple().addUUID(session).addUUID(target).addString(name).addString(kind.name())
                        .addString(url.keyId()).addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(url.ciphertext()))
                        .addString(redacted).addOffsetDateTime(addNow ? utc(now) : null).addString(by)
                        .addOffsetDateTime(utc(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Stops restreaming the target: one LiveKit already has is removed (STOPPING, due now); one it never got is
     * STOPPED at once. Returns the status before, or null when it was not running.
     */
    public Uni<String> stopRestream(SqlClient tx, UUID session, UUID target, Instant now) {
        return tx.preparedQuery("""
                update stream_restreams r set status = case when r.status in ('STARTING', 'ACTIVE') then 'STOPPING'
                        else 'STOPPED' end,
                    next_action_at = case when r.status in ('STARTING', 'ACTIVE') then $3::timestamptz else null end,
                    updated_at = $3
                from (select status from stream_restreams where session_id = $1 and target_id = $2 for update) old
                where r.session_id = $1 and r.target_id = $2 and r.status in ('PENDING', 'STARTING', 'ACTIVE', 'FAILED')
                returning old.status""").execute(Tuple.of(session, target, utc(now)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    /** The session's restreams, oldest first. */
    public Uni<List<Restream>> restreams(SqlClient client, UUID session) {
        return client.preparedQuery("select " + RESTREAM_COLUMNS + " from stream_restreams where session_id = $1 "
                + "order by target_name, target_id").execute(Tuple.of(session)).map(StreamRepository::restreams);
    }

    /** The sealed URLs of the session's restreams, by target (to match LiveKit's redacted reports). */
    public Uni<java.util.Map<UUID, Sealed>> sealedUrls(SqlClient client, UUID session) {
        return client.preparedQuery("select target_id, key_id, output_url from stream_restreams where session_id = $1")
                .execute(Tuple.of(session)).map(rows -> {
                    java.util.Map<UUID, Sealed> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getUUID(0), new Sealed(r.getString(1), r.getBuffer(2).getBytes())));
                    return out;
                });
    }

    /** A restream whose URL is to be added or removed now, with its sealed URL and the session's stream egress. */
    public record DueRestream(UUID sessionId, UUID targetId, String name, String status, Sealed url, int retries,
            String egressId, String broadcastStatus) {
    }

    public Uni<List<DueRestream>> claimDueRestreams(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery("""
                update stream_restreams r set next_action_at = $2
                from (select session_id, target_id from stream_restreams where next_action_at <= $1
                      order by next_action_at limit $3 for update skip locked) d
                where r.session_id = d.session_id and r.target_id = d.target_id
                returning r.session_id, r.target_id, r.target_name, r.status, r.key_id, r.output_url, r.retries,
                    (select egress_id from stream_sessions t where t.session_id = r.session_id) as egress_id,
                    (select broadcast_status from stream_sessions t where t.session_id = r.session_id) as broadcast""")
                .execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
                    List<DueRestream> due = new ArrayList<>();
                    for (Row r : rows) {
                        due.add(new DueRestream(r.getUUID("session_id"), r.getUUID("target_id"),
                                r.getString("target_name"), r.getString("status"),
                                new Sealed(r.getString("key_id"), r.getBuffer("output_url").getBytes()),
                                r.getInteger("retries"), r.getString("egress_id"), r.getString("broadcast")));
                    }
                    return due;
                });
    }

    /** The sealed URLs of the session's restreams that a stream egress started now should carry. */
    public Uni<List<DueRestream>> pendingRestreams(UUID session) {
        return pool.preparedQuery("select session_id, target_id, target_name, status, key_id, output_url, retries "
                + "from stream_restreams where session_id = $1 and status = 'PENDING'").execute(Tuple.of(session))
                .map(rows -> {
                    List<DueRestream> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new DueRestream(r.getUUID("session_id"), r.getUUID("target_id"),
                                r.getString("target_name"), r.getString("status"),
                                new Sealed(r.getString("key_id"), r.getBuffer("output_url").getBytes()),
                                r.getInteger("retries"), null, null));
                    }
                    return out;
                });
    }

    /**
     * A restream's new status from recording-service's own calls ({@code nextActionAt} null: nothing due); a retry
     * counts when {@code retried}. Only moves a row that is still {@code expected}.
     */
    public Uni<Void> restreamSent(SqlClient tx, UUID session, UUID target, String expected, String status,
            Instant nextActionAt, boolean retried, String error, Instant now) {
        return tx.preparedQuery("""
                update stream_restreams set status = $4, next_action_at = $5,
                    retries = retries + case when $6 then 1 else 0 end,
                    last_retry_at = case when $6 then $8 else last_retry_at end,
                    error = coalesce($7, error), updated_at = $8
                where session_id = $1 and target_id = $2 and status = $3""")
                .execute(Tuple.tuple().addUUID(session).addUUID(target).addString(expected).addString(status)
                        .addOffsetDateTime(utc(nextActionAt)).addBoolean(retried).addString(clip(error, 500))
                        .addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    /** The lease of a restream ends at {@code at} (a failed call is tried again then). */
    public Uni<Void> restreamRetryAt(UUID session, UUID target, Instant at, String error) {
        return pool.preparedQuery("update stream_restreams set next_action_at = $3, error = coalesce($4, error) "
                + "where session_id = $1 and target_id = $2").execute(Tuple.of(session, target, utc(at),
                        clip(error, 500))).replaceWithVoid();
    }

    /** LiveKit's report of a restream: ACTIVE, or FAILED with its error and the time of the next attempt. */
    public Uni<Boolean> restreamReported(SqlClient tx, UUID session, UUID target, String status, String error,
            Instant startedAt, Instant nextActionAt, Instant now) {
        return tx.preparedQuery("""
                update stream_restreams set status = $3, error = case when $3 = 'ACTIVE' then null else $4 end,
                    started_at = coalesce(started_at, $5), next_action_at = $6, updated_at = $7
                where session_id = $1 and target_id = $2 and status in ('STARTING', 'ACTIVE')
                  and not (status = $3)""")
                .execute(Tuple.tuple().addUUID(session).addUUID(target).addString(status).addString(clip(error, 500))
                        .addOffsetDateTime(utc(startedAt)).addOffsetDateTime(utc(nextActionAt))
                        .addOffsetDateTime(utc(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    // ---- the OBS ingress -----------------------------------------------------------------------------------------

    /** The session's ingress with its sealed key: {@code [ingressId, url, state]} and the key, or null. */
    public record StoredIngress(String ingressId, String url, String state, Sealed streamKey, Instant createdAt) {
    }

    public Uni<StoredIngress> ingress(SqlClient client, UUID session, boolean lock) {
        return client.preparedQuery("select ingress_id, url, state, key_id, stream_key, created_at from stream_ingresses "
                + "where session_id = $1" + (lock ? " for update" : "")).execute(Tuple.of(session)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new StoredIngress(r.getString("ingress_id"), r.getString("url"), r.getString("state"),
                            new Sealed(r.getString("key_id"), r.getBuffer("stream_key").getBytes()),
                            instant(r, "created_at"));
                });
    }

    public Uni<Void> insertIngress(SqlClient tx, UUID session, String ingressId, String url, Sealed key, String by,
            Instant now) {
        return tx.preparedQuery("""
                insert into stream_ingresses (session_id, ingress_id, url, key_id, stream_key, created_by, created_at,
                    updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)""")
                .execute(Tuple.tuple().addUUID(session).addString(ingressId).addString(url).addString(key.keyId())
                        .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(key.ciphertext())).addString(by)
                        .addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    /** Forgets the session's ingress and queues its deletion at LiveKit; returns its id, or null when it had none. */
    public Uni<String> removeIngress(SqlClient tx, UUID session, Instant now) {
        return tx.preparedQuery("delete from stream_ingresses where session_id = $1 returning ingress_id")
                .execute(Tuple.of(session)).chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    String id = rows.iterator().next().getString(0);
                    return queueDeletion(tx, id, session, now).replaceWith(id);
                });
    }

    public Uni<Void> queueDeletion(SqlClient tx, String ingressId, UUID session, Instant now) {
        return tx.preparedQuery("insert into stream_ingress_deletions (ingress_id, session_id, next_attempt_at) "
                + "values ($1, $2, $3) on conflict (ingress_id) do nothing")
                .execute(Tuple.of(ingressId, session, utc(now))).replaceWithVoid();
    }

    /** Ingress deletions due, claimed until {@code leaseUntil}: {@code [ingressId, attempts]}. */
    public Uni<List<Object[]>> claimDueDeletions(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery("""
                update stream_ingress_deletions d set next_attempt_at = $2
                from (select ingress_id from stream_ingress_deletions where next_attempt_at <= $1
                      order by next_attempt_at limit $3 for update skip locked) due
                where d.ingress_id = due.ingress_id returning d.ingress_id, d.attempts""")
                .execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
                    List<Object[]> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Object[] {r.getString(0), r.getInteger(1)}));
                    return out;
                });
    }

    public Uni<Void> deletionDone(String ingressId) {
        return pool.preparedQuery("delete from stream_ingress_deletions where ingress_id = $1")
                .execute(Tuple.of(ingressId)).replaceWithVoid();
    }

    public Uni<Void> deletionRetry(String ingressId, String error, Instant at) {
        return pool.preparedQuery("update stream_ingress_deletions set attempts = attempts + 1, last_error = $2, "
                + "next_attempt_at = $3 where ingress_id = $1").execute(Tuple.of(ingressId, clip(error, 500), utc(at)))
                .replaceWithVoid();
    }

    /** LiveKit's report of the ingress: its state and what it receives; returns the session, or null if unknown. */
    public Uni<UUID> applyIngress(SqlClient tx, String ingressId, String state, String error, Long videoBitrate,
            Long audioBitrate, Integer width, Integer height, Double framerate, Instant startedAt, Instant now) {
        return tx.preparedQuery("""
                update stream_ingresses set state = $2, error = $3, video_bitrate = $4, audio_bitrate = $5,
                    width = $6, height = $7, framerate = $8, started_at = $9,
                    errors = errors + case when $2 = 'ENDPOINT_ERROR' and state <> 'ENDPOINT_ERROR' then 1 else 0 end,
                    updated_at = $10
                where ingress_id = $1 and (state is distinct from $2 or error is distinct from $3
                    or video_bitrate is distinct from $4 or audio_bitrate is distinct from $5)
                returning session_id""").execute(Tuple.tuple().addString(ingressId).addString(state)
                .addString(clip(error, 500)).addLong(videoBitrate).addLong(audioBitrate).addInteger(width)
                .addInteger(height).addDouble(framerate).addOffsetDateTime(utc(startedAt))
                .addOffsetDateTime(utc(now)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
    }

    /** Sessions with an ingress (for the reconcile loop): {@code [session id, ingress id]}. */
    public Uni<List<String[]>> ingresses(int limit) {
        return pool.preparedQuery("select session_id, ingress_id from stream_ingresses order by updated_at limit $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<String[]> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new String[] {r.getUUID(0).toString(), r.getString(1)}));
                    return out;
                });
    }

    // ---- who is connected ----------------------------------------------------------------------------------------

    /** A room-channel connection opened; true when it is new. */
    public Uni<Boolean> joined(SqlClient tx, UUID session, String connection, String role, Instant at) {
        return tx.preparedQuery("""
                insert into stream_audience (session_id, connection_id, role, joined_at)
                select $1, $2, $3, $4 where exists (select 1 from recording_sessions where session_id = $1)
                on conflict (session_id, connection_id) do nothing""")
                .execute(Tuple.of(session, connection, role, utc(at))).map(rows -> rows.rowCount() > 0);
    }

    /** A connection closed; true when it was open (a LEFT before its JOINED is kept, so the JOINED is ignored). */
    public Uni<Boolean> left(SqlClient tx, UUID session, String connection, String role, Instant at) {
        return tx.preparedQuery("""
                insert into stream_audience (session_id, connection_id, role, joined_at, left_at)
                select $1, $2, $3, $4, $4 where exists (select 1 from recording_sessions where session_id = $1)
                on conflict (session_id, connection_id) do update set left_at = excluded.left_at
                where stream_audience.left_at is null""")
                .execute(Tuple.of(session, connection, role, utc(at))).map(rows -> rows.rowCount() > 0);
    }

    /** A session's end forgets who was connected. */
    public Uni<Void> forgetAudience(SqlClient tx, UUID session) {
        return tx.preparedQuery("delete from stream_audience where session_id = $1").execute(Tuple.of(session))
                .replaceWithVoid();
    }

    // ---- rows ----------------------------------------------------------------------------------------------------

    private static List<Restream> restreams(RowSet<Row> rows) {
        List<Restream> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new Restream(r.getUUID("session_id"), r.getUUID("target_id"), r.getString("target_name"),
                    TargetKind.valueOf(r.getString("target_kind")), r.getString("status"), r.getString("error"),
                    r.getInteger("retries"), instant(r, "last_retry_at"), instant(r, "started_at"),
                    r.getString("redacted_url")));
        }
        return out;
    }

    private static StreamRow row(Row r, List<Restream> restreams) {
        StreamRow.Ingress ingress = r.getString("ingress_id") == null ? null
                : new StreamRow.Ingress(r.getString("ingress_id"), r.getString("state"), r.getString("ingress_error"),
                        r.getLong("video_bitrate"), r.getLong("audio_bitrate"), r.getInteger("width"),
                        r.getInteger("height"), r.getDouble("framerate"), instant(r, "ingress_started_at"),
                        r.getInteger("ingress_errors"));
        return new StreamRow(r.getUUID("session_id"), r.getString("host_id"), r.getString("kind"),
                r.getString("visibility"), r.getString("status"), instant(r, "started_at"), instant(r, "ended_at"),
                r.getLong("version"), Quality.parse(r.getString("quality")).orElse(Quality.P720),
                r.getInteger("audio_bitrate_kbps"), r.getString("broadcast_status"), r.getString("last_error"),
                instant(r, "hls_started_at"), instant(r, "hls_ended_at"), r.getLong("segment_count"), ingress,
                r.getLong("viewers"), r.getLong("guests"), r.getBoolean("recording_finishing"), restreams);
    }
}
