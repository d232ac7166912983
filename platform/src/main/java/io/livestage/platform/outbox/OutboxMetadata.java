package io.livestage.platform.outbox;

import java.util.UUID;

/**
 * The columns of an outbox row the platform fills in (everything but the aggregate id, sequence, payload and time),
 * for a service whose own SQL function appends the row through {@code livestage_outbox_append}.
 *
 * @param id the event id ({@code ce_id}), new for each event
 * @param requestId the X-Request-Id of the request that caused the event, or null
 * @param traceparent the W3C trace context of the span that made the change, or null (tracing off)
 */
public record OutboxMetadata(UUID id, String aggregateType, String eventType, String topic, String source,
        String dataSchema, String requestId, String traceparent) {
}
