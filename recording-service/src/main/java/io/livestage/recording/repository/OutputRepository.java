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
import io.livestage.recording.model.OutputState;
import io.livestage.recording.model.OutputStatus;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/**
 * The outputs as the egress driver, the status changes and the reconcile loop use them: claiming what is due (with a
 * lease, so replicas never work on the same output at once), recording call outcomes, changing a status under the
 * row lock.
 */
@ApplicationScoped
public class OutputRepository {

    /** An output the driver has to act on: start it (PENDING) or stop it (stop requested). */
    public record Due(UUID recordingId, UUID sessionId, RecordingFormat format, OutputStatus status, String egressId,
            int attempts, boolean unfinishedStart, boolean stopRequested) {
    }

    /** An output LiveKit is working on, for the reconcile loop. */
    public record Live(UUID recordingId, UUID sessionId, RecordingFormat format, OutputStatus status, String egressId,
            Instant egressStartedAt, Instant stopSentAt, boolean stopRequested, String sessionStatus) {
    }

    private static final String CLAIM = """
            with due as (
                select o.recording_id, o.format, o.start_in_flight as unfinished
                from recording_outputs o join recordings r on r.recording_id = o.recording_id
                where o.next_action_at <= $1 and (o.status = 'PENDING' or (r.stop_requested_at is not null
                    and o.status in ('STARTING', 'ACTIVE') and o.egress_id is not null and o.stop_sent_at is null))
                order by o.next_action_at
                limit $3
                for update of o skip locked)
            update recording_outputs o set attempts = o.attempts + 1, next_action_at = $2,
                start_in_flight = o.start_in_flight or o.status = 'PENDING'
            from due, recordings r
            where o.recording_id = due.recording_id and o.format = due.format and r.recording_id = o.recording_id
            returning o.recording_id, r.session_id, o.format, o.status, o.egress_id, o.attempts, due.unfinished,
                r.stop_requested_at is not null as stop_requested""";

    private static final String STATE = """
            select o.recording_id, r.session_id, o.format, r.trigger, o.status, o.egress_id, o.failure_reason,
                r.stop_reason
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
                due.add(new Due(r.getUUID("recording_id"), r.getUUID("session_id"),
                        RecordingFormat.valueOf(r.getString("format")), OutputStatus.valueOf(r.getString("status")),
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
    public Uni<Boolean> accepted(UUID recording, RecordingFormat format, String egressId, Instant now) {
        return pool.preparedQuery("""
                update recording_outputs set status = 'STARTING', egress_id = $3, egress_started_at = $4,
                    start_in_flight = false, next_action_at = $4, last_error = null, updated_at = $4
                where recording_id = $1 and format = $2 and status = 'PENDING'""")
                .execute(Tuple.of(recording, format.name(), egressId, utc(now))).map(rows -> rows.rowCount() == 1);
    }

    /**
     * The attempt did not succeed (the room does not exist yet, LiveKit unreachable): try again at {@code at}.
     * {@code outcomeUnknown}: a start may have reached LiveKit (a timeout), so the next attempt looks for it first.
     */
    public Uni<Void> retryAt(UUID recording, RecordingFormat format, Instant at, String error, boolean outcomeUnknown) {
        return pool.preparedQuery("update recording_outputs set start_in_flight = $5 and status = 'PENDING', "
                + "next_action_at = $3, last_error = $4 where recording_id = $1 and format = $2")
                .execute(Tuple.of(recording, format.name(), utc(at), clip(error, 500), outcomeUnknown))
                .replaceWithVoid();
    }

    /** LiveKit took the stop (or said there is nothing to stop); {@code note} is kept as the last error, if any. */
    public Uni<Void> stopSent(UUID recording, RecordingFormat format, Instant now, String note) {
        return pool.preparedQuery("update recording_outputs set stop_sent_at = $3, last_error = coalesce($4, "
                + "last_error) where recording_id = $1 and format = $2")
                .execute(Tuple.of(recording, format.name(), utc(now), clip(note, 500))).replaceWithVoid();
    }

    /** The stop sent earlier did not end the egress: send it again. */
    public Uni<Void> resendStop(UUID recording, RecordingFormat format, Instant now) {
        return pool.preparedQuery("update recording_outputs set stop_sent_at = null, next_action_at = $3 "
                + "where recording_id = $1 and format = $2")
                .execute(Tuple.of(recording, format.name(), utc(now))).replaceWithVoid();
    }

    /** The output of an egress, locked until {@code tx} ends, or null when no output has that egress. */
    public Uni<OutputState> lockByEgress(SqlClient tx, String egressId) {
        return tx.preparedQuery(STATE + " where o.egress_id = $1 for update of o").execute(Tuple.of(egressId))
                .map(OutputRepository::state);
    }

    /** The output, locked until {@code tx} ends, or null. */
    public Uni<OutputState> lock(SqlClient tx, UUID recording, RecordingFormat format) {
        return tx.preparedQuery(STATE + " where o.recording_id = $1 and o.format = $2 for update of o")
                .execute(Tuple.of(recording, format.name())).map(OutputRepository::state);
    }

    /** Writes a status change (under the lock of {@link #lock} or {@link #lockByEgress}). */
    public Uni<Void> apply(SqlClient tx, UUID recording, RecordingFormat format, OutputChange change, Instant now) {
        Tuple row = Tuple.tuple().addUUID(recording).addString(format.name()).addString(change.status().name())
                .addString(change.egressId()).addOffsetDateTime(utc(change.startedAt()))
                .addOffsetDateTime(utc(change.endedAt())).addString(clip(change.location(), 1000))
                .addLong(change.sizeBytes()).addLong(change.durationMillis())
                .addString(clip(change.failureReason(), 500)).addOffsetDateTime(utc(now))
                .addOffsetDateTime(change.egressId() == null ? null : utc(now));
        return tx.preparedQuery("""
                update recording_outputs set status = $3, egress_id = coalesce($4, egress_id),
                    egress_started_at = coalesce(egress_started_at, $12),
                    started_at = coalesce($5, started_at), ended_at = coalesce($6, ended_at),
                    location = coalesce($7, location), size_bytes = coalesce($8, size_bytes),
                    duration_ms = coalesce($9, duration_ms), failure_reason = coalesce($10, failure_reason),
                    start_in_flight = false, next_action_at = $11, updated_at = $11
                where recording_id = $1 and format = $2""").execute(row).replaceWithVoid();
    }

    /** Outputs LiveKit is working on (STARTING, ACTIVE, ENDING), least recently updated first. */
    public Uni<List<Live>> live(int limit) {
        return pool.preparedQuery("""
                select o.recording_id, r.session_id, o.format, o.status, o.egress_id, o.egress_started_at,
                    o.stop_sent_at, r.stop_requested_at is not null as stop_requested, s.status as session_status
                from recording_outputs o join recordings r on r.recording_id = o.recording_id
                    join recording_sessions s on s.session_id = r.session_id
                where o.status in ('STARTING', 'ACTIVE', 'ENDING') and o.egress_id is not null
                order by o.updated_at limit $1""").execute(Tuple.of(limit)).map(rows -> {
                    List<Live> live = new ArrayList<>();
                    for (Row r : rows) {
                        live.add(new Live(r.getUUID("recording_id"), r.getUUID("session_id"),
                                RecordingFormat.valueOf(r.getString("format")),
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
        return new OutputState(r.getUUID("recording_id"), r.getUUID("session_id"),
                RecordingFormat.valueOf(r.getString("format")), RecordingTrigger.valueOf(r.getString("trigger")),
                OutputStatus.valueOf(r.getString("status")), r.getString("egress_id"), r.getString("failure_reason"),
                r.getString("stop_reason"));
    }
}
