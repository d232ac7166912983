package io.livestage.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/** An outbox row the relay read and has not seen acknowledged yet. */
record PendingEvent(UUID id, String aggregateId, long sequence, String eventType, String topic, String source,
        String dataSchema, String payload, Instant occurredAt, String requestId, String traceparent) {
}
