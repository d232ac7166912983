package io.livestage.session.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import io.livestage.events.EventType;
import io.livestage.platform.outbox.Outbox;

/**
 * The platform's outbox and processed-events log inside session-service's Hibernate Reactive transactions. The other
 * services use the reactive SQL client, so the platform carries no ORM; session-service's aggregates are still
 * Panache entities (ADR 0021), and this is the one place that runs the platform's statements on a Panache session.
 */
@ApplicationScoped
public class HibernateOutbox {
    private final Outbox outbox;

    public HibernateOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Runs {@code work} in a reactive transaction and nudges the outbox relay once it has committed. Once begun, the
     * transaction runs to its commit or rollback even if its caller cancels (an HTTP request whose client went away
     * at its timeout): cancelling Hibernate Reactive half-way closes the session under a live transaction (HR000090)
     * and loses work the caller may retry. The caller's cancellation only drops the result.
     */
    public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        Uni<T> transaction = Panache.withTransaction(work).invoke(ignored -> outbox.committed());
        return Uni.createFrom().emitter(emitter -> transaction.subscribe().with(emitter::complete, emitter::fail));
    }

    /** After a commit made outside {@link #transaction(Supplier)}: the relay publishes its rows now. */
    public void committed() {
        outbox.committed();
    }

    /**
     * Appends an event for an aggregate in the current transaction (see {@link #transaction(Supplier)}), which must be
     * the one that changes the aggregate. Returns the event id ({@code ce_id}).
     *
     * @param sequence the aggregate's event sequence number for this event (1, 2, ...)
     */
    public Uni<UUID> append(EventType type, String aggregateId, long sequence, Instant occurredAt, Object payload) {
        Outbox.AppendStatement append = outbox.appendStatement(type, aggregateId, sequence, occurredAt, payload);
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(append.sql());
            List<Object> parameters = append.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                query.setParameter(i + 1, parameters.get(i));
            }
            return query.executeUpdate();
        }).replaceWith(append.eventId());
    }

    /**
     * Records that {@code consumer} is applying {@code eventId}, in the current transaction (the one that applies it).
     *
     * @return true on the first delivery, false for a redelivery that must be skipped
     */
    public Uni<Boolean> firstDelivery(String consumer, String eventId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("insert into processed_events (consumer, event_id) values (:consumer, :eventId) "
                        + "on conflict do nothing")
                .setParameter("consumer", consumer)
                .setParameter("eventId", eventId)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
