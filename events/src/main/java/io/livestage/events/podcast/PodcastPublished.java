package io.livestage.events.podcast;

import java.time.Instant;

import io.livestage.events.PodcastEvent;

/**
 * {@code podcast.published}: the host published the episode (a draft, or one taken back before). {@code mediaBytes}
 * and {@code durationMillis} describe its MP3 enclosure; {@code space} is the optional space whose feed also lists it;
 * {@code publishedAt} is its publication date (kept when an episode is published again).
 */
public record PodcastPublished(
        String episodeId,
        String sessionId,
        String recordingId,
        String hostId,
        String space,
        String title,
        EpisodeVisibility visibility,
        long mediaBytes,
        long durationMillis,
        Instant publishedAt) implements PodcastEvent {
}
