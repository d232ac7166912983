package io.livestage.events.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.livestage.events.ChatEvent;
import io.livestage.events.CloudEvent;
import io.livestage.events.CloudEventHeaders;
import io.livestage.events.EventSamples;
import io.livestage.events.EventType;
import io.livestage.events.SessionEvent;
import io.livestage.events.Topics;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka record ⇄ CloudEvent: every catalogue type round-trips; unknown fields and unknown types do not fail. */
class CloudEventCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Instant TIME = Instant.parse("2026-11-21T18:00:00.123Z");

    private final CloudEventCodec codec = new CloudEventCodec();

    private static CloudEvent<Object> event(EventType type, Object data) {
        return new CloudEvent<>(UUID.randomUUID().toString(), type.typeName(), "/livestage/test",
                UUID.randomUUID().toString(), TIME, 7L, "req-1", type.schemaUri(), data);
    }

    /** What a consumer receives for a produced record. */
    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> produced) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 0L, produced.key(),
                produced.value());
        produced.headers().forEach(h -> record.headers().add(h));
        return record;
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String type, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, 0L, "s-1", value);
        if (type != null) {
            record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        record.headers().add(CloudEventHeaders.ID, "e-1".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void everyEventTypeRoundTripsAsItsTopicsSealedInterface() {
        EventSamples.samples().forEach((type, data) -> {
            Class<?> topicType = Topics.eventType(type.topic());
            assertThat(topicType).as(type.topic()).isNotNull();
            assertThat(topicType).as(type.typeName()).isAssignableFrom(type.payloadType());
            CloudEvent<Object> sent = event(type, data);

            Decoded<?> decoded = codec.decode(consumed(codec.encode(type.topic(), sent)), topicType);

            assertThat(decoded).as(type.typeName()).isInstanceOf(Decoded.Event.class);
            assertThat(((Decoded.Event<?>) decoded).event()).as(type.typeName()).isEqualTo(sent);
        });
    }

    @Test
    void headersFollowTheKafkaBindingAndLeaveOutWhatIsNotSet() {
        CloudEvent<Object> event = new CloudEvent<>("e-1", "session.started", "/session-service", "s-1", TIME, null,
                null, null, "ignored");

        var headers = CloudEventCodec.headers(event);

        assertThat(CloudEventCodec.text(headers, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(CloudEventCodec.text(headers, CloudEventHeaders.TIME)).isEqualTo("2026-11-21T18:00:00.123Z");
        assertThat(CloudEventCodec.text(headers, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(headers.lastHeader(CloudEventHeaders.SEQUENCE)).isNull();
        assertThat(headers.lastHeader(CloudEventHeaders.REQUEST_ID)).isNull();
        assertThat(headers.lastHeader(CloudEventHeaders.DATA_SCHEMA)).isNull();
        assertThat(headers.toArray()).extracting(Header::key).containsExactly("ce_specversion", "ce_id", "ce_type",
                "ce_source", "ce_subject", "ce_time", "content-type");
    }

    @Test
    void anEventWithFieldsThisVersionDoesNotKnowDecodes() {
        SessionStarted started = new SessionStarted(EventSamples.snapshot(SessionStatus.ACTIVE));
        ObjectNode data = JSON.valueToTree(started);
        data.put("addedLater", "a newer producer's field");
        ((ObjectNode) data.get("session")).putObject("alsoNew").put("depth", 2);
        ((ObjectNode) data.get("session").get("settings")).put("newSetting", true);
        ProducerRecord<String, byte[]> produced = codec.encode(Topics.SESSION,
                event(EventType.SESSION_STARTED, started));
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.SESSION, 0, 0L, produced.key(),
                data.toString().getBytes(StandardCharsets.UTF_8));
        produced.headers().forEach(h -> record.headers().add(h));

        Decoded<SessionEvent> decoded = codec.decode(record, SessionEvent.class);

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Event.class,
                e -> assertThat(e.event().data()).isEqualTo(started));
    }

    @Test
    void anEventOfATypeThisVersionDoesNotKnowDecodesToUnknown() {
        Decoded<SessionEvent> decoded = codec.decode(record(Topics.SESSION, "session.paused",
                "{\"whatever\":1}".getBytes(StandardCharsets.UTF_8)), SessionEvent.class);

        assertThat(decoded).isEqualTo(new Decoded.Unknown<>("session.paused", "e-1"));
    }

    @Test
    void aKnownTypeOfAnotherTopicIsUnknownToThisOne() {
        byte[] started = codec.data(new SessionStarted(EventSamples.snapshot(SessionStatus.ACTIVE)));

        assertThat(codec.decode(record(Topics.CHAT, "session.started", started), ChatEvent.class))
                .isEqualTo(new Decoded.Unknown<>("session.started", "e-1"));
    }

    @Test
    void aRecordWithoutTypeOrValueIsNotAnEvent() {
        assertThat(codec.decode(record(Topics.SESSION, null, new byte[] { '{', '}' }), SessionEvent.class))
                .isInstanceOf(Decoded.NotAnEvent.class);
        assertThat(codec.decode(record(Topics.SESSION, "session.started", null), SessionEvent.class))
                .isInstanceOf(Decoded.NotAnEvent.class);
    }

    @Test
    void unreadableDataOfAKnownTypeIsAFailure() {
        assertThatThrownBy(() -> codec.decode(record(Topics.SESSION, "session.started",
                "not json".getBytes(StandardCharsets.UTF_8)), SessionEvent.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("session.started");
    }
}
