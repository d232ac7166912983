package io.livestage.events.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic creation, one way for the services, the tests' broker and the local stack: idempotent, and usable at once. */
public final class KafkaTopics {

    /** A topic after {@link #ensure}: whether this call created it, and its real partition count. */
    public record Ensured(String name, boolean created, int partitions) {
    }

    private KafkaTopics() {
    }

    /**
     * Creates the topic unless it exists (replication factor: the broker's default), then waits until every
     * partition has a leader, so a producer can write at once. The caller decides what a different partition count
     * of an existing topic means.
     */
    public static Ensured ensure(Admin admin, String name, int partitions, Duration timeout)
            throws InterruptedException, TimeoutException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        boolean created = true;
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
            created = false;
        }
        return new Ensured(name, created, awaitLeaders(admin, name, timeout).partitions().size());
    }

    private static TopicDescription awaitLeaders(Admin admin, String name, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(name);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return description;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + name, e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Partitions of " + name + " have no leader after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
