package io.livestage.recording.podcast.rest;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.recording.podcast.Episode;
import io.livestage.recording.podcast.EpisodeStatus;
import io.livestage.recording.podcast.service.EpisodeView;

/** An episode as its host (and those who may read it) see it, with its chapters and public addresses. */
@Schema(name = "Episode")
public record EpisodeResponse(
        String id,
        String sessionId,
        String recordingId,
        String hostId,
        @Schema(description = "DRAFT until published; UNPUBLISHED when taken back") EpisodeStatus status,
        String title,
        String description,
        List<String> tags,
        boolean explicit,
        Integer season,
        Integer episodeNumber,
        @Schema(description = "full, trailer or bonus") String episodeType,
        @Schema(description = "PUBLIC: in the feeds; UNLISTED: by link only; PRIVATE: the host only")
        EpisodeVisibility visibility,
        @Schema(description = "A space's slug: the episode is also in that space's feed") String space,
        String mediaType,
        @Schema(description = "The MP3's exact length in bytes") long mediaBytes,
        long durationMillis,
        Instant createdAt,
        Instant updatedAt,
        Instant publishedAt,
        List<ChapterResponse> chapters,
        @Schema(description = "Paths (under the gateway) of the public MP3, transcript and chapters; they answer "
                + "while the episode is PUBLISHED and not PRIVATE") Links links) {

    /** A chapter: seconds from the start, and its title. */
    @Schema(name = "EpisodeChapter")
    public record ChapterResponse(double startTime, String title) {
    }

    /** Where podcast apps fetch the episode. */
    @Schema(name = "EpisodeLinks")
    public record Links(String media, String transcript, String chapters) {
    }

    static EpisodeResponse of(EpisodeView view) {
        Episode e = view.episode();
        String base = "/podcast/episodes/" + e.id();
        return new EpisodeResponse(e.id().toString(), e.sessionId().toString(), e.recordingId().toString(),
                e.hostId(), e.status(), e.title(), e.description(), e.tags(), e.explicit(), e.season(),
                e.episodeNumber(), e.episodeType(), e.visibility(), e.space(), "audio/mpeg", e.mediaBytes(),
                e.durationMillis(), e.createdAt(), e.updatedAt(), e.publishedAt(),
                view.chapters().stream().map(c -> new ChapterResponse(c.startMillis() / 1000.0, c.title())).toList(),
                new Links(base + ".mp3", base + "/transcript.vtt", base + "/chapters.json"));
    }
}
