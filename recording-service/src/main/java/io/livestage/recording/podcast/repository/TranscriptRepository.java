package io.livestage.recording.podcast.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.transcript.TranscriptExports;
import io.livestage.events.transcript.TranscriptSegment;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/**
 * recording-service's copy of the sessions' transcript finals (livestage.transcript): one row per utterance
 * ({@code (session, streamId, utteranceId)}), so a redelivered final changes nothing.
 */
@ApplicationScoped
public class TranscriptRepository {
    private final Pool pool;

    public TranscriptRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a final unless its utterance is stored; true when stored. */
    public Uni<Boolean> addFinal(TranscriptSegment s) {
        return pool.preparedQuery("""
                insert into transcript_finals (session_id, stream_id, utterance_id, participant_identity,
                    speaker_name, text, start_at, end_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (session_id, stream_id, utterance_id) do nothing""")
                .execute(Tuple.tuple().addUUID(UUID.fromString(s.sessionId())).addString(clip(s.streamId(), 200))
                        .addString(clip(s.utteranceId(), 200)).addString(clip(s.participantIdentity(), 255))
                        .addString(clip(s.speakerName(), 255)).addString(s.text())
                        .addOffsetDateTime(utc(s.startAt())).addOffsetDateTime(utc(s.endAt())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The finals of the session spoken (at least partly) between {@code from} and {@code to}, by start. */
    public Uni<List<TranscriptExports.Cue>> between(UUID session, Instant from, Instant to) {
        return pool.preparedQuery("""
                select participant_identity, speaker_name, text, start_at, end_at from transcript_finals
                where session_id = $1 and end_at > $2 and start_at < $3
                order by start_at, stream_id, utterance_id""")
                .execute(Tuple.of(session, utc(from), utc(to))).map(rows -> {
                    List<TranscriptExports.Cue> cues = new ArrayList<>();
                    for (Row r : rows) {
                        cues.add(new TranscriptExports.Cue(r.getString("participant_identity"),
                                r.getString("speaker_name"), instant(r, "start_at"), instant(r, "end_at"),
                                r.getString("text")));
                    }
                    return cues;
                });
    }
}
