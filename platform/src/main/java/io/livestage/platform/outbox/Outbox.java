package io.livestage.platform.outbox;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.events.EventType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes events into the outbox inside the caller's transaction, so a state change and its event commit together or
 * not at all. {@link #transaction(Supplier)} wakes the relay after the commit for low publish latency.
 */
@ApplicationScoped
public class Outbox {
    private final ObjectMapper json;
    private final OutboxConfig config;
    private final OutboxRelay relay;

    public Outbox(ObjectMapper json, OutboxConfig config, OutboxRelay relay) {
        this.json = json;
        this.config = config;
        this.relay = relay;
    }

    /** Runs {@code work} in a reactive transaction and nudges the relay once it has committed. */
    public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(ignored -> relay.wakeUp());
    }

    /**
     * Appends an event for an aggregate. Must run inside the transaction that changes the aggregate.
     *
     * @param sequence the aggregate's event sequence number for this event (1, 2, ...)
     */
    public Uni<OutboxEntry> append(EventType type, String aggregateId, long sequence, Instant occurredAt,
            Object payload) {
        OutboxEntry entry = new OutboxEntry();
        entry.id = UUID.randomUUID();
        entry.aggregateType = config.aggregateType();
        entry.aggregateId = aggregateId;
        entry.sequence = sequence;
        entry.eventType = type.typeName();
        entry.topic = type.topic();
        entry.source = config.source();
        entry.dataSchema = type.schemaUri();
        entry.payload = serialise(payload);
        entry.occurredAt = occurredAt;
        return entry.persist();
    }

    private String serialise(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event payload cannot be serialised: " + payload.getClass().getName(), e);
        }
    }
}
