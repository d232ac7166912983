package io.livestage.recording.podcast.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.transcript.TranscriptExports;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.Episode;
import io.livestage.recording.podcast.repository.EpisodeRepository;
import io.livestage.recording.podcast.repository.TranscriptRepository;
import io.livestage.recording.storage.FileServing;
import io.livestage.recording.storage.RecordingStorage;

/**
 * What podcast apps fetch without signing in, for episodes that are PUBLISHED and PUBLIC or UNLISTED (anything else is
 * 404): the MP3 file, the WebVTT transcript (rendered on each request from the stored finals, so late finals are
 * included; cue times from the recording's start) and the chapters.
 */
@ApplicationScoped
public class PublicEpisodes {
    /** Where an episode's MP3 is: a local file, or (S3 storage) a presigned URL to redirect to. */
    public record Media(UUID recordingId, Path file, URI redirect) {
    }

    private final EpisodeRepository episodes;
    private final TranscriptRepository transcripts;
    private final RecordingStorage storage;

    public PublicEpisodes(EpisodeRepository episodes, TranscriptRepository transcripts,
            RecordingStorage storage) {
        this.episodes = episodes;
        this.transcripts = transcripts;
        this.storage = storage;
    }

    public Uni<Episode> episode(String id) {
        UUID uuid = uuid(id);
        return episodes.find(episodes.pool(), uuid).map(e -> {
            if (e == null || !e.publiclyServed()) {
                throw ProblemException.notFound("episode " + id);
            }
            return e;
        });
    }

    /** The episode's MP3 as this service reads it, or its presigned URL; 404 when it is not a file of the recording. */
    public Uni<Media> media(String id) {
        return episode(id).map(e -> storage.s3()
                ? new Media(e.recordingId(), null, storage.presignedGet(e.mediaLocation(), e.sessionId(), e.recordingId(), null))
                : new Media(e.recordingId(), storage.localFile(e.mediaLocation(), e.sessionId(), e.recordingId()),
                        null));
    }

    /** The size and time of a local MP3 (404 when it is gone). */
    public Uni<FileServing.Stat> stat(Media media) {
        return storage.stat(media.file(), media.recordingId());
    }

    public Uni<String> transcript(String id) {
        return episode(id).chain(e -> transcripts.between(e.sessionId(), e.recordedFrom(), e.recordedTo())
                .map(cues -> TranscriptExports.webVtt(cues, e.recordedFrom())));
    }

    public Uni<List<Chapter>> chapters(String id) {
        return episode(id).chain(e -> episodes.chapters(episodes.pool(), e.id()));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("episode " + id);
        }
    }
}
