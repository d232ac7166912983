package io.livestage.bench.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits for CloudEvents on a topic: a KafkaConsumer in the harness with every partition assigned from its end (no
 * group, no rebalance), polling with a short timeout on its own thread.
 */
public final class EventWatch implements AutoCloseable {
    private final String type;
    private final Map<String, CompletableFuture<Long>> expected = new ConcurrentHashMap<>();
    private final Map<String, Long> early = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public EventWatch(String bootstrapServers, String topic, String type, Duration pollTimeout) {
        this.type = type;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-event-watch");
        thread = Thread.ofPlatform().daemon().name("bench-event-watch").start(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(topic, i.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                assigned.countDown();
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
                        long now = System.nanoTime();
                        if (type.equals(header(r, "ce_type"))) {
                            String subject = header(r, "ce_subject");
                            CompletableFuture<Long> waiting = subject == null ? null : expected.remove(subject);
                            if (waiting != null) {
                                waiting.complete(now);
                            } else if (subject != null && early.size() < 100_000) {
                                early.put(subject, now);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                Log.info("event watch on %s stopped: %s", topic, e);
            }
        });
    }

    /**
     * A harness Kafka consumer: no group, nothing committed, fetches answered as soon as one byte is there (or after
     * 100 ms), raw bytes.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(p);
    }

    /** Waits until the consumer is positioned at the end of every partition. */
    public void awaitAssigned(Duration timeout) throws InterruptedException {
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the event watch was not assigned its partitions within " + timeout);
        }
    }

    /** Completes when the event of this watch's type with this subject is polled (also if it came already). */
    public CompletableFuture<Long> expect(String subject) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        expected.put(subject, future);
        Long came = early.remove(subject);
        if (came != null && expected.remove(subject, future)) {
            future.complete(came);
        }
        return future;
    }

    public String type() {
        return type;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
