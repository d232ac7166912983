package io.livestage.analytics.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.analytics.service.SessionAnswer;
import io.livestage.events.analytics.SessionStats;

/** Reads of the final statistics: one session's, and aggregates over ended sessions. */
@ApplicationScoped
public class StatsRepository {
    private static final int TOP_SESSIONS = 5;

    private final Pool pool;
    private final ObjectMapper json;

    public StatsRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The recorded final statistics of a session. */
    public Uni<Optional<SessionAnswer>> finalStats(String sessionId) {
        return pool.preparedQuery("select stats, cohosts from session_stats where session_id = $1")
                .execute(Tuple.of(sessionId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    String[] cohosts = row.getArrayOfStrings("cohosts");
                    return Optional.of(new SessionAnswer(read(row.getJsonObject("stats").encode()),
                            cohosts == null ? List.of() : Arrays.asList(cohosts), true));
                });
    }

    /** Which ended sessions an aggregate covers: started in {@code [from, to)}, optionally one host's, one space's. */
    public record Scope(Instant from, Instant to, String hostId, String spaceId) {
    }

    /** One of the top sessions of an aggregate. */
    public record TopSession(String sessionId, String title, String hostId, Instant startedAt, long views,
            long uniqueViewers, long watchTimeMillis, long peakConcurrent) {
    }

    /** Figures over the ended sessions of a scope; unique viewers are distinct across the sessions. */
    public record Aggregate(Instant from, Instant to, String hostId, String spaceId, long sessions, long views,
            long uniqueViewers, long watchTimeMillis, long averageSessionSeconds, long peakConcurrent,
            long chatMessages, long reactions, List<TopSession> topSessions) {
    }

    public Uni<Aggregate> aggregate(Scope scope) {
        String where = "started_at >= $1 and started_at < $2 and ($3::text is null or host_id = $3)"
                + " and ($4::text is null or space_id = $4)";
        Tuple params = Tuple.tuple().addValue(offset(scope.from())).addValue(offset(scope.to()))
                .addString(scope.hostId()).addString(scope.spaceId());
        Uni<Row> totals = pool.preparedQuery("select count(*) as sessions, coalesce(sum(views), 0) as views,"
                + " coalesce(sum(watch_time_millis), 0) as watch, coalesce(avg(duration_seconds), 0)::bigint as avg_duration,"
                + " coalesce(max(peak_concurrent), 0) as peak, coalesce(sum(chat_messages), 0) as chat,"
                + " coalesce(sum(reactions), 0) as reactions from session_stats where " + where)
                .execute(params).map(rows -> rows.iterator().next());
        Uni<Long> unique = pool.preparedQuery("select count(distinct v.viewer_key) as unique_viewers"
                + " from session_viewers v join session_stats s on s.session_id = v.session_id where "
                + where.replace("started_at", "s.started_at").replace("host_id", "s.host_id")
                        .replace("space_id", "s.space_id"))
                .execute(params).map(rows -> rows.iterator().next().getLong("unique_viewers"));
        Uni<List<TopSession>> top = pool.preparedQuery("select session_id, title, host_id, started_at, views,"
                + " unique_viewers, watch_time_millis, peak_concurrent from session_stats where " + where
                + " order by views desc, watch_time_millis desc, session_id limit " + TOP_SESSIONS)
                .execute(params).map(rows -> {
                    List<TopSession> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new TopSession(r.getString("session_id"), r.getString("title"),
                            r.getString("host_id"), instant(r.getOffsetDateTime("started_at")), r.getLong("views"),
                            r.getLong("unique_viewers"), r.getLong("watch_time_millis"),
                            r.getLong("peak_concurrent"))));
                    return list;
                });
        return Uni.combine().all().unis(totals, unique, top).asTuple().map(t -> {
            Row r = t.getItem1();
            return new Aggregate(scope.from(), scope.to(), scope.hostId(), scope.spaceId(), r.getLong("sessions"),
                    r.getLong("views"), t.getItem2(), r.getLong("watch"), r.getLong("avg_duration"),
                    r.getLong("peak"), r.getLong("chat"), r.getLong("reactions"), t.getItem3());
        });
    }

    /** Seed 003's figures over the sessions ended since {@code since} (the Prometheus gauges). */
    public record Recent(long sessions, double averageDurationSeconds, long maxPeakConcurrent,
            double guestParticipationRate, double chatMessagesPerSession, double reactionEngagementRate) {
    }

    public Uni<Recent> recent(Instant since) {
        return pool.preparedQuery("select count(*) as sessions, coalesce(avg(duration_seconds), 0)::float8 as duration,"
                + " coalesce(max(peak_concurrent), 0) as peak, coalesce(sum(approved_guests), 0) as approved,"
                + " coalesce(sum(unique_viewers), 0) as viewers, coalesce(sum(chat_messages), 0) as chat,"
                + " coalesce(sum(reactions), 0) as reactions, coalesce(sum(watch_time_millis), 0) as watch"
                + " from session_stats where ended_at >= $1")
                .execute(Tuple.of(offset(since))).map(rows -> {
                    Row r = rows.iterator().next();
                    long sessions = r.getLong("sessions");
                    long viewers = r.getLong("viewers");
                    long watch = r.getLong("watch");
                    return new Recent(sessions, r.getDouble("duration"), r.getLong("peak"),
                            viewers == 0 ? 0 : (double) r.getLong("approved") / viewers,
                            sessions == 0 ? 0 : (double) r.getLong("chat") / sessions,
                            watch == 0 ? 0 : r.getLong("reactions") * 60_000.0 / watch);
                });
    }

    private SessionStats read(String text) {
        try {
            return json.readValue(text, SessionStats.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored statistics unreadable", e);
        }
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
