package io.livestage.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.config.ConfigMapping;
import org.jboss.logging.Logger;

/**
 * Creates the topics a service names in {@code livestage.kafka.topics} at startup, sized by the catalogue. A broker that
 * is not up yet is not fatal: the outbox relay and the consumers retry until the topics exist.
 */
@ApplicationScoped
public class TopicSetup {

    private static final Logger LOG = Logger.getLogger(TopicSetup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** {@code livestage.kafka.*}: the topics this service creates when missing. */
    @ConfigMapping(prefix = "livestage.kafka")
    public interface Config {
        /** Topic names from {@code io.livestage.events.Topics}; none: the service creates no topic itself. */
        Optional<List<String>> topics();
    }

    private final Config config;
    private final Map<String, Object> kafkaConfig;

    public TopicSetup(Config config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    void onStart(@Observes StartupEvent event) {
        List<String> topics = config.topics().orElse(List.of());
        if (topics.isEmpty()) {
            return;
        }
        try {
            List<String> created = TopicProvisioner.ensure(kafkaConfig, topics, TIMEOUT);
            if (!created.isEmpty()) {
                LOG.infof("Created topics %s", created);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Could not create topics %s (%s); the relay and consumers retry until they exist", topics,
                    e.toString());
        }
    }
}
