package io.livestage.recording.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.recording.podcast.feed.FeedLinks;
import io.livestage.recording.podcast.feed.PodcastChannel;

/** A podcast profile (a host's channel or a space) as its owner reads it, with its public feed URL. */
@Schema(name = "PodcastChannel")
public record ChannelResponse(
        String hostId,
        @Schema(description = "The space's slug; null for the host's own channel") String space,
        String title,
        String description,
        String imageUrl,
        String language,
        String category,
        String subcategory,
        boolean explicit,
        String author,
        String copyright,
        @Schema(description = "episodic or serial") String type,
        @Schema(description = "The public RSS feed to submit to podcast directories") String feedUrl,
        @Schema(description = "The feed's podcast:guid (UUIDv5 of the feed URL when the profile was first saved)")
        String podcastGuid,
        @Schema(description = "False while the host has not saved a profile (these are the defaults)") boolean saved,
        Instant updatedAt) {

    static ChannelResponse of(PodcastChannel c, FeedLinks links) {
        return new ChannelResponse(c.hostId(), c.space(), c.title(), c.description(), c.imageUrl(), c.language(),
                c.category().text(), c.subcategory(), c.explicit(), c.author(), c.copyright(), c.type().text(),
                links.feed(c.hostId(), c.space()), c.podcastGuid().toString(), c.stored(), c.updatedAt());
    }
}
