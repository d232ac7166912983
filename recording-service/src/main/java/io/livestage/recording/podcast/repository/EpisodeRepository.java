package io.livestage.recording.podcast.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.Episode;
import io.livestage.recording.podcast.EpisodeStatus;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** Episodes and their chapters: the draft a completed recording becomes, the host's edits, publication. */
@ApplicationScoped
public class EpisodeRepository {
    private static final String COLUMNS = """
            episode_id, recording_id, session_id, host_id, space, status, title, description, tags, explicit, season,
            episode_number, episode_type, visibility, media_format, media_location, media_bytes, duration_ms,
            created_at, updated_at, published_at, recorded_from, recorded_to""";

    /** The draft of a recording, from the session's projection (its title, description, host and visibility). */
    private static final String INSERT_DRAFT = """
            insert into episodes (episode_id, recording_id, session_id, host_id, status, title, description,
                visibility, media_format, media_location, media_bytes, duration_ms, created_at, updated_at,
                recorded_from, recorded_to)
            select $1, $2, s.session_id, s.host_id, 'DRAFT', s.title, left(coalesce(s.description, ''), 4000),
                case when s.visibility in ('PRIVATE', 'UNLISTED') then s.visibility else 'PUBLIC' end, 'MP3', $3,
                $4, $5, $6, $6, $7, $8
            from recording_sessions s where s.session_id = $9
            on conflict (recording_id) do nothing
            returning episode_id""";

    private final Pool pool;

    public EpisodeRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Creates the DRAFT episode of a recording's MP3 unless the recording has one; true when it was created.
     */
    public Uni<Boolean> insertDraft(SqlClient tx, UUID episode, UUID recording, UUID session, String location,
            long bytes, long durationMillis, Instant from, Instant to, Instant now) {
        Tuple row = Tuple.tuple().addUUID(episode).addUUID(recording).addString(clip(location, 1000)).addLong(bytes)
                .addLong(durationMillis).addOffsetDateTime(utc(now)).addOffsetDateTime(utc(from))
                .addOffsetDateTime(utc(to)).addUUID(session);
        return tx.preparedQuery(INSERT_DRAFT).execute(row).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Episode> find(SqlClient client, UUID id) {
        return client.preparedQuery("select " + COLUMNS + " from episodes where episode_id = $1")
                .execute(Tuple.of(id)).map(EpisodeRepository::first);
    }

    /** The episode, its row locked until {@code tx} ends, or null. */
    public Uni<Episode> lock(SqlClient tx, UUID id) {
        return tx.preparedQuery("select " + COLUMNS + " from episodes where episode_id = $1 for update")
                .execute(Tuple.of(id)).map(EpisodeRepository::first);
    }

    /** The host's episodes, newest first. */
    public Uni<List<Episode>> ofHost(String host) {
        return pool.preparedQuery("select " + COLUMNS + " from episodes where host_id = $1 "
                + "order by created_at desc, episode_id").execute(Tuple.of(host)).map(rows -> {
                    List<Episode> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(episode(r));
                    }
                    return list;
                });
    }

    /** Sets the given columns (names checked by the caller against the editable ones) and updated_at. */
    public Uni<Void> update(SqlClient tx, UUID id, Map<String, Object> columns, Instant now) {
        StringBuilder sql = new StringBuilder("update episodes set ");
        Tuple params = Tuple.tuple().addUUID(id).addOffsetDateTime(utc(now));
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            sql.append(column.getKey()).append(" = $").append(params.size() + 1).append(", ");
            params.addValue(column.getValue());
        }
        sql.append("updated_at = $2 where episode_id = $1");
        return tx.preparedQuery(sql.toString()).execute(params).replaceWithVoid();
    }

    /** PUBLISHED; the first publication date is kept when it is published again. */
    public Uni<Void> publish(SqlClient tx, UUID id, Instant now) {
        return tx.preparedQuery("update episodes set status = 'PUBLISHED', published_at = coalesce(published_at, $2), "
                + "updated_at = $2 where episode_id = $1").execute(Tuple.of(id, utc(now))).replaceWithVoid();
    }

    public Uni<Void> unpublish(SqlClient tx, UUID id, Instant now) {
        return tx.preparedQuery("update episodes set status = 'UNPUBLISHED', updated_at = $2 where episode_id = $1")
                .execute(Tuple.of(id, utc(now))).replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient tx, UUID id) {
        return tx.preparedQuery("delete from episodes where episode_id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The episode's next podcast event sequence (ce_sequence on livestage.podcast), in {@code tx}. */
    public Uni<Long> nextSequence(SqlClient tx, UUID id) {
        return tx.preparedQuery("update episodes set last_seq = last_seq + 1 where episode_id = $1 returning last_seq")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<Chapter>> chapters(SqlClient client, UUID id) {
        return client.preparedQuery("select start_ms, title from episode_chapters where episode_id = $1 "
                + "order by position").execute(Tuple.of(id)).map(rows -> {
                    List<Chapter> chapters = new ArrayList<>();
                    for (Row r : rows) {
                        chapters.add(new Chapter(r.getLong("start_ms"), r.getString("title")));
                    }
                    return chapters;
                });
    }

    /** Replaces the episode's chapters. */
    public Uni<Void> replaceChapters(SqlClient tx, UUID id, List<Chapter> chapters) {
        Uni<Void> deleted = tx.preparedQuery("delete from episode_chapters where episode_id = $1")
                .execute(Tuple.of(id)).replaceWithVoid();
        if (chapters.isEmpty()) {
            return deleted;
        }
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < chapters.size(); i++) {
            rows.add(Tuple.of(id, i, chapters.get(i).startMillis(), chapters.get(i).title()));
        }
        return deleted.chain(() -> tx.preparedQuery("insert into episode_chapters (episode_id, position, start_ms, "
                + "title) values ($1, $2, $3, $4)").executeBatch(rows)).replaceWithVoid();
    }

    private static Episode first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? episode(rows.iterator().next()) : null;
    }

    private static Episode episode(Row r) {
        String[] tags = r.getArrayOfStrings("tags");
        return new Episode(r.getUUID("episode_id"), r.getUUID("recording_id"), r.getUUID("session_id"),
                r.getString("host_id"), r.getString("space"), EpisodeStatus.valueOf(r.getString("status")),
                r.getString("title"), r.getString("description"), tags == null ? List.of() : Arrays.asList(tags),
                r.getBoolean("explicit"), r.getInteger("season"), r.getInteger("episode_number"),
                r.getString("episode_type"), EpisodeVisibility.valueOf(r.getString("visibility")),
                r.getString("media_format"), r.getString("media_location"), r.getLong("media_bytes"),
                r.getLong("duration_ms"), instant(r, "created_at"), instant(r, "updated_at"),
                instant(r, "published_at"), instant(r, "recorded_from"), instant(r, "recorded_to"));
    }
}
