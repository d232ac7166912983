package io.livestage.recording.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.podcast.feed.ApplePodcastCategory;
import io.livestage.recording.podcast.feed.ChannelType;
import io.livestage.recording.podcast.feed.PodcastChannel;

import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** Podcast profiles (podcast_channels): a host's own channel and the channels of spaces, one row each. */
@ApplicationScoped
public class ChannelRepository {
    private static final String COLUMNS = "host_id, space, podcast_guid, title, description, image_url, language, "
            + "category, subcategory, explicit, author, copyright, type, updated_at";
    private static final String VALUES = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15";
    private static final String INSERT = "insert into podcast_channels (host_id, space, podcast_guid, title, "
            + "description, image_url, language, category, subcategory, explicit, author, copyright, type, created_at, "
            + "updated_at, channel_id) values (" + VALUES + ")";
    private static final String SET = "title = excluded.title, description = excluded.description, "
            + "image_url = excluded.image_url, language = excluded.language, category = excluded.category, "
            + "subcategory = excluded.subcategory, explicit = excluded.explicit, author = excluded.author, "
            + "copyright = excluded.copyright, type = excluded.type, updated_at = excluded.updated_at";

    private final Pool pool;

    public ChannelRepository(Pool pool) {
        this.pool = pool;
    }

    /** The host's own channel, or null when the host has not saved one. */
    public Uni<PodcastChannel> host(String hostId) {
        return pool.preparedQuery("select " + COLUMNS + " from podcast_channels where host_id = $1 and space is null")
                .execute(Tuple.of(hostId)).map(ChannelRepository::channel);
    }

    /** The space's channel, or null when no space has that slug. */
    public Uni<PodcastChannel> space(String space) {
        return pool.preparedQuery("select " + COLUMNS + " from podcast_channels where space = $1")
                .execute(Tuple.of(space)).map(ChannelRepository::channel);
    }

    /** Writes the host's channel (creating it with {@code channel}'s guid, or replacing its fields). */
    public Uni<PodcastChannel> saveHost(PodcastChannel channel, Instant now) {
        return pool.preparedQuery(INSERT + " on conflict (host_id) where space is null do update set " + SET
                + " returning " + COLUMNS).execute(row(channel, now)).map(ChannelRepository::channel);
    }

    /** Creates a space's channel; null when the slug is taken. */
    public Uni<PodcastChannel> createSpace(PodcastChannel channel, Instant now) {
        return pool.preparedQuery(INSERT + " on conflict (space) where space is not null do nothing returning "
                + COLUMNS).execute(row(channel, now)).map(ChannelRepository::channel);
    }

    /** Replaces the fields of the space's channel (owner and guid stay); null when there is no such space. */
    public Uni<PodcastChannel> updateSpace(PodcastChannel channel, Instant now) {
        return pool.preparedQuery("""
                update podcast_channels set title = $2, description = $3, image_url = $4, language = $5,
                    category = $6, subcategory = $7, explicit = $8, author = $9, copyright = $10, type = $11,
                    updated_at = $12
                where space = $1 returning """ + " " + COLUMNS)
                .execute(Tuple.tuple().addString(channel.space()).addString(channel.title())
                        .addString(channel.description()).addString(channel.imageUrl())
                        .addString(channel.language()).addString(channel.category().text())
                        .addString(channel.subcategory()).addBoolean(channel.explicit()).addString(channel.author())
                        .addString(channel.copyright()).addString(channel.type().text())
                        .addOffsetDateTime(utc(now)))
                .map(ChannelRepository::channel);
    }

    private static Tuple row(PodcastChannel c, Instant now) {
        return Tuple.tuple().addString(c.hostId()).addString(c.space()).addUUID(c.podcastGuid()).addString(c.title())
                .addString(c.description()).addString(c.imageUrl()).addString(c.language())
                .addString(c.category().text()).addString(c.subcategory()).addBoolean(c.explicit())
                .addString(c.author()).addString(c.copyright()).addString(c.type().text())
                .addOffsetDateTime(utc(now)).addUUID(UUID.randomUUID());
    }

    private static PodcastChannel channel(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row r = rows.iterator().next();
        return new PodcastChannel(r.getString("host_id"), r.getString("space"), r.getUUID("podcast_guid"),
                r.getString("title"), r.getString("description"), r.getString("image_url"), r.getString("language"),
                ApplePodcastCategory.parse(r.getString("category")), r.getString("subcategory"),
                r.getBoolean("explicit"), r.getString("author"), r.getString("copyright"),
                ChannelType.parse(r.getString("type")), instant(r, "updated_at"), true);
    }
}
