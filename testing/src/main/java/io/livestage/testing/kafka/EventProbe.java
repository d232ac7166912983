package io.livestage.testing.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches topics from "now" on and lets a test wait for, count or rule out events.
 * <p>
 * A real {@link KafkaConsumer} without a consumer group: it is assigned every partition and positioned at the end
 * before {@link #from} returns, so it sees exactly the records produced after it was created, never older ones and
 * never fewer. Records are collected by a background thread; the await methods inspect everything collected so far.
 */
public final class EventProbe implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final int LISTED_EVENTS = 50;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<String> topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final Object lock = new Object();
    private final List<ReceivedEvent> received = new ArrayList<>();
    private volatile boolean running = true;
    private Throwable failure;

    private EventProbe(List<String> topics, KafkaConsumer<String, byte[]> consumer, String name) {
        this.topics = topics;
        this.consumer = consumer;
        this.poller = new Thread(this::poll, name);
        this.poller.setDaemon(true);
    }

    /**
     * Starts watching the topics at their current end. A topic that does not exist yet is created by the broker's
     * auto-creation (with its default partition count); create it first with {@link KafkaBroker#createTopic} if the
     * count matters.
     */
    public static EventProbe from(String bootstrap, String... topics) {
        if (topics.length == 0) {
            throw new IllegalArgumentException("EventProbe needs at least one topic");
        }
        String name = "livestage-event-probe-" + COUNTER.incrementAndGet();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // What a downstream consumer sees: records of aborted transactions never count as events.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(partitionsOf(consumer, topic));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy; resolving every position now pins "the end" to the moment of creation.
            for (TopicPartition partition : partitions) {
                consumer.position(partition, METADATA_TIMEOUT);
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        EventProbe probe = new EventProbe(List.of(topics), consumer, name);
        probe.poller.start();
        return probe;
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<String, byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has no partitions after " + METADATA_TIMEOUT
                        + "; create it first (KafkaBroker.createTopic) or enable auto.create.topics.enable");
            }
            sleep(100);
        }
    }

    private void poll() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    synchronized (lock) {
                        for (ConsumerRecord<String, byte[]> record : records) {
                            received.add(ReceivedEvent.from(record));
                        }
                        lock.notifyAll();
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll up; nothing was lost.
        } catch (Throwable t) {
            synchronized (lock) {
                failure = t;
                lock.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Waits for the first event (already received or arriving) that matches; fails listing what did arrive. */
    public ReceivedEvent await(Predicate<ReceivedEvent> matcher, Duration timeout) {
        return awaitCount(matcher, 1, timeout).get(0);
    }

    /** Waits until {@code count} matching events arrived and returns the first {@code count} of them in order. */
    public List<ReceivedEvent> awaitCount(Predicate<ReceivedEvent> matcher, int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ReceivedEvent> matches = new ArrayList<>();
        int inspected = 0;
        synchronized (lock) {
            while (true) {
                for (; inspected < received.size() && matches.size() < count; inspected++) {
                    ReceivedEvent event = received.get(inspected);
                    if (matcher.test(event)) {
                        matches.add(event);
                    }
                }
                if (matches.size() == count) {
                    return List.copyOf(matches);
                }
                failIfBroken();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Expected " + count + " matching event(s) on " + topics + " within "
                            + timeout + " but " + matches.size() + " matched; " + describeReceived());
                }
                waitOnLock(left);
            }
        }
    }

    /** Watches for the whole duration and fails at once if a matching event is (or was already) received. */
    public void assertNone(Predicate<ReceivedEvent> matcher, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        int inspected = 0;
        synchronized (lock) {
            while (true) {
                for (; inspected < received.size(); inspected++) {
                    ReceivedEvent event = received.get(inspected);
                    if (matcher.test(event)) {
                        throw new AssertionError("Expected no matching event on " + topics + " but received "
                                + event + "; " + describeReceived());
                    }
                }
                failIfBroken();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                waitOnLock(left);
            }
        }
    }

    /** Everything received so far, in arrival order. */
    public List<ReceivedEvent> all() {
        synchronized (lock) {
            failIfBroken();
            return List.copyOf(received);
        }
    }

    /** Stops the background consumer; safe to call twice. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitOnLock(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for events on " + topics, e);
        }
    }

    private void failIfBroken() {
        if (failure != null) {
            throw new AssertionError("EventProbe on " + topics + " stopped consuming: " + failure, failure);
        }
    }

    private String describeReceived() {
        if (received.isEmpty()) {
            return "received nothing";
        }
        StringBuilder text = new StringBuilder("received ").append(received.size()).append(" event(s)");
        int from = Math.max(0, received.size() - LISTED_EVENTS);
        if (from > 0) {
            text.append(", the last ").append(LISTED_EVENTS);
        }
        text.append(':');
        for (ReceivedEvent event : received.subList(from, received.size())) {
            text.append("\n  ").append(event);
        }
        return text.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic metadata", e);
        }
    }
}
