package io.livestage.chat.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.chat.room.PresenceBoard;
import io.livestage.events.Topics;

/**
 * Every instance's view of what happens in every room: a Kafka consumer without a group, assigned to all partitions
 * of {@code livestage.chat}, {@code livestage.session}, {@code livestage.transcript} and the presence topic from their
 * end, so each instance sees every event once and hands it to {@link FeedRouter}, which delivers it to this instance's
 * sockets. Runs on its own thread; never on an event loop.
 *
 * <p>Not {@code @Incoming}: a per-instance group's rebalance restarts uncommitted partitions at the end, dropping events.
 */
@ApplicationScoped
public class RoomFeed implements Runnable {
    private static final Logger LOG = Logger.getLogger(RoomFeed.class);
    private static final List<String> TOPICS = List.of(Topics.CHAT, Topics.SESSION, PresenceBoard.TOPIC, Topics.TRANSCRIPT,
            Topics.RECORDING);

    private final FeedTopics topics;
    private final FeedRouter router;
    private final String instance;
    private final String bootstrapServers;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile Instant lastPoll = Instant.EPOCH;

    public RoomFeed(FeedTopics topics, FeedRouter router, PresenceBoard presence,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.topics = topics;
        this.router = router;
        this.instance = presence.instance();
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts with the application, once chat's topics exist. */
    void onStart(@Observes StartupEvent event) {
        topics.ensure();
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chat-service-feed-" + instance);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this, "chat-room-feed");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the feed is assigned to its topics and polled within the last few seconds. */
    public boolean healthy() {
        return running && assigned && Duration.between(lastPoll, Instant.now()).toSeconds() < 10;
    }

    @Override
    public void run() {
        Set<TopicPartition> assignment = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    refreshAssignment(assignment);
                    nextRefresh = System.nanoTime() + Duration.ofSeconds(assignment.isEmpty() ? 1 : 5).toNanos();
                }
                if (assignment.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                var records = consumer.poll(Duration.ofMillis(100));
                lastPoll = Instant.now();
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        router.route(record);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "room feed could not handle the record at %s-%d@%d", record.topic(),
                                record.partition(), record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.warn("room feed woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("room feed stopped", e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of the topics; partitions seen at start are read from their end, later ones from their start. */
    private void refreshAssignment(Set<TopicPartition> assignment) {
        boolean first = !assigned;
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions != null) {
                partitions.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        List<TopicPartition> added = all.stream().filter(p -> !assignment.contains(p)).toList();
        if (added.isEmpty()) {
            assigned = assigned || !assignment.isEmpty();
            return;
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition p : assignment) {
            positions.put(p, consumer.position(p));
        }
        assignment.addAll(added);
        consumer.assign(assignment);
        positions.forEach(consumer::seek);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added);
        }
        added.forEach(consumer::position);
        assigned = true;
        LOG.debugf("room feed assigned %d partitions (%d new)", assignment.size(), added.size());
    }
}
