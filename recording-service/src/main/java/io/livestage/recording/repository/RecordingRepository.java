package io.livestage.recording.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.model.Output;
import io.livestage.recording.model.OutputKey;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.model.Recording;
import io.livestage.recording.model.Track;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/**
 * Recordings as intents and as clients read them: a recording, its outputs and speaker tracks, start and stop
 * requests, and the microphone tracks speakers are publishing (to record them when a recording starts).
 */
@ApplicationScoped
public class RecordingRepository {
    private static final String SELECT = """
            select r.recording_id, r.session_id, r.trigger, r.requested_by, r.requested_at, r.stop_requested_at,
                r.stop_reason, o.format, o.track_sid, o.participant_identity, o.participant_name, o.status,
                o.egress_id, o.attempts, o.last_error, o.started_at, o.ended_at, o.location, o.size_bytes,
                o.duration_ms, o.failure_reason
            from recordings r join recording_outputs o on o.recording_id = r.recording_id
            """;

    private static final String TRACK_OUTPUT = "insert into recording_outputs (recording_id, format, track_sid, "
            + "participant_identity, participant_name, status, next_action_at, updated_at) ";

    /**
     * Records the intent: a recording with a PENDING output per format, due at once, and, when the session has
     * {@code speakerTracks} on, a PENDING speaker track per microphone being published. An AUTO recording is written
     * once per session (a redelivered session.started finds it); returns false then.
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
                                .chain(() -> tx.preparedQuery(TRACK_OUTPUT + "select $1, '" + OutputKey.TRACK_FORMAT
                                        + "', m.track_sid, m.participant_identity, m.participant_name, 'PENDING', $2, $2 "
                                        + "from recording_mic_tracks m join recording_sessions s "
                                        + "on s.session_id = m.session_id where m.session_id = $3 and s.speaker_tracks")
                                        .execute(Tuple.of(id, utc(now), session)))
                                .replaceWith(true));
    }

    /** The session's recording that is neither stopping nor ended (a composite output still to end), if any. */
    public Uni<Optional<UUID>> live(SqlClient tx, UUID session) {
        return tx.preparedQuery("""
                select r.recording_id from recordings r
                where r.session_id = $1 and r.stop_requested_at is null and exists (select 1 from recording_outputs o
                    where o.recording_id = r.recording_id and o.track_sid = ''
                        and o.status in ('PENDING', 'STARTING', 'ACTIVE', 'ENDING'))
                order by r.requested_at desc limit 1""").execute(Tuple.of(session))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getUUID(0))
                        : Optional.empty());
    }

    /**
     * A speaker publishes microphone track {@code trackSid}: remembered while it is published, for recordings that
     * start later (also before the session is in the projection: its session.started may come after the webhook).
     */
    public Uni<Void> micPublished(SqlClient tx, UUID session, String trackSid, String identity, String name,
            Instant now) {
        return tx.preparedQuery("""
                insert into recording_mic_tracks (session_id, track_sid, participant_identity, participant_name,
                    published_at)
                values ($1, $2, $3, $4, $5) on conflict do nothing""")
                .execute(Tuple.of(session, clip(trackSid, 64), clip(identity, 255), clip(name, 200), utc(now)))
                .replaceWithVoid();
    }

    /**
     * The microphone track is no longer published, or ({@code trackSid} null) none of {@code identity}'s is, or (both
     * null, the session ended) none is.
     */
    public Uni<Void> micUnpublished(SqlClient tx, UUID session, String trackSid, String identity) {
        return tx.preparedQuery("delete from recording_mic_tracks where session_id = $1 and ($2::text is null "
                + "or track_sid = $2) and ($3::text is null or participant_identity = $3)")
                .execute(Tuple.of(session, trackSid, identity)).replaceWithVoid();
    }

    /** A PENDING speaker track of {@code recording}, due at once; false when the recording already has it. */
    public Uni<Boolean> insertTrack(SqlClient tx, UUID recording, String trackSid, String identity, String name,
            Instant now) {
        return tx.preparedQuery(TRACK_OUTPUT + "values ($1, '" + OutputKey.TRACK_FORMAT
                + "', $2, $3, $4, 'PENDING', $5, $5) on conflict do nothing")
                .execute(Tuple.of(recording, clip(trackSid, 64), clip(identity, 255), clip(name, 200), utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Asks the speaker tracks of the session's recordings to stop: track {@code trackSid}, or ({@code trackSid} null)
     * every track of {@code identity}. Due for the driver at once unless a start is in flight (its answer makes it
     * due); how many were asked.
     */
    public Uni<Integer> stopTracks(SqlClient tx, UUID session, String trackSid, String identity, Instant now) {
        return tx.preparedQuery("""
                update recording_outputs o set stop_requested_at = $4,
                    next_action_at = case when o.start_in_flight then o.next_action_at else $4 end
                from recordings r
                where r.recording_id = o.recording_id and r.session_id = $1 and o.format = 'OGG'
                    and ($2::text is null or o.track_sid = $2) and ($3::text is null or o.participant_identity = $3)
                    and o.stop_requested_at is null and o.status in ('PENDING', 'STARTING', 'ACTIVE')""")
                .execute(Tuple.of(session, trackSid, identity, utc(now))).map(rows -> rows.rowCount());
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
        return client.preparedQuery(SELECT + " where r.session_id = $1 order by r.requested_at desc, o.format, "
                + "o.participant_identity, o.track_sid")
                .execute(Tuple.of(session)).map(RecordingRepository::recordings);
    }

    /** A recording of the session, or null. */
    public Uni<Recording> find(SqlClient client, UUID session, UUID recording) {
        return client.preparedQuery(SELECT + " where r.session_id = $1 and r.recording_id = $2 order by o.format, "
                + "o.participant_identity, o.track_sid")
                .execute(Tuple.of(session, recording)).map(rows -> {
                    List<Recording> found = recordings(rows);
                    return found.isEmpty() ? null : found.get(0);
                });
    }

    private static List<Recording> recordings(Iterable<Row> rows) {
        Map<UUID, Recording> byId = new LinkedHashMap<>();
        Map<UUID, List<Output>> outputs = new LinkedHashMap<>();
        Map<UUID, List<Track>> tracks = new LinkedHashMap<>();
        for (Row r : rows) {
            UUID id = r.getUUID("recording_id");
            byId.computeIfAbsent(id, ignored -> new Recording(id, r.getUUID("session_id"),
                    RecordingTrigger.valueOf(r.getString("trigger")), r.getString("requested_by"),
                    instant(r, "requested_at"), instant(r, "stop_requested_at"), r.getString("stop_reason"),
                    List.of()));
            List<Output> recordingOutputs = outputs.computeIfAbsent(id, ignored -> new ArrayList<>());
            List<Track> recordingTracks = tracks.computeIfAbsent(id, ignored -> new ArrayList<>());
            if (OutputKey.TRACK_FORMAT.equals(r.getString("format"))) {
                recordingTracks.add(new Track(r.getString("track_sid"), r.getString("participant_identity"),
                        r.getString("participant_name"), OutputStatus.valueOf(r.getString("status")),
                        r.getString("egress_id"), r.getInteger("attempts"), r.getString("last_error"),
                        instant(r, "started_at"), instant(r, "ended_at"), r.getString("location"),
                        r.getLong("size_bytes"), r.getLong("duration_ms"), r.getString("failure_reason")));
                continue;
            }
            recordingOutputs.add(new Output(
                    RecordingFormat.valueOf(r.getString("format")), OutputStatus.valueOf(r.getString("status")),
                    r.getString("egress_id"), r.getInteger("attempts"), r.getString("last_error"),
                    instant(r, "started_at"), instant(r, "ended_at"), r.getString("location"),
                    r.getLong("size_bytes"), r.getLong("duration_ms"), r.getString("failure_reason")));
        }
        List<Recording> result = new ArrayList<>();
        byId.forEach((id, rec) -> result.add(new Recording(rec.id(), rec.sessionId(), rec.trigger(),
                rec.requestedBy(), rec.requestedAt(), rec.stopRequestedAt(), rec.stopReason(),
                List.copyOf(outputs.get(id)), List.copyOf(tracks.get(id)))));
        return result;
    }
}
