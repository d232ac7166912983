package io.livestage.devstack;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The infrastructure part of the stack (embedded PostgreSQL + Kafka broker process) in a temp state dir on free ports:
 * a SQL round trip and a Kafka produce/consume round trip, then a restart (on other ports) that finds both again.
 */
class InfrastructureTest {

    private static final String TOPIC = "livestage.session";
    /** Unpacked once for all tests of the module (surefire runs in the module directory). */
    static final Path SHARED_POSTGRES_BINARIES = Path.of("target", "postgres-bin");

    @TempDir
    Path root;

    @Test
    void postgresAndKafkaWorkAndKeepTheirDataAcrossRestarts() throws Exception {
        String sessionId = UUID.randomUUID().toString();
        String clusterId;

        try (DevStack stack = DevStack.start(config(), progress())) {
            assertThat(stack.postgres().description()).startsWith("PostgreSQL 17");
            try (Connection c = stack.postgres().connect("livestage_session"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
                st.execute("INSERT INTO notes VALUES ('" + sessionId + "', 'written before the restart')");
                try (ResultSet rs = st.executeQuery("SELECT body FROM notes WHERE id = '" + sessionId + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("written before the restart");
                }
            }

            String bootstrap = stack.kafka().bootstrapServers();
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, sessionId, "{\"hello\":\"kafka\"}");
                record.headers().add("ce_type", "session.started".getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
            assertThat(consumeAll(bootstrap)).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(sessionId);
                assertThat(r.value()).isEqualTo("{\"hello\":\"kafka\"}");
                assertThat(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                        .isEqualTo("session.started");
            });
            clusterId = stack.kafka().clusterId();
        }

        // stopped: nothing of ours is left running
        assertThat(Files.list(root.resolve("state/pids")).toList()).isEmpty();
        assertThat(EmbeddedPostgresNode.leftoverServer(root.resolve("state/postgres"))).isEmpty();

        // second run on other ports: server.properties is rewritten, the data is reused
        try (DevStack stack = DevStack.start(config(), progress())) {
            try (Connection c = stack.postgres().connect("livestage_session"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT body FROM notes WHERE id = '" + sessionId + "'")) {
                assertThat(rs.next()).as("row written before the restart").isTrue();
                assertThat(rs.getString(1)).isEqualTo("written before the restart");
            }
            assertThat(stack.kafka().clusterId()).isEqualTo(clusterId);
            try (Admin admin = stack.kafka().admin()) {
                TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
                assertThat(topic.partitions()).hasSize(6);
            }
            assertThat(consumeAll(stack.kafka().bootstrapServers()))
                    .as("record produced before the restart")
                    .anySatisfy(r -> assertThat(r.key()).isEqualTo(sessionId));
        }
    }

    private DevStackConfig config() {
        return DevStackConfig.builder(root)
                .stateDir(root.resolve("state"))
                .postgresPort(Ports.freePort())
                .postgresBinariesDir(SHARED_POSTGRES_BINARIES)
                .kafkaPort(Ports.freePort())
                .kafkaControllerPort(Ports.freePort())
                .kafkaJvmOptions(List.of("-Xms128m", "-Xmx512m"))
                // PostgreSQL and Kafka only; Keycloak is covered by FullStackTest (one start per test run)
                .keycloak(false)
                .services(List.of())
                .build();
    }

    static Progress progress() {
        return new Progress(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
    }

    /** Everything on the topic, read from the beginning by a fresh consumer group. */
    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "devstack-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
