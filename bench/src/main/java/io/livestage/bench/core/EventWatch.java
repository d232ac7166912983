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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one harness Kafka consumer: every partition of a topic assigned from its end (no group, nothing committed,
 * fetches answered after one byte or 100 ms), polling on its own thread; each record goes to a handler with the
 * {@link System#nanoTime()} of the poll that returned it. Without a handler it waits for CloudEvents of one type:
 * {@link #expect} completes with the poll's time of the event with that subject.
 */
public final class EventWatch implements AutoCloseable {
    /** What to do with each record. */
    @FunctionalInterface
    public interface Handler {
        void record(ConsumerRecord<byte[], byte[]> record, long polledNanos);
    }

    private final String type;
    private final Handler handler;
    private final Map<String, CompletableFuture<Long>> expected = new ConcurrentHashMap<>();
    private final Map<String, Long> early = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Waits for the events of {@code type} ({@code ce_type}) on {@code topic}, by subject. */
    public EventWatch(String bootstrapServers, String topic, String type, Duration pollTimeout) {
        this(bootstrapServers, topic, type, pollTimeout, null);
    }

    /** Hands every record of {@code topic} to {@code handler}. */
    public EventWatch(String bootstrapServers, String topic, Duration pollTimeout, Handler handler) {
        this(bootstrapServers, topic, null, pollTimeout, handler);
    }

    private EventWatch(String bootstrapServers, String topic, String type, Duration pollTimeout, Handler handler) {
        this.type = type;
        this.handler = handler;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-watch-" + topic);
        consumer = new KafkaConsumer<>(p);
        thread = Thread.ofPlatform().daemon().name("bench-watch-" + topic).start(() -> poll(topic, pollTimeout));
    }

    private void poll(String topic, Duration pollTimeout) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (running) {
                var records = consumer.poll(pollTimeout);
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (handler != null) {
                        handler.record(r, now);
                    } else if (type.equals(header(r, "ce_type"))) {
                        seen(header(r, "ce_subject"), now);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            assigned.countDown();
            Log.info("watch on %s stopped: %s", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void seen(String subject, long now) {
        CompletableFuture<Long> waiting = subject == null ? null : expected.remove(subject);
        if (waiting != null) {
            waiting.complete(now);
        } else if (subject != null && early.size() < 100_000) {
            early.put(subject, now);
        }
    }

    /** Waits until the consumer is positioned at the end of every partition. */
    public void awaitAssigned(Duration timeout) throws InterruptedException {
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure != null) {
            throw new IllegalStateException("the watch was not assigned its partitions within " + timeout
                    + (failure == null ? "" : ": " + failure));
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

    public static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
