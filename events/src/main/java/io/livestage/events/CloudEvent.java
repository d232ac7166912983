package io.livestage.events;

import java.time.Instant;

/**
 * One CloudEvent as livestage publishes it: the context attributes (the {@code ce_*} Kafka headers) and the data
 * (the record value), read into {@code T}, the record of its {@code type} — for a consumer, the sealed interface of
 * the topic it reads.
 *
 * @param subject the session id (the Kafka key) on every topic but {@link Topics#LIVEKIT}, where it is the room name,
 *     and {@link Topics#PODCAST}, where it is the episode id
 * @param sequence the per-aggregate {@code ce_sequence}; null when the producer assigns none
 * @param requestId the {@code X-Request-Id} of the HTTP request that caused the event; null when none did
 * @param dataSchema the {@code ce_dataschema} URI; null when the producer sent none
 */
public record CloudEvent<T>(String id, String type, String source, String subject, Instant time, Long sequence,
        String requestId, String dataSchema, T data) {

    /** The same context attributes with other data, e.g. a payload already serialised (the outbox's). */
    public <U> CloudEvent<U> withData(U other) {
        return new CloudEvent<>(id, type, source, subject, time, sequence, requestId, dataSchema, other);
    }
}
