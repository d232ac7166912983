package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import io.livestage.events.CloudEventHeaders;

/**
 * A Kafka consumer on a topic that times each expected event of one type: from the moment the harness sent the
 * request that causes it (e.g. {@code POST /start} for {@code session.started}; and, separately, from the moment its
 * 2xx response arrived) to the moment {@code poll} hands the record over, matched by a key: {@code ce_subject} by
 * default, or what a key function reads from the record (e.g. the participant's identity). It reads every partition
 * from the end, with no consumer group (nothing to rebalance), on a thread of its own.
 */
public final class EventLatencyProbe implements AutoCloseable {
    private record Expected(long sentNanos, AtomicLong respondedNanos, boolean measured) {
    }

    private final String eventType;
    private final Function<ConsumerRecord<byte[], byte[]>, String> key;
    private final Duration pollTimeout;
    /** Key → nanoTime when the record was polled, for measured keys. */
    private final Map<String, Long> polledAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Expected> pending = new ConcurrentHashMap<>();
    private final Histogram fromSend = new Histogram(OpStats.HIGHEST_MICROS, 3);
    private final Histogram fromResponse = new Histogram(OpStats.HIGHEST_MICROS, 3);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong expected = new AtomicLong();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Matches records of {@code eventType} by their {@code ce_subject}. */
    public EventLatencyProbe(String bootstrapServers, String topic, String eventType, Duration pollTimeout) {
        this(bootstrapServers, topic, eventType, record -> header(record, CloudEventHeaders.SUBJECT), pollTimeout);
    }

    /** Matches records of {@code eventType} by {@code key} (null when a record has none). */
    public EventLatencyProbe(String bootstrapServers, String topic, String eventType,
            Function<ConsumerRecord<byte[], byte[]>, String> key, Duration pollTimeout) {
        this.eventType = eventType;
        this.key = key;
        this.pollTimeout = pollTimeout;
        consumer = Harness.consumer(bootstrapServers, "livestage-bench-probe");
        thread = Thread.ofPlatform().name("bench-event-probe").daemon().start(() -> run(topic));
    }

    /** Waits until the consumer reads every partition of the topic from its end. */
    public void awaitAssigned(Duration timeout) throws InterruptedException {
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Kafka probe not assigned after " + timeout + (failure == null ? ""
                    : ": " + failure));
        }
        if (failure != null) {
            throw new IllegalStateException("Kafka probe failed", failure);
        }
    }

    /**
     * Registers a request about to be sent whose event will carry {@code key}; call before sending it. Only
     * {@code measured} ones (those of the measured windows, not of the warm-up) are counted and timed.
     */
    public void expect(String key, long sentNanos, boolean measured) {
        if (measured) {
            expected.incrementAndGet();
        }
        pending.put(key, new Expected(sentNanos, new AtomicLong(), measured));
    }

    /** The request's 2xx response arrived (the state change committed). */
    public void responded(String key, long respondedNanos) {
        Expected e = pending.get(key);
        if (e != null) {
            e.respondedNanos.set(respondedNanos);
        }
    }

    /** The request failed: no event is to be expected. */
    public void forget(String key) {
        Expected e = pending.remove(key);
        if (e != null && e.measured) {
            expected.decrementAndGet();
        }
    }

    /** When the measured event with {@code key} was polled ({@link System#nanoTime()}), if it was. */
    public Optional<Long> polledAt(String key) {
        return Optional.ofNullable(polledAt.get(key));
    }

    /** Waits up to {@code grace} for the measured events still outstanding; returns how many never came. */
    public long awaitOutstanding(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (missing() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return missing();
    }

    public long expected() {
        return expected.get();
    }

    public long received() {
        return received.get();
    }

    /** Events that arrived although the harness had not registered them (e.g. seeded before the window). */
    public long unexpected() {
        return unexpected.get();
    }

    /** Measured requests whose event has not been polled (yet). */
    public long missing() {
        return pending.values().stream().filter(Expected::measured).count();
    }

    /** Request sent → record polled. */
    public synchronized Histogram fromSend() {
        return fromSend.copy();
    }

    /** 2xx response of the request (commit) → record polled; 0 when the record came first. */
    public synchronized Histogram fromResponse() {
        return fromResponse.copy();
    }

    private void run(String topic) {
        try {
            List<PartitionInfo> partitions = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.isEmpty() && running) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (partitions.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Topic " + topic + " has no partitions");
                    }
                    Thread.sleep(200);
                }
            }
            List<TopicPartition> assignment = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assignment);
            consumer.seekToEnd(assignment);
            assignment.forEach(consumer::position); // resolve the end offsets now, not at the first poll
            assigned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
                    long now = System.nanoTime();
                    if (!eventType.equals(header(record, CloudEventHeaders.TYPE))) {
                        continue;
                    }
                    String subject;
                    try {
                        subject = key.apply(record);
                    } catch (RuntimeException unreadable) {
                        subject = null;
                    }
                    Expected e = subject == null ? null : pending.remove(subject);
                    if (e == null) {
                        unexpected.incrementAndGet();
                        continue;
                    }
                    if (!e.measured) {
                        continue;
                    }
                    received.incrementAndGet();
                    polledAt.put(subject, now);
                    long responded = e.respondedNanos.get();
                    synchronized (this) {
                        fromSend.recordValue(clamp((now - e.sentNanos) / 1_000));
                        fromResponse.recordValue(responded == 0 ? 0 : clamp((now - responded) / 1_000));
                    }
                }
            }
        } catch (WakeupException woken) {
            // closing
        } catch (Throwable t) {
            failure = t;
            assigned.countDown();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static long clamp(long micros) {
        return Math.min(OpStats.HIGHEST_MICROS, Math.max(0, micros));
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
