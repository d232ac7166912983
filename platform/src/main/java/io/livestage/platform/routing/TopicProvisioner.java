package io.livestage.platform.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a service writes to or reads from when they are missing (broker's replication factor). */
final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** Returns the topics it created; throws when the broker did not answer within {@code timeout}. */
    static List<String> ensure(Map<String, Object> kafkaConfig, Collection<String> topics, int partitions,
            Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "livestage-topic-provisioner");
        try (Admin admin = Admin.create(onlyAdminKeys(props))) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                }
            }
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        }
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
