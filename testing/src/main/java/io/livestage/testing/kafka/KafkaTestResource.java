package io.livestage.testing.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test application at the JVM's shared {@link KafkaBroker} through {@code kafka.bootstrap.servers}.
 * <p>
 * Optional init arg {@code topics}: comma-separated {@code name} or {@code name:partitions} (default 3), created
 * before the application starts so that its consumers see the partition count the test expects.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg listing topics to create up front. */
    public static final String TOPICS_ARG = "topics";
    private static final int DEFAULT_PARTITIONS = 3;

    private final List<String> topics = new ArrayList<>();

    /** Reads the optional {@code topics} list; the annotation's init args arrive before {@link #start()}. */
    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs.get(TOPICS_ARG);
        if (value != null) {
            for (String topic : value.split(",")) {
                if (!topic.isBlank()) {
                    topics.add(topic.trim());
                }
            }
        }
    }

    /** Starts (or reuses) the JVM's broker, creates the requested topics, and hands the address to Quarkus. */
    @Override
    public Map<String, String> start() {
        KafkaBroker broker = KafkaBroker.shared();
        for (String topic : topics) {
            int colon = topic.lastIndexOf(':');
            if (colon < 0) {
                broker.createTopic(topic, DEFAULT_PARTITIONS);
            } else {
                broker.createTopic(topic.substring(0, colon), Integer.parseInt(topic.substring(colon + 1).trim()));
            }
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    /** The broker outlives any one application: it belongs to the JVM and stops in a shutdown hook. */
    @Override
    public void stop() {
    }
}
