package io.livestage.transcription.event;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.events.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Creates {@code livestage.transcript} when missing (key = session id), as the other services create theirs. */
@ApplicationScoped
public class TopicSetup {
    private static final Logger LOG = Logger.getLogger(TopicSetup.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "livestage.transcription.topic-partitions", defaultValue = "6")
    int partitions;

    void onStart(@Observes StartupEvent event) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(Topics.TRANSCRIPT)) {
                admin.createTopics(List.of(new NewTopic(Topics.TRANSCRIPT, Optional.of(partitions), Optional.empty())))
                        .all().get(15, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create %s (%s); the outbox relay retries until it exists", Topics.TRANSCRIPT,
                        e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warnf("could not create %s (%s); the outbox relay retries until it exists", Topics.TRANSCRIPT, e.toString());
        }
    }
}
