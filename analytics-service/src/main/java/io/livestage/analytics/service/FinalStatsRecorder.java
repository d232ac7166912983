package io.livestage.analytics.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import io.livestage.analytics.topology.FinalStatsSink;
import io.livestage.events.EventType;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.analytics.SessionStatsRecorded;
import io.livestage.platform.outbox.Outbox;

/**
 * Records an ended session's final statistics: in one transaction the {@code session_stats} row (revision + 1), the
 * session's viewer set and the {@code analytics.session-stats} event in the outbox, with the revision as the event's
 * {@code ce_sequence}. The same statistics again (a punctuation re-run after a crash) write nothing.
 */
@ApplicationScoped
public class FinalStatsRecorder implements FinalStatsSink {
    private static final Logger LOG = Logger.getLogger(FinalStatsRecorder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Outbox outbox;
    private final ObjectMapper json;

    public FinalStatsRecorder(Pool pool, Outbox outbox, ObjectMapper json) {
        this.pool = pool;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public CompletionStage<Void> record(FinalStats finalStats) {
        return pool.withTransaction(tx -> write(tx, finalStats))
                .ifNoItem().after(TIMEOUT).fail()
                .invoke(appended -> {
                    if (Boolean.TRUE.equals(appended)) {
                        outbox.committed();
                    }
                })
                .replaceWithVoid().subscribeAsCompletionStage();
    }

    private Uni<Boolean> write(SqlConnection tx, FinalStats finalStats) {
        SessionStats stats = finalStats.stats();
        return tx.preparedQuery("select revision, stats from session_stats where session_id = $1 for update")
                .execute(Tuple.of(stats.sessionId()))
                .chain(rows -> {
                    int previous = 0;
                    if (rows.iterator().hasNext()) {
                        Row row = rows.iterator().next();
                        previous = row.getInteger("revision");
                        SessionStats stored = read(row.getJsonObject("stats"));
                        if (stored != null && withRevision(stored, 0).equals(withRevision(stats, 0))) {
                            return Uni.createFrom().item(false);
                        }
                    }
                    SessionStats recorded = withRevision(stats, previous + 1);
                    Instant now = Instant.now();
                    return upsert(tx, recorded, finalStats.cohosts(), now)
                            .chain(() -> viewers(tx, stats.sessionId(), finalStats))
                            .chain(() -> outbox.append(tx, EventType.ANALYTICS_SESSION_STATS, stats.sessionId(),
                                    recorded.revision(), now, new SessionStatsRecorded(recorded)))
                            .invoke(() -> LOG.infof("Final statistics of session %s recorded (revision %d)",
                                    stats.sessionId(), recorded.revision()))
                            .replaceWith(true);
                });
    }

    private Uni<Void> upsert(SqlConnection tx, SessionStats s, List<String> cohosts, Instant now) {
        String sql = """
                insert into session_stats (session_id, title, host_id, space_id, started_at, ended_at, cohosts,
                    revision, stats, recorded_at, views, unique_viewers, watch_time_millis, peak_concurrent,
                    duration_seconds, chat_messages, reactions, approved_guests)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                on conflict (session_id) do update set title = excluded.title, host_id = excluded.host_id,
                    space_id = excluded.space_id, started_at = excluded.started_at, ended_at = excluded.ended_at,
                    cohosts = excluded.cohosts, revision = excluded.revision, stats = excluded.stats,
                    recorded_at = excluded.recorded_at, views = excluded.views,
                    unique_viewers = excluded.unique_viewers, watch_time_millis = excluded.watch_time_millis,
                    peak_concurrent = excluded.peak_concurrent, duration_seconds = excluded.duration_seconds,
                    chat_messages = excluded.chat_messages, reactions = excluded.reactions,
                    approved_guests = excluded.approved_guests
                """;
        Tuple params = Tuple.tuple()
                .addString(s.sessionId()).addString(s.title()).addString(s.hostId()).addString(s.spaceId())
                .addValue(offset(s.startedAt())).addValue(offset(s.endedAt()))
                .addArrayOfString(cohosts.toArray(String[]::new)).addInteger(s.revision())
                .addValue(new JsonObject(text(s))).addValue(offset(now))
                .addLong(s.audience().views()).addLong(s.audience().uniqueViewers())
                .addLong(s.audience().watchTimeMillis()).addLong(s.audience().peakConcurrent())
                .addLong(s.durationSeconds()).addLong(s.chat().messages()).addLong(s.reactions().total())
                .addLong(s.stage().approved());
        return tx.preparedQuery(sql).execute(params).replaceWithVoid();
    }

    private Uni<Void> viewers(SqlConnection tx, String session, FinalStats finalStats) {
        Uni<?> cleared = tx.preparedQuery("delete from session_viewers where session_id = $1")
                .execute(Tuple.of(session));
        if (finalStats.viewerKeys().isEmpty()) {
            return cleared.replaceWithVoid();
        }
        List<Tuple> batch = new ArrayList<>(finalStats.viewerKeys().size());
        finalStats.viewerKeys().forEach(viewer -> batch.add(Tuple.of(session, viewer)));
        return cleared.chain(() -> tx.preparedQuery(
                "insert into session_viewers (session_id, viewer_key) values ($1, $2)").executeBatch(batch))
                .replaceWithVoid();
    }

    static SessionStats withRevision(SessionStats s, int revision) {
        return new SessionStats(s.sessionId(), s.title(), s.hostId(), s.spaceId(), s.startedAt(), s.endedAt(),
                s.live(), s.durationSeconds(), s.audience(), s.chat(), s.reactions(), s.stage(), revision);
    }

    private String text(SessionStats stats) {
        try {
            return json.writeValueAsString(stats);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    SessionStats read(JsonObject stored) {
        try {
            return stored == null ? null : json.readValue(stored.encode(), SessionStats.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Stored statistics unreadable (%s); recording anew", e.getOriginalMessage());
            return null;
        }
    }

    private static java.time.OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }
}
