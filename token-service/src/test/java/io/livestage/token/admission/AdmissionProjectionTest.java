package io.livestage.token.admission;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEvent;
import io.livestage.events.Topics;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.testing.kafka.KafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission projection on the real broker and database: events produced to {@code livestage.session} as
 * session-service's outbox would, then redelivered out of date — the rows converge, a removal stays, a deleted
 * session stays deleted. Each replay is followed by a newer event of the same session (same partition), so once that
 * one is visible the replay was applied before it.
 */
@QuarkusTest
class AdmissionProjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Admission admission;
    @Inject
    Pool pool;

    private final CloudEventCodec codec = new CloudEventCodec();
    private KafkaProducer<String, byte[]> producer;
    private final String id = UUID.randomUUID().toString();
    private final String slug = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @BeforeEach
    void producer() {
        producer = new KafkaProducer<>(KafkaBroker.shared().clientProperties(), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void replaysConvergeRemovalsStickAndDeletedSessionsStayDeleted() {
        send(2, "session.started", new SessionStarted(session(SessionStatus.ACTIVE)));
        Admission.Known known = await("u1", k -> k != null && k.status() == SessionStatus.ACTIVE);
        assertThat(known.role()).as("never joined").isNull();
        assertThat(known.hostedBy("host-1")).isTrue();
        assertThat(known.kind()).isEqualTo(SessionKind.AUDIO);
        assertThat(admission.find(slug, "u1").await().atMost(WAIT).id()).as("by slug").isEqualTo(id);

        send(3, "participant.joined", new ParticipantJoined(participant("u1", ParticipantRole.VIEWER), false));
        send(4, "participant.joined", new ParticipantJoined(participant("u2", ParticipantRole.GUEST), false));
        await("u2", k -> k != null && k.role() == ParticipantRole.GUEST);
        send(5, "participant.removed", new ParticipantRemoved(participant("u1", ParticipantRole.VIEWER), "host-1"));
        await("u1", k -> k != null && k.removed());

        // redeliveries of older events: the join of u1 and the session's creation
        send(3, "participant.joined", new ParticipantJoined(participant("u1", ParticipantRole.VIEWER), false));
        send(1, "session.created", new SessionCreated(session(SessionStatus.SCHEDULED)));
        send(6, "participant.joined", new ParticipantJoined(participant("u3", ParticipantRole.VIEWER), false));
        await("u3", k -> k != null && k.role() == ParticipantRole.VIEWER);
        Admission.Known u1 = admission.find(id, "u1").await().atMost(WAIT);
        assertThat(u1.removed()).as("a removal is never undone").isTrue();
        assertThat(u1.status()).as("an older snapshot does not win").isEqualTo(SessionStatus.ACTIVE);
        assertThat(admission.removed(id, "u1").await().atMost(WAIT)).isTrue();
        assertThat(admission.removed(id, "u2").await().atMost(WAIT)).isFalse();

        send(7, "session.deleted", new SessionDeleted(session(SessionStatus.ENDED)));
        Awaitility.await().atMost(WAIT).until(() -> admission.find(id, "u1").await().atMost(WAIT) == null);
        send(2, "session.started", new SessionStarted(session(SessionStatus.ACTIVE)));
        send(8, "participant.joined", new ParticipantJoined(participant("u4", ParticipantRole.VIEWER), false));
        Awaitility.await().atMost(WAIT).until(() -> pool.preparedQuery(
                "select 1 from admission_participants where session_id = $1 and identity = 'u4'")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(WAIT).size() == 1);
        assertThat(admission.find(id, "u1").await().atMost(WAIT)).as("a deleted session is not revived").isNull();
        assertThat(admission.find(slug, null).await().atMost(WAIT)).isNull();
    }

    private Admission.Known await(String identity, java.util.function.Predicate<Admission.Known> until) {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> admission.find(id, identity).await().atMost(WAIT), until::test);
    }

    private void send(long sequence, String type, Object data) {
        CloudEvent<Object> event = new CloudEvent<>(UUID.randomUUID().toString(), type, "/livestage/session-service",
                id, Instant.now(), sequence, null, null, data);
        try {
            producer.send(codec.encode(Topics.SESSION, event)).get();
        } catch (Exception e) {
            throw new AssertionError("could not produce " + type, e);
        }
    }

    private SessionSnapshot session(SessionStatus status) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new SessionSnapshot(id, slug, "Projected", null, "host-1", null, SessionKind.AUDIO,
                SessionVisibility.PUBLIC, status, null, now, null, now, null);
    }

    private static ParticipantSnapshot participant(String identity, ParticipantRole role) {
        return new ParticipantSnapshot(identity, identity, identity, role, SessionKind.AUDIO, false, false,
                Instant.now(), null, 0);
    }
}
