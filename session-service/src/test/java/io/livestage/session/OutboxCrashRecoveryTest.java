package io.livestage.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import io.livestage.platform.outbox.OutboxRelay;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox survives a crash at both dangerous points:
 * <ol>
 * <li>after the commit, before publishing: the app "dies" with the relay stopped; the event waits in the outbox and
 * is delivered once the relay runs again (a restart);</li>
 * <li>after publishing, before the row's delete committed: the relay republishes the same event (same ce_id) and an
 * idempotent consumer, deduplicating on ce_id, applies it once.</li>
 * </ol>
 */
@QuarkusTest
@TestProfile(OutboxCrashRecoveryTest.RelayStopped.class)
class OutboxCrashRecoveryTest {

    /** Boots the service with its relay off: commits happen, nothing is published until the test says so. */
    public static class RelayStopped implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livestage.outbox.relay.enabled", "false");
        }
    }

    @Inject
    OutboxRelay relay;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    HibernateOutbox outbox;

    /** The outbox's columns in the order of the platform's livestage_outbox_append, which restores a row. */
    private static final String COLUMNS = "id, aggregate_type, aggregate_id, sequence, event_type, topic, source, "
            + "data_schema, payload, occurred_at, request_id";

    /** Pending outbox rows of a session (the relay deletes a row once Kafka acknowledged it). */
    private List<String> outboxRows(String sessionId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id from outbox where aggregate_id = ?")) {
            s.setString(1, sessionId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private Object[] copyOfRow(String outboxId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from outbox where id = ?")) {
            s.setObject(1, UUID.fromString(outboxId));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Object[] values = new Object[11];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 1);
                }
                return values;
            }
        }
    }

    private void restoreRow(Object[] values) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select livestage_outbox_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.execute();
        }
        assertThat(outboxRows((String) values[2])).contains(values[0].toString());
    }

    @Test
    void committedEventIsDeliveredAfterRestartAndDeliveredTwiceIsAppliedOnce() throws Throwable {
        try (EventProbe events = Api.sessionEvents()) {
            String host = newUser("crash");
            String id = createdId(host, audioRoom("Survives crashes"));

            // 1. Committed, relay down: the event is in the outbox, not on Kafka.
            List<String> pending = outboxRows(id);
            assertThat(pending).hasSize(1);
            events.assertNone(e -> id.equals(e.subject()), Duration.ofSeconds(2));
            Object[] row = copyOfRow(pending.get(0));

            // Restart: the relay runs and delivers what was committed.
            assertThat(relay.drainOnce()).isGreaterThanOrEqualTo(1);
            ReceivedEvent delivered = events.await(e -> id.equals(e.subject()), Duration.ofSeconds(10));
            EventContract.assertValid(delivered);
            assertThat(delivered.id()).isEqualTo(pending.get(0));
            assertThat(outboxRows(id)).isEmpty();

            // 2. Crash after Kafka acknowledged but before the delete committed: the row is still there on restart.
            restoreRow(row);
            relay.drainOnce();
            List<ReceivedEvent> copies = events.awaitCount(e -> id.equals(e.subject()), 2, Duration.ofSeconds(10));
            assertThat(copies).extracting(ReceivedEvent::id).containsOnly(delivered.id());
            assertThat(copies.get(1).offset()).isGreaterThan(copies.get(0).offset());

            // A consumer that dedupes on ce_id applies the twice-delivered event once.
            int applied = 0;
            for (ReceivedEvent copy : copies) {
                boolean first = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                        () -> outbox.firstDelivery("session-projection-test", copy.id())));
                applied += first ? 1 : 0;
            }
            assertThat(applied).isEqualTo(1);
        }
    }

    @Test
    @RunOnVertxContext
    void idempotentConsumerAppliesARedeliveredEventOnce(UniAsserter asserter) {
        String eventId = UUID.randomUUID().toString();
        List<Boolean> applied = new ArrayList<>();
        for (int delivery = 0; delivery < 3; delivery++) {
            asserter.execute(() -> Panache.withTransaction(() -> outbox.firstDelivery("crash-test", eventId))
                    .invoke(applied::add));
        }
        asserter.execute(() -> Panache.withTransaction(() -> outbox.firstDelivery("other-consumer", eventId))
                .invoke(applied::add));
        asserter.execute(() -> assertThat(applied).containsExactly(true, false, false, true));
    }

    @Test
    @RunOnVertxContext
    void aTransactionRunsToItsEndWhenItsCallerGoesAway(UniAsserter asserter) {
        // A request cancelled at its timeout (the client went away) used to cancel its transaction half-way:
        // Hibernate Reactive closed the session under a live transaction (HR000090) and the work was lost.
        String eventId = UUID.randomUUID().toString();
        asserter.execute(() -> outbox.transaction(() -> later(Duration.ofMillis(150))
                .chain(() -> outbox.firstDelivery("cancel-test", eventId)))
                .subscribe().with(ignored -> {
                }).cancel());
        asserter.execute(() -> later(Duration.ofSeconds(1)));
        asserter.assertEquals(() -> outbox.transaction(() -> outbox.firstDelivery("cancel-test", eventId)), false);
    }

    /** Completes after {@code delay} on the caller's Vert.x context (where a Panache session lives). */
    private static Uni<Void> later(Duration delay) {
        return Uni.createFrom().emitter(emitter -> Vertx.currentContext().owner()
                .setTimer(delay.toMillis(), id -> emitter.complete(null)));
    }
}
