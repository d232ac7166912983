package io.livestage.recording.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.podcast.feed.FeedItem;
import io.livestage.recording.podcast.feed.FeedVersion;

import static io.livestage.recording.repository.Rows.instant;

/**
 * What the RSS feeds read: a feed's version (one small query, for conditional requests and the rendered-feed cache)
 * and its items, the episodes that are PUBLISHED and PUBLIC, newest published first.
 */
@ApplicationScoped
public class FeedRepository {
    private static final String ITEMS = """
            select episode_id, title, description, explicit, season, episode_number, episode_type, media_bytes,
                duration_ms, published_at
            from episodes
            where host_id = $1 and status = 'PUBLISHED' and visibility = 'PUBLIC' and media_format = 'MP3'
            """;
    private static final String ORDER = " order by published_at desc nulls last, episode_id";

    private final Pool pool;

    public FeedRepository(Pool pool) {
        this.pool = pool;
    }

    /** The version of the host's feed; null when the host has neither a saved channel nor any episode. */
    public Uni<FeedVersion> hostVersion(String hostId) {
        return pool.preparedQuery("""
                select h.host_id, c.updated_at as channel_at, s.version, s.changed_at
                from (select $1::varchar as host_id) h
                    left join podcast_channels c on c.host_id = h.host_id and c.space is null
                    left join podcast_feed_state s on s.host_id = h.host_id""")
                .execute(Tuple.of(hostId)).map(rows -> {
                    FeedVersion version = version(rows);
                    return version == null || version.channelUpdatedAt() == null && version.episodesVersion() == 0
                            ? null : version;
                });
    }

    /** The version of the space's feed (its owner's episodes); null when there is no such space. */
    public Uni<FeedVersion> spaceVersion(String space) {
        return pool.preparedQuery("""
                select c.host_id, c.updated_at as channel_at, s.version, s.changed_at
                from podcast_channels c left join podcast_feed_state s on s.host_id = c.host_id
                where c.space = $1""").execute(Tuple.of(space)).map(FeedRepository::version);
    }

    /** The host's published public episodes, newest first. */
    public Uni<List<FeedItem>> hostItems(String hostId) {
        return pool.preparedQuery(ITEMS + ORDER).execute(Tuple.of(hostId)).map(FeedRepository::items);
    }

    /** The published public episodes of {@code owner} placed in the space, newest first. */
    public Uni<List<FeedItem>> spaceItems(String owner, String space) {
        return pool.preparedQuery(ITEMS + " and space = $2" + ORDER).execute(Tuple.of(owner, space))
                .map(FeedRepository::items);
    }

    private static FeedVersion version(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row r = rows.iterator().next();
        Long version = r.getLong("version");
        return new FeedVersion(r.getString("host_id"), instant(r, "channel_at"), version == null ? 0 : version,
                instant(r, "changed_at"));
    }

    private static List<FeedItem> items(RowSet<Row> rows) {
        List<FeedItem> items = new ArrayList<>(rows.rowCount());
        for (Row r : rows) {
            items.add(new FeedItem(r.getUUID("episode_id"), r.getString("title"), r.getString("description"),
                    r.getBoolean("explicit"), r.getInteger("season"), r.getInteger("episode_number"),
                    r.getString("episode_type"), r.getLong("media_bytes"), r.getLong("duration_ms"),
                    instant(r, "published_at")));
        }
        return items;
    }
}
