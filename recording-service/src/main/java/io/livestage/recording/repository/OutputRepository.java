package io.livestage.recording.repository;

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

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.model.OutputChange;
import io.livestage.recording.model.OutputKey;
import io.livestage.recording.model.OutputState;
import io.livestage.recording.model.OutputStatus;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/**
 * The outputs as the egress driver, the status changes and the reconcile loop use them: claiming what is due (with a
 * lease, so replicas never work on the same output at once), recording call outcomes, changing a status under the
 * row lock. An output is named by its {@link OutputKey}: a composite format or a speaker track.
 */
@ApplicationScoped
public class OutputRepository {

    /**
     * An output the driver has to act on: start it (PENDING) or stop it (its recording or, for a speaker track, the
     * track itself asked to stop).
     */
    public record Due(OutputKey key, UUID sessionId, OutputStatus status, String egressId, int attempts,
            boolean unfinishedStart, boolean stopRequested) {
        public UUID recordingId() {
            return key.recordingId();
        }

        public RecordingFormat format() {
            return key.format();
        }
    }

    /** An output LiveKit is working on, for the reconcile loop. */
    public record Live(OutputKey key, UUID sessionId, OutputStatus status, String egressId, Instant egressStartedAt,
            Instant stopSentAt, boolean stopRequested, String sessionStatus) {
        public UUID recordingId() {
            return key.recordingId();
        }
    }

    private static final String KEY = "recording_id = $1 and format = $2 and track_sid = $3";

    private static final String CLAIM = """
            with due as (
                select o.recording_id, o.format, o.track_sid, o.start_in_flight as unfinished
                from recording_outputs o join recordings r on r.recording_id = o.recording_id
                where o.next_action_at <= $1 and (o.status = 'PENDING' or ((r.stop_requested_at is not null
                        or o.stop_requested_at is not null)
                    and o.status in ('STARTING', 'ACTIVE') and o.egress_id is not null and o.stop_sent_at is null))
                order by o.next_action_at
                limit $3
                for update of o skip locked)
            update recording_outputs o set attempts = o.attempts + 1, next_action_at = $2,
                start_in_flight = o.start_in_flight or o.status = 'PENDING'
            from due, recordings r
            where o.recording_id = due.recording_id and o.format = due.format and o.track_sid = due.track_sid
                and r.recording_id = o.recording_id
            returning o.recording_id, r.session_id, o.format, o.track_sid, o.status, o.egress_id, o.attempts,
                due.unfinished, r.stop_requested_at is not null or o.stop_requested_at is not null as stop_requested""";

    private static final String STATE = """
            select o.recording_id, r.session_id, o.format, o.track_sid, r.trigger, o.status, o.egress_id,
                o.failure_reason, coalesce(r.stop_reason, case when o.stop_requested_at is not null
                    then 'the speaker stopped publishing' end) as stop_reason
            from recording_outputs o join recordings r on r.recording_id = o.recording_id
            """;

    private final Pool pool;

    public OutputRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Claims up to {@code limit} outputs due at {@code now}, leased to the caller until {@code leaseUntil}. */
    public Uni<List<Due>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(rows -> {
            List<Due> due = new ArrayList<>();
            for (Row r : rows) {
                due.add(new Due(key(r), r.getUUID("session_id"), OutputStatus.valueOf(r.getString("status")),
                        r.getString("egress_id"), r.getInteger("attempts"), r.getBoolean("unfinished"),
                        r.getBoolean("stop_requested")));
            }
            return due;
        });
    }

    /**
     * LiveKit accepted the start: the output is STARTING with its egress and due at once (a stop may be waiting).
     * False when it is no longer PENDING (a webhook or the reconcile loop got there first).
     */
    public Uni<Boolean> accepted(OutputKey key, String egressId, Instant now) {
        return pool.preparedQuery("""
                update recording_outputs set status = 'STARTING', egress_id = $4, egress_started_at = $5,
                    start_in_flight = false, next_action_at = $5, last_error = null, updated_at = $5
                where""" + " " + KEY + " and status = 'PENDING'")
                .execute(key(key).addString(egressId).addOffsetDateTime(utc(now))).map(rows -> rows.rowCount() == 1);
    }

    /**
     * The attempt did not succeed (the room does not exist yet, LiveKit unreachable): try again at {@code at}.
     * {@code outcomeUnknown}: a start may have reached LiveKit (a timeout), so the next attempt looks for it first.
     */
    public Uni<Void> retryAt(OutputKey key, Instant at, String error, boolean outcomeUnknown) {
        return pool.preparedQuery("update recording_outputs set start_in_flight = $6 and status = 'PENDING', "
                + "next_action_at = $4, last_error = $5 where " + KEY)
                .execute(key(key).addOffsetDateTime(utc(at)).addString(clip(error, 500)).addBoolean(outcomeUnknown))
                .replaceWithVoid();
    }

    /** LiveKit took the stop (or said there is nothing to stop); {@code note} is kept as the last error, if any. */
    public Uni<Void> stopSent(OutputKey key, Instant now, String note) {
        return pool.preparedQuery("update recording_outputs set stop_sent_at = $4, last_error = coalesce($5, "
                + "last_error) where " + KEY)
                .execute(key(key).addOffsetDateTime(utc(now)).addString(clip(note, 500))).replaceWithVoid();
    }

    /** The stop sent earlier did not end the egress: send it again. */
    public Uni<Void> resendStop(OutputKey key, Instant now) {
        return pool.preparedQuery("update recording_outputs set stop_sent_at = null, next_action_at = $4 where " + KEY)
                .execute(key(key).addOffsetDateTime(utc(now))).replaceWithVoid();
    }

    /** The output of an egress, locked until {@code tx} ends, or null when no output has that egress. */
    public Uni<OutputState> lockByEgress(SqlClient tx, String egressId) {
        return tx.preparedQuery(STATE + " where o.egress_id = $1 for update of o").execute(Tuple.of(egressId))
                .map(OutputRepository::state);
    }

    /** The output, locked until {@code tx} ends, or null. */
    public Uni<OutputState> lock(SqlClient tx, OutputKey key) {
        return tx.preparedQuery(STATE + " where o.recording_id = $1 and o.format = $2 and o.track_sid = $3 "
                + "for update of o").execute(key(key)).map(OutputRepository::state);
    }

    /** Writes a status change (under the lock of {@link #lock} or {@link #lockByEgress}). */
    public Uni<Void> apply(SqlClient tx, OutputKey key, OutputChange change, Instant now) {
        Tuple row = key(key).addString(change.status().name())
                .addString(change.egressId()).addOffsetDateTime(utc(change.startedAt()))
                .addOffsetDateTime(utc(change.endedAt())).addString(clip(change.location(), 1000))
                .addLong(change.sizeBytes()).addLong(change.durationMillis())
                .addString(clip(change.failureReason(), 500)).addOffsetDateTime(utc(now))
                .addOffsetDateTime(change.egressId() == null ? null : utc(now));
        return tx.preparedQuery("""
                update recording_outputs set status = $4, egress_id = coalesce($5, egress_id),
                    egress_started_at = coalesce(egress_started_at, $13),
                    started_at = coalesce($6, started_at), ended_at = coalesce($7, ended_at),
                    location = coalesce($8, location), size_bytes = coalesce($9, size_bytes),
                    duration_ms = coalesce($10, duration_ms), failure_reason = coalesce($11, failure_reason),
                    start_in_flight = false, next_action_at = $12, updated_at = $12
                where""" + " " + KEY).execute(row).replaceWithVoid();
    }

    /** Outputs LiveKit is working on (STARTING, ACTIVE, ENDING), least recently updated first. */
    public Uni<List<Live>> live(int limit) {
        return pool.preparedQuery("""
                select o.recording_id, r.session_id, o.format, o.track_sid, o.status, o.egress_id, o.egress_started_at,
                    o.stop_sent_at, r.stop_requested_at is not null or o.stop_requested_at is not null
                        as stop_requested, s.status as session_status
                from recording_outputs o join recordings r on r.recording_id = o.recording_id
                    join recording_sessions s on s.session_id = r.session_id
                where o.status in ('STARTING', 'ACTIVE', 'ENDING') and o.egress_id is not null
                order by o.updated_at limit $1""").execute(Tuple.of(limit)).map(rows -> {
                    List<Live> live = new ArrayList<>();
                    for (Row r : rows) {
                        live.add(new Live(key(r), r.getUUID("session_id"),
                                OutputStatus.valueOf(r.getString("status")), r.getString("egress_id"),
                                instant(r, "egress_started_at"), instant(r, "stop_sent_at"),
                                r.getBoolean("stop_requested"), r.getString("session_status")));
                    }
                    return live;
                });
    }

    private static OutputState state(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row r = rows.iterator().next();
        return new OutputState(key(r), r.getUUID("session_id"), RecordingTrigger.valueOf(r.getString("trigger")),
                OutputStatus.valueOf(r.getString("status")), r.getString("egress_id"), r.getString("failure_reason"),
                r.getString("stop_reason"));
    }

    private static OutputKey key(Row r) {
        return OutputKey.of(r.getUUID("recording_id"), r.getString("format"), r.getString("track_sid"));
    }

    /** $1, $2, $3 of {@link #KEY}. */
    private static Tuple key(OutputKey key) {
        return Tuple.tuple().addUUID(key.recordingId()).addString(key.formatColumn()).addString(key.trackSidColumn());
    }
}
