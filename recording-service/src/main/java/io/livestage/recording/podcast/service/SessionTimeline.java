package io.livestage.recording.podcast.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.SessionEvent;
import io.livestage.recording.podcast.Chapters;
import io.livestage.recording.podcast.repository.TimelineRepository;

/**
 * Adds the timeline entry a session event calls for ({@link Chapters#entryOf}) in the transaction that applies the
 * event to the projection; an event adds its entry once, however often it is delivered.
 */
@ApplicationScoped
public class SessionTimeline {
    private final TimelineRepository timeline;

    public SessionTimeline(TimelineRepository timeline) {
        this.timeline = timeline;
    }

    public Uni<Void> record(SqlClient tx, UUID session, SessionEvent event, Instant time, long sequence) {
        return Chapters.entryOf(event, time == null ? Instant.now() : time, sequence)
                .map(entry -> timeline.add(tx, UUID.randomUUID(), session, entry).replaceWithVoid())
                .orElse(Uni.createFrom().voidItem());
    }
}
