package io.livestage.platform.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The processed-ids log of idempotent consumers: Kafka delivers at least once, so each consumer records the
 * {@code ce_id} of every event it applied, in the same transaction as its effect, and skips ids it has seen.
 */
@ApplicationScoped
public class ProcessedEvents {

    /**
     * Records that {@code consumer} is applying {@code eventId}. Must run inside the transaction that applies it.
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
