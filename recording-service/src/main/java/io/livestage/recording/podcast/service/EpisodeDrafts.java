package io.livestage.recording.podcast.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.recording.podcast.Chapters;
import io.livestage.recording.podcast.repository.EpisodeRepository;
import io.livestage.recording.podcast.repository.TimelineRepository;

/**
 * A completed MP3 output becomes a DRAFT episode, in the transaction that records the output COMPLETE (and appends
 * its {@code recording.completed}): the session's title and description, the file's location, byte length and
 * duration, and the chapters of the session's timeline within the recording. A recording has one episode at most.
 */
@ApplicationScoped
public class EpisodeDrafts {
    private final EpisodeRepository episodes;
    private final TimelineRepository timeline;

    public EpisodeDrafts(EpisodeRepository episodes, TimelineRepository timeline) {
        this.episodes = episodes;
        this.timeline = timeline;
    }

    public Uni<Void> create(SqlClient tx, UUID recording, UUID session, String location, long bytes,
            long durationMillis, Instant from, Instant to, Instant now) {
        UUID id = UUID.randomUUID();
        return episodes.insertDraft(tx, id, recording, session, location, bytes, durationMillis, from, to, now)
                .chain(created -> !created ? Uni.createFrom().voidItem()
                        : timeline.of(tx, session).chain(entries -> episodes.replaceChapters(tx, id,
                                Chapters.ofRecording(entries, from, to))));
    }
}
