package io.livestage.chat.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.chat.room.PresenceBoard;
import io.livestage.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates chat's topics when missing ({@code livestage.chat.topic-partitions}, key = session id), as session-service
 * does its own, and {@code livestage.transcript} too: the feed reads it for captions, whichever service starts first.
 */
@ApplicationScoped
public class FeedTopics {
    private static final Logger LOG = Logger.getLogger(FeedTopics.class);
    private static final List<String> OWNED = List.of(Topics.CHAT, PresenceBoard.TOPIC, Topics.TRANSCRIPT);

    private final String bootstrapServers;
    private final int partitions;

    public FeedTopics(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "livestage.chat.topic-partitions", defaultValue = "6") int partitions) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = partitions;
    }

    /** Best effort: a broker that auto-creates topics still works when this fails. */
    void ensure() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : OWNED) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            LOG.warnf("could not check or create chat topics (%s); they will be auto-created if the broker allows it",
                    e.toString());
        }
    }
}
