package io.livestage.recording.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.model.Output;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.model.Recording;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** Recordings as intents and as clients read them: a recording and its outputs, start and stop requests. */
@ApplicationScoped
public class RecordingRepository {
    private static final String SELECT = """
            select r.recording_id, r.session_id, r.trigger, r.requested_by, r.requested_at, r.stop_requested_at,
                r.stop_reason, o.format, o.status, o.egress_id, o.attempts, o.last_error, o.started_at, o.ended_at,
                o.location, o.size_bytes, o.duration_ms, o.failure_reason
            from recordings r join recording_outputs o on o.recording_id = r.recording_id
            """;

    /**
     * Records the intent: a recording with a PENDING output per format, due at once. An AUTO recording is written once
     * per session (a redelivered session.started finds it); returns false then.
     */
    public Uni<Boolean> insert(SqlClient tx, UUID id, UUID session, RecordingTrigger trigger, String requestedBy,
            List<RecordingFormat> formats, Instant now) {
        return tx.preparedQuery("insert into recordings (recording_id, session_id, trigger, requested_by, requested_at) "
                + "values ($1, $2, $3, $4, $5) on conflict do nothing returning recording_id")
                .execute(Tuple.of(id, session, trigger.name(), requestedBy, utc(now)))
                .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery("insert into recording_outputs (recording_id, format, status, "
                                + "next_action_at, updated_at) select $1, f, 'PENDING', $2, $2 from unnest($3::text[]) f")
                                .execute(Tuple.of(id, utc(now), formats.stream().map(Enum::name).toArray(String[]::new)))
                                .replaceWith(true));
    }

    /** Asks every live recording of the session ({@code recording} null) or one recording to stop; how many did. */
    public Uni<Integer> requestStop(SqlClient tx, UUID session, UUID recording, String reason, Instant now) {
        // the outputs still to end become due for the driver at once, except one whose start is in flight: it keeps
        // its lease, and the driver's answer to that start makes it due; the count is of recordings asked to stop
        String sql = """
                with stopped as (
                    update recordings set stop_requested_at = $2, stop_reason = $3
                    where session_id = $1 and stop_requested_at is null and ($4::uuid is null or recording_id = $4)
                    returning recording_id),
                due as (
                    update recording_outputs set next_action_at = $2
                    where recording_id in (select recording_id from stopped)
                        and status in ('PENDING', 'STARTING', 'ACTIVE') and not start_in_flight)
                select count(*) from stopped""";
        return tx.preparedQuery(sql).execute(Tuple.of(session, utc(now), clip(reason, 200), recording))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    /** The session's recordings, newest first. */
    public Uni<List<Recording>> list(SqlClient client, UUID session) {
        return client.preparedQuery(SELECT + " where r.session_id = $1 order by r.requested_at desc, o.format")
                .execute(Tuple.of(session)).map(RecordingRepository::recordings);
    }

    /** A recording of the session, or null. */
    public Uni<Recording> find(SqlClient client, UUID session, UUID recording) {
        return client.preparedQuery(SELECT + " where r.session_id = $1 and r.recording_id = $2 order by o.format")
                .execute(Tuple.of(session, recording)).map(rows -> {
                    List<Recording> found = recordings(rows);
                    return found.isEmpty() ? null : found.get(0);
                });
    }

    private static List<Recording> recordings(Iterable<Row> rows) {
        Map<UUID, Recording> byId = new LinkedHashMap<>();
        Map<UUID, List<Output>> outputs = new LinkedHashMap<>();
        for (Row r : rows) {
            UUID id = r.getUUID("recording_id");
            byId.computeIfAbsent(id, ignored -> new Recording(id, r.getUUID("session_id"),
                    RecordingTrigger.valueOf(r.getString("trigger")), r.getString("requested_by"),
                    instant(r, "requested_at"), instant(r, "stop_requested_at"), r.getString("stop_reason"),
                    List.of()));
            outputs.computeIfAbsent(id, ignored -> new ArrayList<>()).add(new Output(
                    RecordingFormat.valueOf(r.getString("format")), OutputStatus.valueOf(r.getString("status")),
                    r.getString("egress_id"), r.getInteger("attempts"), r.getString("last_error"),
                    instant(r, "started_at"), instant(r, "ended_at"), r.getString("location"),
                    r.getLong("size_bytes"), r.getLong("duration_ms"), r.getString("failure_reason")));
        }
        List<Recording> result = new ArrayList<>();
        byId.forEach((id, rec) -> result.add(new Recording(rec.id(), rec.sessionId(), rec.trigger(),
                rec.requestedBy(), rec.requestedAt(), rec.stopRequestedAt(), rec.stopReason(),
                List.copyOf(outputs.get(id)))));
        return result;
    }
}
