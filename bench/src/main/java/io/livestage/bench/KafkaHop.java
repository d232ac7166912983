package io.livestage.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka hop alone, for scale: while it is on (the measured service windows), a producer in the harness with the
 * outbox relay's settings (acks=all, idempotent, linger 0) sends a small record every {@code period} to a topic of its
 * own on the same broker, keyed like the events (random session ids), and a consumer in the harness (no group, every
 * partition from its end, the tap's poll) times each one from {@code send} to {@code poll} (System.nanoTime, one JVM).
 */
final class KafkaHop implements AutoCloseable {
    static final String TOPIC = "livestage.bench.kafka-hop";
    private static final int PAYLOAD_BYTES = 600;

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration period;
    private final Duration pollTimeout;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean on;
    private volatile boolean running = true;

    KafkaHop(String bootstrapServers, Duration period, Duration pollTimeout) {
        this.period = period;
        this.pollTimeout = pollTimeout;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "livestage-bench-kafka-hop");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        consumer = io.livestage.bench.core.EventWatch.consumer(bootstrapServers, "livestage-bench-kafka-hop-consumer");
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(TOPIC, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        receiver = Thread.ofPlatform().name("bench-kafka-hop-poll").daemon().start(this::receive);
        sender = Thread.ofPlatform().name("bench-kafka-hop-send").daemon().start(this::send);
    }

    /** Measures while on (records sent while off are read and not counted). */
    void on(boolean value) {
        on = value;
    }

    /** A copy of the latencies so far (µs). */
    synchronized Histogram latency() {
        return latency.copy();
    }

    String describe() {
        return "a producer with the outbox relay's settings (acks=all, idempotent, linger 0) sending a " + PAYLOAD_BYTES
                + "-byte record every " + period.toMillis() + " ms during the measured service windows to "
                + TOPIC + " on the same broker, timed send → poll by a consumer in the harness (no group, poll "
                + pollTimeout.toMillis() + " ms)";
    }

    private void send() {
        long next = System.nanoTime();
        while (running) {
            next += period.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] value = new byte[PAYLOAD_BYTES];
            ByteBuffer.wrap(value).putLong(System.nanoTime()).put((byte) (on ? 1 : 0));
            try {
                producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), value));
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void receive() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(r.value());
                    long sent = value.getLong();
                    if (value.get() == 1) {
                        synchronized (this) {
                            latency.recordValue(Math.max(0, Math.min(latency.getHighestTrackableValue(),
                                    TimeUnit.NANOSECONDS.toMicros(now - sent))));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        sender.join(2_000);
        receiver.join(5_000);
        producer.close(Duration.ofSeconds(2));
    }
}
