package io.livestage.recording.podcast.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.livestage.events.transcript.TranscriptExports;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.Episode;
import io.livestage.recording.podcast.repository.EpisodeRepository;
import io.livestage.recording.podcast.repository.TranscriptRepository;

/**
 * What podcast apps fetch without signing in, for episodes that are PUBLISHED and PUBLIC or UNLISTED (anything else is
 * 404): the MP3 file, the WebVTT transcript (rendered on each request from the stored finals, so late finals are
 * included; cue times from the recording's start) and the chapters.
 */
@ApplicationScoped
public class PublicEpisodes {
    /** An MP3 on local storage, with its exact length. */
    public record MediaFile(Path path, long bytes) {
    }

    private final EpisodeRepository episodes;
    private final TranscriptRepository transcripts;
    private final RecordingConfig config;

    public PublicEpisodes(EpisodeRepository episodes, TranscriptRepository transcripts, RecordingConfig config) {
        this.episodes = episodes;
        this.transcripts = transcripts;
        this.config = config;
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

    /** The episode's MP3 as this service reads it (checked on a worker thread); 404 when the file is gone. */
    public Uni<MediaFile> media(String id) {
        return episode(id).emitOn(Infrastructure.getDefaultWorkerPool()).map(e -> {
            Path file = local(e.mediaLocation());
            try {
                if (file == null || !Files.isRegularFile(file)) {
                    throw ProblemException.notFound("the media file of episode " + id);
                }
                return new MediaFile(file, Files.size(file));
            } catch (IOException ex) {
                throw ProblemException.notFound("the media file of episode " + id);
            }
        });
    }

    public Uni<String> transcript(String id) {
        return episode(id).chain(e -> transcripts.between(e.sessionId(), e.recordedFrom(), e.recordedTo())
                .map(cues -> TranscriptExports.webVtt(cues, e.recordedFrom())));
    }

    public Uni<List<Chapter>> chapters(String id) {
        return episode(id).chain(e -> episodes.chapters(episodes.pool(), e.id()));
    }

    /**
     * Where this service reads a file egress wrote at {@code location}: under the local directory when the storage
     * is mounted elsewhere; null when the location is outside the storage.
     */
    Path local(String location) {
        Path storage = Path.of(config.storage().directory()).normalize();
        Path file = Path.of(location).normalize();
        if (!file.startsWith(storage)) {
            return null;
        }
        return config.storage().localDirectory().filter(d -> !d.isBlank())
                .map(d -> Path.of(d).resolve(storage.relativize(file)).normalize()).orElse(file);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("episode " + id);
        }
    }
}
