package io.livestage.recording.podcast.feed;

import java.time.Instant;
import java.util.UUID;

/** A published, public episode as a feed item (a row of the podcast library's episodes table). */
public record FeedItem(
        UUID episodeId,
        String title,
        String description,
        boolean explicit,
        Integer season,
        Integer episodeNumber,
        String episodeType,
        long mediaBytes,
        long durationMillis,
        Instant publishedAt) {
}
