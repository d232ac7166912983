package io.livestage.recording.podcast;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.livestage.events.podcast.EpisodeVisibility;

/**
 * A podcast episode of the library: the MP3 of one completed recording with what the host wrote about it.
 * {@code recordedFrom}/{@code recordedTo} are the MP3's span: transcript cues and chapters count from its start.
 */
public record Episode(UUID id, UUID recordingId, UUID sessionId, String hostId, String space, EpisodeStatus status,
        String title, String description, List<String> tags, boolean explicit, Integer season, Integer episodeNumber,
        String episodeType, EpisodeVisibility visibility, String mediaFormat, String mediaLocation, long mediaBytes,
        long durationMillis, Instant createdAt, Instant updatedAt, Instant publishedAt, Instant recordedFrom,
        Instant recordedTo) {

    /** Published and reachable without signing in (PUBLIC in the feeds, UNLISTED by link). */
    public boolean publiclyServed() {
        return status == EpisodeStatus.PUBLISHED && visibility != EpisodeVisibility.PRIVATE;
    }
}
