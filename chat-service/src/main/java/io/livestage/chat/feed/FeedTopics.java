package io.livestage.chat.feed;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;
import org.jboss.logging.Logger;

import io.livestage.events.Topics;
import io.livestage.platform.kafka.TopicProvisioner;

/**
 * Creates the topics the feed assigns itself to before it starts (chat's own, and {@code livestage.transcript} and
 * {@code livestage.recording} too: the feed reads them for captions and recording frames, whichever service starts
 * first), sized by the catalogue.
 */
@ApplicationScoped
public class FeedTopics {
    private static final Logger LOG = Logger.getLogger(FeedTopics.class);
    private static final List<String> OWNED = List.of(Topics.CHAT, Topics.CHAT_PRESENCE, Topics.TRANSCRIPT,
            Topics.RECORDING);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Object> kafkaConfig;

    public FeedTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    /** Best effort: a broker that auto-creates topics still works when this fails. */
    void ensure() {
        try {
            TopicProvisioner.ensure(kafkaConfig, OWNED, TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("could not check or create chat topics (%s); they will be auto-created if the broker allows it",
                    e.toString());
        }
    }
}
