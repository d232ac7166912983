package io.livestage.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.livestage.events.Topics;
import io.livestage.events.kafka.KafkaTopics;

/**
 * Creates the topics a service writes to or reads from when they are missing, with the catalogue's partition count
 * ({@link Topics#PARTITIONS}) and the broker's replication factor, from the service's own Kafka configuration.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** Returns the topics it created; throws when the broker did not answer within {@code timeout}. */
    public static List<String> ensure(Map<String, Object> kafkaConfig, Collection<String> topics, Duration timeout)
            throws InterruptedException, TimeoutException {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "livestage-topic-provisioner");
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(onlyAdminKeys(props))) {
            for (String topic : topics) {
                if (KafkaTopics.ensure(admin, topic, Topics.PARTITIONS, timeout).created()) {
                    created.add(topic);
                }
            }
        }
        return created;
    }

    /** The admin client warns about every producer or consumer key in the shared Kafka configuration. */
    private static Map<String, Object> onlyAdminKeys(Map<String, Object> props) {
        Map<String, Object> admin = new HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        props.forEach((key, value) -> {
            if (known.contains(key)) {
                admin.put(key, value);
            }
        });
        return admin;
    }
}
