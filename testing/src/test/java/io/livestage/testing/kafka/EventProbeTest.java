package io.livestage.testing.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEventHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventProbeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static KafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.shared();
        Properties properties = broker.clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
    }

    @AfterAll
    static void closeProducer() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void probeReceivesAProducedEventWithItsCloudEventsHeadersDecoded() throws Exception {
        String topic = newTopic(3);
        String sessionId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            producer.send(cloudEvent(topic, sessionId, eventId, "session.started", 7,
                    "{\"sessionId\":\"" + sessionId + "\",\"title\":\"Launch\"}")).get();

            ReceivedEvent event = probe.await(e -> eventId.equals(e.id()), WAIT);

            assertThat(event.topic()).isEqualTo(topic);
            assertThat(event.key()).isEqualTo(sessionId);
            assertThat(event.type()).isEqualTo("session.started");
            assertThat(event.source()).isEqualTo("/session-service");
            assertThat(event.subject()).isEqualTo(sessionId);
            assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-01-02T03:04:05.678Z"));
            assertThat(event.sequence()).isEqualTo(7L);
            assertThat(event.dataSchema()).isEqualTo("https://livestage.io/schemas/session.started.json");
            assertThat(event.headers())
                    .containsEntry(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE)
                    .containsEntry(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
            assertThat(event.json().get("title").asText()).isEqualTo("Launch");
            assertThat(probe.all()).containsExactly(event);
        }
    }

    @Test
    void probeSeesOnlyEventsProducedAfterItWasCreated() throws Exception {
        String topic = newTopic(1);
        String sessionId = UUID.randomUUID().toString();
        producer.send(cloudEvent(topic, sessionId, "before", "session.created", 1, "{}")).get();
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            producer.send(cloudEvent(topic, sessionId, "after", "session.started", 2, "{}")).get();

            probe.await(e -> "after".equals(e.id()), WAIT);

            assertThat(probe.all()).extracting(ReceivedEvent::id).containsExactly("after");
        }
    }

    @Test
    void probeOnATopicThatDoesNotExistYetHasTheBrokerCreateIt() throws Exception {
        String topic = "testing.auto." + UUID.randomUUID();
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            producer.send(cloudEvent(topic, "s-0", "first", "session.created", 1, "{}")).get();

            assertThat(probe.await(e -> "first".equals(e.id()), WAIT).topic()).isEqualTo(topic);
        }
    }

    @Test
    void awaitCountCollectsMatchesAcrossPartitionsInArrivalOrder() throws Exception {
        String topic = newTopic(3);
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            for (int i = 0; i < 6; i++) {
                producer.send(cloudEvent(topic, "session-" + i, "event-" + i, i % 2 == 0 ? "chat.message" : "chat.reaction",
                        i, "{}"));
            }
            producer.flush();

            assertThat(probe.awaitCount(e -> "chat.message".equals(e.type()), 3, WAIT))
                    .extracting(ReceivedEvent::id)
                    .containsExactlyInAnyOrder("event-0", "event-2", "event-4");
        }
    }

    @Test
    void assertNoneFailsWhenAMatchingEventArrives() throws Exception {
        String topic = newTopic(1);
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            producer.send(cloudEvent(topic, "s-1", "unwanted", "participant.removed", 1, "{}")).get();

            assertThatThrownBy(() -> probe.assertNone(e -> "participant.removed".equals(e.type()), WAIT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected no matching event")
                    .hasMessageContaining("unwanted");
            probe.assertNone(e -> "participant.muted".equals(e.type()), Duration.ofMillis(300));
        }
    }

    @Test
    void awaitFailsWithAListOfWhatWasReceived() throws Exception {
        String topic = newTopic(1);
        try (EventProbe probe = EventProbe.from(broker.bootstrapServers(), topic)) {
            producer.send(cloudEvent(topic, "s-2", "the-only-one", "guest.requested", 1, "{}")).get();
            probe.await(e -> "the-only-one".equals(e.id()), WAIT);

            assertThatThrownBy(() -> probe.await(e -> "guest.approved".equals(e.type()), Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("received 1 event(s)")
                    .hasMessageContaining("type=guest.requested")
                    .hasMessageContaining("id=the-only-one");
        }
    }

    private static String newTopic(int partitions) {
        String topic = "testing." + UUID.randomUUID();
        broker.createTopic(topic, partitions);
        return topic;
    }

    private static ProducerRecord<String, byte[]> cloudEvent(String topic, String sessionId, String id, String type,
            long sequence, String json) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, sessionId, json.getBytes(StandardCharsets.UTF_8));
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "/session-service");
        header(record, CloudEventHeaders.SUBJECT, sessionId);
        header(record, CloudEventHeaders.TIME, "2025-01-02T03:04:05.678Z");
        header(record, CloudEventHeaders.SEQUENCE, Long.toString(sequence));
        header(record, CloudEventHeaders.DATA_SCHEMA, "https://livestage.io/schemas/" + type + ".json");
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
