package io.livestage.recording.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.EventType;
import io.livestage.events.RecordingEvent;
import io.livestage.platform.outbox.Outbox;
import io.livestage.recording.repository.SessionRepository;

/**
 * Appends a recording event to the outbox in the transaction of the change it announces, with the session's sequence,
 * and the notification it makes ({@link Notifications}).
 */
@ApplicationScoped
public class RecordingEvents {
    private final SessionRepository sessions;
    private final Outbox outbox;
    private final Notifications notifications;

    public RecordingEvents(SessionRepository sessions, Outbox outbox, Notifications notifications) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.notifications = notifications;
    }

    public Uni<Void> append(SqlClient tx, RecordingEvent event, Instant now) {
        return sessions.nextSequence(tx, UUID.fromString(event.sessionId()))
                .chain(seq -> outbox.append(tx, EventType.forPayload(event.getClass()), event.sessionId(), seq, now,
                        event))
                .chain(() -> notifications.onRecording(tx, event, now));
    }

    /** After the commit of a transaction that appended events: the relay publishes them now. */
    public void committed() {
        outbox.committed();
    }
}
