package io.livestage.recording.podcast.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.EventType;
import io.livestage.events.PodcastEvent;
import io.livestage.platform.outbox.Outbox;
import io.livestage.recording.podcast.repository.EpisodeRepository;

/**
 * Appends a podcast event to the outbox in the transaction of the change it announces, keyed by the episode with the
 * episode's own sequence (livestage.podcast).
 */
@ApplicationScoped
public class PodcastEvents {
    private final EpisodeRepository episodes;
    private final Outbox outbox;

    public PodcastEvents(EpisodeRepository episodes, Outbox outbox) {
        this.episodes = episodes;
        this.outbox = outbox;
    }

    /** Appends {@code event}; the episode's row must still exist (append before deleting it). */
    public Uni<Void> append(SqlClient tx, PodcastEvent event, Instant now) {
        return episodes.nextSequence(tx, UUID.fromString(event.episodeId()))
                .chain(seq -> outbox.append(tx, EventType.forPayload(event.getClass()), event.episodeId(), seq, now,
                        event))
                .replaceWithVoid();
    }

    /** After the commit of a transaction that appended events: the relay publishes them now. */
    public void committed() {
        outbox.committed();
    }
}
