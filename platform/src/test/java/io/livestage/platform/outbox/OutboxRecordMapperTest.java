package io.livestage.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An outbox row becomes a CloudEvents binary-mode Kafka record keyed by the aggregate. */
class OutboxRecordMapperTest {

    @Test
    void rowBecomesBinaryModeCloudEvent() {
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-21T18:00:00.123456Z");
        PendingEvent row = new PendingEvent(id, "session-1", 7, "session.started",
                "livestage.session", "/livestage/session-service", "https://livestage.io/schemas/session.started.json",
                "{\"session\":{}}", at, "req-0001-abcd", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        ProducerRecord<String, byte[]> record = OutboxRecordMapper.toRecord(row);

        assertThat(record.topic()).isEqualTo("livestage.session");
        assertThat(record.key()).isEqualTo("session-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"session\":{}}");
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            assertThat(headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)))
                    .as("header %s appears once", header.key()).isNull();
        }
        assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", id.toString()),
                Map.entry("ce_type", "session.started"),
                Map.entry("ce_source", "/livestage/session-service"),
                Map.entry("ce_subject", "session-1"),
                Map.entry("ce_time", "2026-11-21T18:00:00.123456Z"),
                Map.entry("ce_sequence", "7"),
                Map.entry("ce_dataschema", "https://livestage.io/schemas/session.started.json"),
                Map.entry("ce_requestid", "req-0001-abcd"),
                Map.entry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                Map.entry("content-type", "application/json")));
    }

    @Test
    void anEventNoRequestCausedHasNoRequestIdHeader() {
        PendingEvent row = new PendingEvent(UUID.randomUUID(), "session-1", 1, "session.ended",
                "livestage.session", "/livestage/session-service", null, "{}", Instant.now(), null, null);
        assertThat(OutboxRecordMapper.toRecord(row).headers().lastHeader("ce_requestid")).isNull();
        assertThat(OutboxRecordMapper.toRecord(row).headers().lastHeader("traceparent")).isNull();
    }
}
