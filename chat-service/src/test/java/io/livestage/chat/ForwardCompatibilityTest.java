package io.livestage.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.kafka.EventReader;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events compatibility rule, on the real broker: chat-service's session projection skips and counts an event type
 * it does not know (no dead letter), reads an event that carries fields it does not know, and goes on in order.
 */
@QuarkusTest
class ForwardCompatibilityTest extends ChatServiceTestBase {
    private static final String CONSUMER = "chat-service.session-projection";
    private static final String DEAD_LETTERS = "livestage.session.dlq.chat-service";
    private static final String UNKNOWN_TYPE = "session.paused";

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    private final CloudEventCodec codec = new CloudEventCodec();

    @Test
    void anUnknownTypeIsSkippedAndCountedAndAnUnknownFieldIsIgnored() throws Exception {
        String session = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        double unknownBefore = unknownCount();
        KafkaBroker kafka = KafkaBroker.shared();
        try (EventProbe deadLetters = EventProbe.from(kafka.bootstrapServers(), DEAD_LETTERS);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                        new StringSerializer(), new ByteArraySerializer())) {
            ObjectNode paused = json.createObjectNode().put("sessionId", session).put("minutes", 5);
            producer.send(codec.encode(Topics.SESSION, event(UNKNOWN_TYPE, session, now, 1, paused))).get();

            ObjectNode started = json.valueToTree(new SessionStarted(snapshot(session, now)));
            started.put("addedLater", "a field of a newer producer");
            ((ObjectNode) started.get("session")).put("region", "eu");
            ((ObjectNode) started.get("session").get("settings")).put("slowModeDefault", 3);
            producer.send(codec.encode(Topics.SESSION,
                    event(EventType.SESSION_STARTED.typeName(), session, now, 2, started))).get();

            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(count(
                    "select count(*) from chat_rooms where session_id = '" + session
                            + "' and status = 'ACTIVE' and session_seq = 2 and title = 'Compatible'"))
                    .as("the session.started after the unknown event is applied").isEqualTo(1));
            assertThat(unknownCount()).as(EventReader.UNKNOWN + " of " + CONSUMER).isGreaterThan(unknownBefore);
            deadLetters.assertNone(e -> session.equals(e.key()), Duration.ofSeconds(2));
        }
    }

    private double unknownCount() {
        Counter counter = registry.find(EventReader.UNKNOWN).tag("consumer", CONSUMER).tag("type", UNKNOWN_TYPE)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static CloudEvent<Object> event(String type, String session, Instant time, long sequence, Object data) {
        return new CloudEvent<>(UUID.randomUUID().toString(), type, "/livestage/test", session, time, sequence, null,
                null, data);
    }

    private static SessionSnapshot snapshot(String session, Instant now) {
        return new SessionSnapshot(session, "compat-" + session.substring(0, 8), "Compatible", null, "u-host", null,
                SessionKind.AUDIO, SessionVisibility.PUBLIC, SessionStatus.ACTIVE, null, now, null, now,
                new SessionSettings(100, true, true, 6, true, true, true, false, false, false));
    }
}
