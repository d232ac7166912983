package io.livestage.platform.outbox;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.livestage.events.CloudEventHeaders;

/** An outbox row as a CloudEvents binary-mode Kafka record, keyed by the aggregate (one partition per aggregate). */
final class OutboxRecordMapper {
    private OutboxRecordMapper() {
    }

    static ProducerRecord<String, byte[]> toRecord(PendingEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(headers, CloudEventHeaders.ID, event.id().toString());
        header(headers, CloudEventHeaders.TYPE, event.eventType());
        header(headers, CloudEventHeaders.SOURCE, event.source());
        header(headers, CloudEventHeaders.SUBJECT, event.aggregateId());
        header(headers, CloudEventHeaders.TIME, event.occurredAt().toString());
        header(headers, CloudEventHeaders.SEQUENCE, Long.toString(event.sequence()));
        if (event.dataSchema() != null) {
            header(headers, CloudEventHeaders.DATA_SCHEMA, event.dataSchema());
        }
        if (event.requestId() != null) {
            header(headers, CloudEventHeaders.REQUEST_ID, event.requestId());
        }
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return new ProducerRecord<>(event.topic(), null, null, event.aggregateId(),
                event.payload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
