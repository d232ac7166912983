package io.livestage.testing.kafka;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Last-resort Kafka in a container. Testcontainers is an optional dependency of this module, so every reference to
 * it stays in this class, which {@link KafkaBroker} loads only after finding Testcontainers by name.
 */
final class DockerKafka {

    private DockerKafka() {
    }

    /** True when a Docker engine answers. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError unusable) {
            return false;
        }
    }

    /** Starts a broker of the same Kafka version as our clients and returns its bootstrap address. */
    @SuppressWarnings("resource") // stopped by the shutdown hook (and by Testcontainers' reaper)
    static String start() {
        KafkaContainer container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
                .withEnv("KAFKA_NUM_PARTITIONS", "3")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "livestage-kafka-container-stop"));
        return container.getBootstrapServers();
    }
}
