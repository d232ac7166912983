package io.livestage.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.livestage.events.Topics;
import io.livestage.events.kafka.KafkaTopics;
import io.livestage.infra.kafka.SingleNodeKafka;
import io.livestage.testing.JvmWide;

/**
 * One real Kafka broker per test JVM, shared by every test class and every Quarkus classloader.
 * <p>
 * Resolution order: {@value #BOOTSTRAP_ENV} (an external broker) → an in-JVM KRaft broker from Kafka's own test kit.
 * The chosen address is published in the system property {@value #BOOTSTRAP_PROPERTY}, so a second copy of
 * this class in another classloader reuses the broker instead of starting another one.
 */
public final class KafkaBroker {

    /** Environment variable naming an external broker; the same name the services read in production. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /** JVM-wide publication of the shared broker's address; system properties are visible to every classloader. */
    public static final String BOOTSTRAP_PROPERTY = "livestage.test.kafka.bootstrap";

    private static final System.Logger LOG = System.getLogger(KafkaBroker.class.getName());
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final JvmWide<KafkaBroker> SHARED = new JvmWide<>(BOOTSTRAP_PROPERTY,
            published -> new KafkaBroker(published, "published by " + BOOTSTRAP_PROPERTY), KafkaBroker::resolve,
            KafkaBroker::bootstrapServers);

    private final String bootstrapServers;
    private final String origin;

    private KafkaBroker(String bootstrapServers, String origin) {
        this.bootstrapServers = bootstrapServers;
        this.origin = origin;
    }

    /** The broker of this JVM, started on first use and closed by a shutdown hook. */
    public static KafkaBroker shared() {
        return SHARED.get();
    }

    private static KafkaBroker resolve() {
        String external = System.getenv(BOOTSTRAP_ENV);
        KafkaBroker broker = external != null && !external.isBlank()
                ? new KafkaBroker(external.trim(), "external, from " + BOOTSTRAP_ENV)
                : startLocal();
        LOG.log(Level.INFO, "Kafka for tests at {0} ({1})", broker.bootstrapServers, broker.origin);
        return broker;
    }

    private static KafkaBroker startLocal() {
        try {
            return new KafkaBroker(InJvmKafka.start(), "in-JVM KRaft broker");
        } catch (RuntimeException | LinkageError inJvmFailure) {
            throw new IllegalStateException("Could not start the in-JVM Kafka broker. Set " + BOOTSTRAP_ENV
                    + " to use an external broker.", inJvmFailure);
        }
    }

    /** Address for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Fresh client properties pointing at this broker, for producers, consumers and admin clients in tests. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /**
     * Creates the topic unless it exists, then waits until every partition has a leader, so a test can produce
     * at once. Fails if the topic exists with another partition count: key-to-partition mapping would silently differ.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(clientProperties())) {
            // Broker default replication factor: 1 on the in-JVM broker, whatever an external cluster prefers.
            KafkaTopics.Ensured topic = KafkaTopics.ensure(admin, name, partitions, ADMIN_TIMEOUT);
            if (topic.partitions() != partitions) {
                throw new IllegalStateException("Topic " + name + " already exists with " + topic.partitions()
                        + " partitions, not " + partitions
                        + "; create it before anything produces to it (auto-created topics get num.partitions)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name + " on " + bootstrapServers, e);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + ", " + origin + "]";
    }

    /** The in-JVM broker; a nested class so its test-kit types load only when it is really started. */
    private static final class InJvmKafka {

        static String start() {
            Path baseDirectory;
            try {
                baseDirectory = Files.createTempDirectory("livestage-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KafkaClusterTestKit cluster = null;
            try {
                TestKitNodes nodes = new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumControllerNodes(1)
                        .setNumBrokerNodes(1)
                        .setBaseDirectory(baseDirectory)
                        .build();
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
                // Auto-created topics get the catalogue's partition count (a consumer that subscribes first creates one);
                // fewer internal partitions than the local stack: the first consumer group is ready sooner.
                SingleNodeKafka.brokerSettings(Topics.PARTITIONS, 5).forEach(builder::setConfigProp);
                cluster = builder.build();
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                String bootstrap = cluster.bootstrapServers();
                Runtime.getRuntime().addShutdownHook(new Thread(closer(cluster, baseDirectory), "livestage-kafka-stop"));
                return bootstrap;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(cluster, baseDirectory);
                throw new IllegalStateException("Interrupted while starting the in-JVM Kafka broker", e);
            } catch (Exception e) {
                closeQuietly(cluster, baseDirectory);
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
        }

        private static Runnable closer(KafkaClusterTestKit cluster, Path baseDirectory) {
            return () -> closeQuietly(cluster, baseDirectory);
        }

        /** Best effort at JVM exit: the classloader may already be closed, so the directory goes with JDK code only. */
        private static void closeQuietly(KafkaClusterTestKit cluster, Path baseDirectory) {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } catch (Throwable ignored) {
                // The JVM is going away or the start already failed; the broker threads die with it.
            }
            deleteRecursively(baseDirectory);
        }
    }

    static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Leftovers live under java.io.tmpdir; nothing else depends on them.
        }
    }
}
