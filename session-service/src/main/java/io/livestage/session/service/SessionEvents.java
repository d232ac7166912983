package io.livestage.session.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.EventType;
import io.livestage.session.Session;
import io.livestage.session.repository.HibernateOutbox;

/**
 * Records an event of the session aggregate in the outbox with the session's next sequence number. The session must
 * be locked in the current transaction, so sequence numbers follow commit order.
 */
@ApplicationScoped
public class SessionEvents {
    private final HibernateOutbox outbox;

    public SessionEvents(HibernateOutbox outbox) {
        this.outbox = outbox;
    }

    public Uni<UUID> emit(Session session, Object payload, Instant at) {
        return outbox.append(EventType.forPayload(payload.getClass()), session.id.toString(),
                session.nextEventSequence(), at, payload);
    }
}
