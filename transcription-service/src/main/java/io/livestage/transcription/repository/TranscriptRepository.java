package io.livestage.transcription.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.EventType;
import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.platform.outbox.Outbox;
import io.livestage.transcription.model.SessionInfo;
import io.livestage.transcription.model.Speaker;
import io.livestage.transcription.model.StoredSegment;

/** transcription-service's tables, through the reactive PostgreSQL client (never blocks an event loop). */
@ApplicationScoped
public class TranscriptRepository {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    /** For {@code Outbox.appendWithChange}: the session's next transcript sequence, if the segment was written. */
    static final String NEXT_SEQUENCE = "update transcript_sessions set last_seq = last_seq + 1 "
            + "where session_id = (select session_id from change) returning last_seq as seq";

    private static final String SESSION_COLUMNS = "session_id, slug, title, host_id, visibility, status, "
            + "transcription_enabled, started_at, ended_at";

    /** A final is never changed; a partial is replaced by newer partials and by its final. */
    private static final String UPSERT_SEGMENT = """
            insert into transcript_segments (session_id, stream_id, utterance_id, participant_identity, speaker_name,
                text, is_final, start_at, end_at, language, confidence, words, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (session_id, stream_id, utterance_id) do update set speaker_name = excluded.speaker_name,
                text = excluded.text, is_final = excluded.is_final, start_at = excluded.start_at, end_at = excluded.end_at,
                language = excluded.language, confidence = excluded.confidence, words = excluded.words,
                updated_at = excluded.updated_at
            where transcript_segments.is_final = false
            returning session_id""";

    private final Pool pool;
    private final Outbox outbox;

    public TranscriptRepository(Pool pool, Outbox outbox) {
        this.pool = pool;
        this.outbox = outbox;
    }

    /** The session by id or slug, or null. */
    public Uni<SessionInfo> session(String ref) {
        boolean byId = UUID_TEXT.matcher(ref).matches();
        String sql = "select " + SESSION_COLUMNS + " from transcript_sessions where "
                + (byId ? "session_id = $1" : "slug = $1");
        return pool.preparedQuery(sql).execute(Tuple.of(byId ? UUID.fromString(ref) : ref)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? session(it.next()) : null;
        });
    }

    private static SessionInfo session(Row r) {
        return new SessionInfo(r.getUUID("session_id"), r.getString("slug"), r.getString("title"),
                r.getString("host_id"), r.getString("visibility"), r.getString("status"),
                r.getBoolean("transcription_enabled"), instant(r, "started_at"), instant(r, "ended_at"));
    }

    /** The participant of {@code userId} in the session, or null. */
    public Uni<Speaker> participant(UUID session, String userId) {
        return pool.preparedQuery("select user_id, identity, name, role, present, removed from transcript_participants "
                + "where session_id = $1 and user_id = $2").execute(Tuple.of(session, userId)).map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new Speaker(r.getString("user_id"), r.getString("identity"), r.getString("name"),
                            r.getString("role"), r.getBoolean("present"), r.getBoolean("removed"));
                });
    }

    public Uni<Void> streamStarted(String streamId, UUID session, String identity, int sampleRate, List<String> languages,
            Instant at) {
        return pool.preparedQuery("insert into transcript_streams (stream_id, session_id, participant_identity, "
                + "sample_rate, languages, started_at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing")
                .execute(Tuple.of(streamId, session, identity, sampleRate, languages.toArray(String[]::new),
                        OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> streamEnded(String streamId, Instant at, long bytes, int reconnects, String reason) {
        return pool.preparedQuery("update transcript_streams set ended_at = $2, bytes_received = $3, reconnects = $4, "
                + "end_reason = $5 where stream_id = $1")
                .execute(Tuple.of(streamId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), bytes, reconnects,
                        reason.length() > 64 ? reason.substring(0, 64) : reason))
                .replaceWithVoid();
    }

    /**
     * Stores a segment and, in the same statement, its {@code transcript.segment} event. Returns false (and emits
     * nothing) when the utterance already has its final.
     */
    public Uni<Boolean> save(TranscriptSegment s, Instant now) {
        UUID session = UUID.fromString(s.sessionId());
        JsonArray words = null;
        if (s.words() != null) {
            words = new JsonArray();
            for (TranscriptSegment.Word w : s.words()) {
                words.add(new JsonObject().put("word", w.word()).put("startAt", w.startAt().toString())
                        .put("endAt", w.endAt().toString()).put("confidence", w.confidence()));
            }
        }
        Tuple row = Tuple.tuple().addUUID(session).addString(s.streamId()).addString(s.utteranceId())
                .addString(s.participantIdentity()).addString(s.speakerName()).addString(s.text())
                .addBoolean(s.isFinal()).addOffsetDateTime(utc(s.startAt())).addOffsetDateTime(utc(s.endAt()))
                .addString(s.language()).addDouble(s.confidence()).addValue(words).addOffsetDateTime(utc(now));
        // one statement: segment, the session's next sequence and the outbox row commit together, and the session
        // row (every speaker of the session takes its next sequence from it) is locked only while it runs
        return outbox.appendWithChange(pool, UPSERT_SEGMENT, NEXT_SEQUENCE, row, EventType.TRANSCRIPT_SEGMENT,
                s.sessionId(), now, s).invoke(saved -> {
                    if (saved) {
                        outbox.committed();
                    }
                });
    }

    /** The session's segments ordered by start (finals only unless {@code partials}). */
    public Uni<List<StoredSegment>> segments(UUID session, boolean partials) {
        return pool.preparedQuery("select participant_identity, speaker_name, stream_id, utterance_id, text, is_final, "
                + "start_at, end_at, language, confidence from transcript_segments where session_id = $1"
                + (partials ? "" : " and is_final") + " order by start_at, stream_id, utterance_id")
                .execute(Tuple.of(session)).map(rows -> {
                    List<StoredSegment> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new StoredSegment(r.getString("participant_identity"), r.getString("speaker_name"),
                                r.getString("stream_id"), r.getString("utterance_id"), r.getString("text"),
                                r.getBoolean("is_final"), instant(r, "start_at"), instant(r, "end_at"),
                                r.getString("language"), r.getDouble("confidence")));
                    }
                    return out;
                });
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
