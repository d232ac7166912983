package io.livestage.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.livestage.bench.core.EventWatch;

/**
 * The Kafka hop alone, for scale: while on, a harness producer with the outbox relay's settings (acks=all, idempotent,
 * linger 0) sends a small record every {@code period} to a topic of its own on the same broker, and a harness consumer
 * times each from {@code send} to {@code poll} (one JVM, one clock).
 */
final class KafkaHop implements AutoCloseable {
    static final String TOPIC = "livestage.bench.kafka-hop";
    private static final int PAYLOAD_BYTES = 600;

    private final KafkaProducer<String, byte[]> producer;
    private final EventWatch consumer;
    private final Duration period;
    private final Duration pollTimeout;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Thread sender;
    private volatile boolean on;
    private volatile boolean running = true;

    KafkaHop(String bootstrapServers, Duration period, Duration pollTimeout) throws InterruptedException {
        this.period = period;
        this.pollTimeout = pollTimeout;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "livestage-bench-kafka-hop");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        consumer = new EventWatch(bootstrapServers, TOPIC, pollTimeout, (r, now) -> {
            ByteBuffer value = ByteBuffer.wrap(r.value());
            long sent = value.getLong();
            if (value.get() == 1) {
                synchronized (this) {
                    latency.recordValue(Math.max(0, Math.min(latency.getHighestTrackableValue(),
                            TimeUnit.NANOSECONDS.toMicros(now - sent))));
                }
            }
        });
        consumer.awaitAssigned(Duration.ofSeconds(30));
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
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.join(2_000);
        consumer.close();
        producer.close(Duration.ofSeconds(2));
    }
}
