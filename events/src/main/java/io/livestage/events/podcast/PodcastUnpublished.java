package io.livestage.events.podcast;

import java.time.Instant;

import io.livestage.events.PodcastEvent;

/**
 * {@code podcast.unpublished}: a published episode is no longer published, because its host unpublished it
 * ({@code UNPUBLISHED}, it may be published again) or deleted it ({@code DELETED}).
 */
public record PodcastUnpublished(
        String episodeId,
        String sessionId,
        String hostId,
        Reason reason,
        Instant unpublishedAt) implements PodcastEvent {

    /** Why the episode left the feeds. */
    public enum Reason {
        UNPUBLISHED, DELETED
    }
}
