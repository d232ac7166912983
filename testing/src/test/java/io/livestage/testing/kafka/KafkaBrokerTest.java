package io.livestage.testing.kafka;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTest {

    @Test
    void sharedBrokerIsPublishedForEveryClassloader() {
        KafkaBroker broker = KafkaBroker.shared();

        assertThat(broker.bootstrapServers()).isNotBlank();
        assertThat(System.getProperty(KafkaBroker.BOOTSTRAP_PROPERTY)).isEqualTo(broker.bootstrapServers());
        assertThat(KafkaBroker.shared()).isSameAs(broker);
        assertThat(new KafkaTestResource().start())
                .containsExactlyEntriesOf(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()));
    }

    @Test
    void createTopicIsIdempotentAndRefusesAnotherPartitionCount() {
        KafkaBroker broker = KafkaBroker.shared();
        String topic = "testing." + UUID.randomUUID();

        broker.createTopic(topic, 2);
        broker.createTopic(topic, 2);

        assertThatThrownBy(() -> broker.createTopic(topic, 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 2 partitions");
    }

    @Test
    void resourceCreatesTheTopicsItIsGivenBeforeTheApplicationStarts() throws Exception {
        String sixPartitions = "testing." + UUID.randomUUID();
        String defaultPartitions = "testing." + UUID.randomUUID();
        KafkaTestResource resource = new KafkaTestResource();
        resource.init(Map.of(KafkaTestResource.TOPICS_ARG, sixPartitions + ":6, " + defaultPartitions));

        resource.start();

        try (Admin admin = Admin.create(KafkaBroker.shared().clientProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(sixPartitions, defaultPartitions))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.get(sixPartitions).partitions()).hasSize(6);
            assertThat(topics.get(defaultPartitions).partitions()).hasSize(3);
        }
    }
}
