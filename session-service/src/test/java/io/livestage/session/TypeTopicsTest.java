package io.livestage.session;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.Topics;
import io.livestage.platform.outbox.OutboxRelay;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A downstream team subscribes to the topic {@code session.started} with a plain {@link KafkaConsumer} and sees every
 * start exactly once, although the relay crashed after Kafka acknowledged the events and before it deleted them, so
 * the aggregate topic {@code livestage.session} carries each of them twice.
 */
@QuarkusTest
@TestProfile(TypeTopicsTest.RouterOnRelayByHand.class)
class TypeTopicsTest {
    private static final int SESSIONS = 5;

    /** The relay runs when the test says so; the type router runs as in production. */
    public static class RouterOnRelayByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("livestage.outbox.relay.enabled", "false", "livestage.type-router.topics", Topics.SESSION);
        }
    }

    @Inject
    OutboxRelay relay;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyStartReachesTheSessionStartedTopicOnceAfterARelayCrash() throws Exception {
        try (KafkaConsumer<String, byte[]> downstream = downstreamConsumer("session.started");
                EventProbe aggregate = Api.sessionEvents()) {
            String host = newUser("downstream");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String id = createdId(host, audioRoom("Routed " + i));
                action(host, id, "start").then().statusCode(200);
                ids.add(id);
            }
            keepCopyOfOutbox(ids);
            relay.drainOnce();
            // The crash: Kafka acknowledged every row, the deletes were lost, the restarted relay sends them again.
            restoreCopyOfOutbox();
            relay.drainOnce();
            List<ReceivedEvent> logged = aggregate.awaitCount(
                    e -> "session.started".equals(e.type()) && ids.contains(e.subject()), 2 * SESSIONS,
                    Duration.ofSeconds(20));
            assertThat(logged).hasSize(2 * SESSIONS);

            Map<String, Integer> starts = new HashMap<>();
            long quietUntil = Long.MAX_VALUE;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> record : downstream.poll(Duration.ofMillis(200))) {
                    if (ids.contains(record.key())) {
                        starts.merge(record.key(), 1, Integer::sum);
                        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("session.started");
                    }
                }
                if (starts.size() == SESSIONS && quietUntil == Long.MAX_VALUE) {
                    // every start arrived: keep listening a while for a copy that should not come
                    quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
            assertThat(starts).containsOnlyKeys(ids).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        }
    }

    private static KafkaConsumer<String, byte[]> downstreamConsumer(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "downstream-team-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(Set.of(topic));
        return consumer;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void keepCopyOfOutbox(List<String> ids) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "create table outbox_before_crash as select * from outbox where aggregate_id = any(?)")) {
            s.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            s.execute();
        }
    }

    private void restoreCopyOfOutbox() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("insert into outbox overriding system value select * from outbox_before_crash"))
                    .isEqualTo(2 * SESSIONS);
            s.execute("drop table outbox_before_crash");
        }
    }
}
