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
import io.livestage.recording.service.Notifications;

/**
 * Appends a podcast event to the outbox in the transaction of the change it announces, keyed by the episode with the
 * episode's own sequence (livestage.podcast), and the notification it makes ({@link Notifications}).
 */
@ApplicationScoped
public class PodcastEvents {
    private final EpisodeRepository episodes;
    private final Outbox outbox;
    private final Notifications notifications;

    public PodcastEvents(EpisodeRepository episodes, Outbox outbox, Notifications notifications) {
        this.episodes = episodes;
        this.outbox = outbox;
        this.notifications = notifications;
    }

    /** Appends {@code event}; the episode's row must still exist (append before deleting it). */
    public Uni<Void> append(SqlClient tx, PodcastEvent event, Instant now) {
        return episodes.nextSequence(tx, UUID.fromString(event.episodeId()))
                .chain(seq -> outbox.append(tx, EventType.forPayload(event.getClass()), event.episodeId(), seq, now,
                        event))
                .chain(() -> notifications.onPodcast(tx, event, now));
    }

    /** After the commit of a transaction that appended events: the relay publishes them now. */
    public void committed() {
        outbox.committed();
    }
}
