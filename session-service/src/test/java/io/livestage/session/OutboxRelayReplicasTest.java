package io.livestage.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.livestage.events.CloudEventHeaders;
import io.livestage.platform.outbox.OutboxConfig;
import io.livestage.platform.outbox.OutboxRelay;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The outbox relay with two replicas on one database (real PostgreSQL, real Kafka, the relay as the services run it,
 * without Quarkus): the relay polls only once an hour here, so every row must leave because a commit woke a relay,
 * whichever replica it was committed on and whichever replica holds the relay lock at that moment. Every event
 * arrives, each aggregate's in sequence order, none twice, and the outbox ends empty; when the publishing replica
 * stops, the other takes over. (The narrow race the publishing replica's second look after letting go of the lock
 * closes is not forced here: no test hook makes it happen on demand.)
 */
class OutboxRelayReplicasTest {
    private static final int AGGREGATES = 6;
    private static final int EVENTS_PER_AGGREGATE = 150;

    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<AgroalDataSource> pools = new ArrayList<>();
    private TestDatabase database;
    private String topic;

    @BeforeEach
    void database() {
        database = TestPostgres.shared().createDatabase("outbox_replicas");
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/platform").load().migrate();
        topic = "livestage.test.outbox-" + UUID.randomUUID();
        KafkaBroker.shared().createTopic(topic, 3);
    }

    @AfterEach
    void stop() {
        relays.forEach(OutboxRelay::stop);
        pools.forEach(AgroalDataSource::close);
    }

    @Test
    void commitsOnEitherReplicaArePublishedInOrderOnceWithoutWaitingForAPoll() throws Exception {
        OutboxRelay a = relay();
        OutboxRelay b = relay();
        List<String> aggregates = aggregates();
        // writers commit each aggregate's events in sequence, on either replica at random, and wake that replica
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> done = new ArrayList<>();
        for (String aggregate : aggregates) {
            done.add(writers.submit(() -> {
                for (int seq = 1; seq <= EVENTS_PER_AGGREGATE; seq++) {
                    insert(aggregate, seq);
                    (ThreadLocalRandom.current().nextBoolean() ? a : b).wakeUp();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        Map<String, List<Long>> received = consume(aggregates.size() * EVENTS_PER_AGGREGATE, Duration.ofSeconds(60));
        for (String aggregate : aggregates) {
            assertThat(received.get(aggregate)).as("events of %s in partition order", aggregate)
                    .containsExactlyElementsOf(sequence(1, EVENTS_PER_AGGREGATE));
        }
        assertThat(pending()).isZero();
    }

    @Test
    void whenThePublishingReplicaStopsTheOtherTakesOver() throws Exception {
        OutboxRelay a = relay();
        OutboxRelay b = relay();
        List<String> aggregates = aggregates().subList(0, 2);
        for (String aggregate : aggregates) {
            for (int seq = 1; seq <= 50; seq++) {
                insert(aggregate, seq);
            }
        }
        a.wakeUp();
        Map<String, List<Long>> first = consume(100, Duration.ofSeconds(30));
        assertThat(first.values()).allSatisfy(seqs -> assertThat(seqs).hasSize(50));
        a.stop();
        for (String aggregate : aggregates) {
            for (int seq = 51; seq <= 100; seq++) {
                insert(aggregate, seq);
            }
        }
        b.wakeUp();
        Map<String, List<Long>> all = consume(200, Duration.ofSeconds(30));
        for (String aggregate : aggregates) {
            assertThat(all.get(aggregate)).containsExactlyElementsOf(sequence(1, 100));
        }
        assertThat(pending()).isZero();
    }

    private List<String> aggregates() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < AGGREGATES; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static List<Long> sequence(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    private OutboxRelay relay() {
        AgroalDataSource pool;
        try {
            pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(cp -> cp
                    .maxSize(4).connectionFactoryConfiguration(cf -> cf.jdbcUrl(database.jdbcUrl())
                            .principal(new NamePrincipal(database.username()))
                            .credential(new SimplePassword(database.password())))));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        pools.add(pool);
        Map<String, Object> kafka = new HashMap<>();
        kafka.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        OutboxRelay relay = new OutboxRelay(pool, new Config(), kafka, new SimpleMeterRegistry());
        relay.start();
        relays.add(relay);
        return relay;
    }

    private void insert(String aggregate, long seq) throws SQLException {
        try (Connection c = TestPostgres.shared().open(database); PreparedStatement s = c.prepareStatement(
                "insert into outbox (id, aggregate_type, aggregate_id, sequence, event_type, topic, source, payload, "
                        + "occurred_at) values (?, 'test', ?, ?, 'test.happened', ?, '/livestage/test', ?, ?)")) {
            s.setObject(1, UUID.randomUUID());
            s.setString(2, aggregate);
            s.setLong(3, seq);
            s.setString(4, topic);
            s.setString(5, "{\"n\":" + seq + "}");
            s.setObject(6, OffsetDateTime.now());
            s.executeUpdate();
        }
    }

    private long pending() throws SQLException {
        try (Connection c = TestPostgres.shared().open(database);
                PreparedStatement s = c.prepareStatement("select count(*) from outbox");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads the topic from its start until {@code count} events arrived: ce_sequence per key, in partition order. */
    private Map<String, List<Long>> consume(int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, List<Long>> out = new HashMap<>();
            int seen = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(CloudEventHeaders.SEQUENCE);
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(Long.parseLong(new String(h.value(), StandardCharsets.UTF_8)));
                    seen++;
                }
            }
            // anything beyond count would be a duplicate: give it a moment to show up
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(-1L);
            }
            return out;
        }
    }

    /** The relay's settings as the services have them, except the poll: once an hour, so only wake-ups count. */
    private static final class Config implements OutboxConfig {
        @Override
        public String source() {
            return "/livestage/test";
        }

        @Override
        public String aggregateType() {
            return "test";
        }

        @Override
        public Relay relay() {
            return new Relay() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public Duration pollInterval() {
                    return Duration.ofHours(1);
                }

                @Override
                public int batchSize() {
                    return 500;
                }

                @Override
                public Duration sendTimeout() {
                    return Duration.ofSeconds(10);
                }

                @Override
                public Duration backoff() {
                    return Duration.ofMillis(200);
                }

                @Override
                public Duration maxBackoff() {
                    return Duration.ofSeconds(10);
                }
            };
        }
    }
}
