package io.livestage.platform.outbox;

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

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;

import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;

/**
 * A service database with the platform's schema (its Flyway scripts), a fresh topic on the test broker, and outbox
 * relays built as the services build them, without Quarkus. Rows are written with the platform's one insert.
 */
final class RelayTestBed implements AutoCloseable {
    private final TestDatabase database;
    private final String topic;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<AgroalDataSource> pools = new ArrayList<>();

    RelayTestBed(String name, int partitions) {
        database = TestPostgres.shared().createDatabase(name);
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/platform").load().migrate();
        topic = "livestage.test.outbox-" + UUID.randomUUID();
        KafkaBroker.shared().createTopic(topic, partitions);
    }

    /** A relay on its own connection pool, not started; {@code pollInterval} as in {@code livestage.outbox.relay}. */
    OutboxRelay relay(Duration pollInterval) {
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
        OutboxRelay relay = new OutboxRelay(pool, new TestOutboxConfig(pollInterval), kafka, new SimpleMeterRegistry());
        relays.add(relay);
        return relay;
    }

    /** Commits one event through {@code livestage_outbox_append}, as a service's transaction would. */
    void append(UUID id, String aggregate, long sequence) throws SQLException {
        try (Connection c = TestPostgres.shared().open(database); PreparedStatement s = c.prepareStatement(
                "select livestage_outbox_append(?, 'test', ?, ?, 'test.happened', ?, '/livestage/test', null, ?, ?, "
                        + "?)")) {
            s.setObject(1, id);
            s.setString(2, aggregate);
            s.setLong(3, sequence);
            s.setString(4, topic);
            s.setString(5, "{\"n\":" + sequence + "}");
            s.setObject(6, OffsetDateTime.now());
            s.setString(7, "req-" + sequence + "-test");
            s.execute();
        }
    }

    void append(String aggregate, long sequence) throws SQLException {
        append(UUID.randomUUID(), aggregate, sequence);
    }

    /** Rows still in the outbox (the relay deletes a row once Kafka acknowledged it). */
    long pending() throws SQLException {
        try (Connection c = TestPostgres.shared().open(database);
                PreparedStatement s = c.prepareStatement("select count(*) from outbox");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Reads the topic from its start until {@code count} records arrived (or {@code timeout} passed), then half a
     * second more, so a record beyond {@code count} (a duplicate) shows up too.
     */
    List<ConsumerRecord<String, byte[]>> consume(int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            return out;
        }
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        relays.forEach(OutboxRelay::stop);
        pools.forEach(AgroalDataSource::close);
    }

    /** The relay's settings as the services have them, but the poll interval. */
    private record TestOutboxConfig(Duration pollInterval) implements OutboxConfig {
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
            Duration poll = pollInterval;
            return new Relay() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public Duration pollInterval() {
                    return poll;
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
