package io.livestage.recording.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.podcast.feed.FeedItem;
import io.livestage.recording.podcast.feed.FeedRenderer;
import io.livestage.recording.podcast.feed.FeedVersion;
import io.livestage.recording.podcast.feed.PodcastChannel;
import io.livestage.recording.repository.ChannelRepository;
import io.livestage.recording.repository.FeedRepository;

/**
 * The public RSS feeds of hosts and spaces. Every request reads the feed's version (one primary-key query); a feed
 * already rendered for that version is served from memory, otherwise channel and episodes are read (after the
 * version, so a feed is never kept under a newer version than its content) and rendered on a worker thread.
 */
@ApplicationScoped
public class FeedService {
    private final FeedRepository feeds;
    private final ChannelRepository channels;
    private final ChannelService channelService;
    private final FeedRenderer renderer;
    private final FeedCache cache;

    public FeedService(FeedRepository feeds, ChannelRepository channels, ChannelService channelService,
            RecordingConfig config) {
        this.feeds = feeds;
        this.channels = channels;
        this.channelService = channelService;
        this.renderer = new FeedRenderer(channelService.links());
        this.cache = new FeedCache(config.feeds().cacheBytes());
    }

    /** The feed of the host's published public episodes; 404 when the host has no profile and no episode. */
    public Uni<RenderedFeed> hostFeed(String hostId) {
        String key = "host:" + hostId;
        return feeds.hostVersion(hostId).chain(version -> {
            if (version == null) {
                throw ProblemException.notFound("podcast of host " + hostId);
            }
            RenderedFeed cached = cache.get(key, version);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
            return channels.host(hostId)
                    .map(saved -> saved != null ? saved : channelService.defaults(hostId))
                    .chain(channel -> feeds.hostItems(hostId)
                            .chain(items -> render(key, version, channel, channelService.links().hostFeed(hostId),
                                    items)));
        });
    }

    /** The feed of the space: its owner's published public episodes placed in it; 404 for an unknown space. */
    public Uni<RenderedFeed> spaceFeed(String space) {
        if (!ChannelService.SLUG.matcher(space).matches()) {
            return Uni.createFrom().failure(ProblemException.notFound("space " + space));
        }
        String key = "space:" + space;
        return feeds.spaceVersion(space).chain(version -> {
            if (version == null) {
                throw ProblemException.notFound("space " + space);
            }
            RenderedFeed cached = cache.get(key, version);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
            return channels.space(space).chain(channel -> {
                if (channel == null) {
                    throw ProblemException.notFound("space " + space);
                }
                return feeds.spaceItems(channel.hostId(), space)
                        .chain(items -> render(key, version, channel, channelService.links().spaceFeed(space),
                                items));
            });
        });
    }

    private Uni<RenderedFeed> render(String key, FeedVersion version, PodcastChannel channel, String feedUrl,
            List<FeedItem> items) {
        return Uni.createFrom().item(() -> {
            Instant lastModified = version.lastModified();
            byte[] body = renderer.render(channel, feedUrl, lastModified, items);
            RenderedFeed feed = new RenderedFeed(body, etag(body), lastModified);
            cache.put(key, version, feed);
            return feed;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A strong ETag: the quoted, base64url SHA-256 of the bytes. */
    static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
