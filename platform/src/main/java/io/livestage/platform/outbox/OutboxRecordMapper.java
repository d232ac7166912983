package io.livestage.platform.outbox;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.livestage.events.CloudEvent;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.platform.tracing.EventTracing;

/**
 * An outbox row as a CloudEvents binary-mode Kafka record, keyed by the aggregate (one partition per aggregate): the
 * headers are written by the events codec, like every producer's, plus the row's W3C {@code traceparent}.
 */
final class OutboxRecordMapper {
    private OutboxRecordMapper() {
    }

    static ProducerRecord<String, byte[]> toRecord(PendingEvent event) {
        Headers headers = CloudEventCodec.headers(new CloudEvent<>(event.id().toString(), event.eventType(),
                event.source(), event.aggregateId(), event.occurredAt(), event.sequence(), event.requestId(),
                event.dataSchema(), null));
        if (event.traceparent() != null) {
            headers.add(EventTracing.TRACEPARENT, event.traceparent().getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(event.topic(), null, null, event.aggregateId(),
                event.payload().getBytes(StandardCharsets.UTF_8), headers);
    }
}
