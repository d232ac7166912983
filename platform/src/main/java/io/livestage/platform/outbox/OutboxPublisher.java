package io.livestage.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Hands rows to an idempotent Kafka producer (acks=all, which keeps their order per partition) without waiting, and
 * keeps what is in flight until Kafka answers. Answers arrive on the producer's thread and are taken by the next
 * {@link #takeAnswers()}; everything else runs on one thread at a time (the relay's step).
 */
final class OutboxPublisher {
    /** Kafka's answers since the last call: the acknowledged rows, the failed ones (sent again later) and an error. */
    record Answers(List<PendingEvent> ok, List<UUID> failed, String error, Instant at) {
        List<UUID> okIds() {
            return ok.stream().map(PendingEvent::id).toList();
        }
    }

    /** Kafka's answer for one row: {@code failure} null when acknowledged. */
    private record Ack(PendingEvent event, Exception failure) {
    }

    private final Map<String, Object> producerConfig;
    private final Runnable onAnswer;
    /** Rows handed to Kafka and not answered yet, in the order they were sent. */
    private final Map<UUID, PendingEvent> inFlight = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private volatile KafkaProducer<String, byte[]> producer;

    /** {@code onAnswer} runs on the producer's thread after each answer (it wakes the relay). */
    OutboxPublisher(Map<String, Object> kafkaConfig, Duration sendTimeout, Runnable onAnswer) {
        this.producerConfig = producerConfig(kafkaConfig, sendTimeout);
        this.onAnswer = onAnswer;
    }

    /** The relay's producer settings over the service's Kafka configuration: durable, idempotent, no batching delay. */
    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, Duration sendTimeout) {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(sendTimeout.toMillis(), 5_000L));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return props;
    }

    void send(List<PendingEvent> rows) {
        KafkaProducer<String, byte[]> kafka = producer();
        for (PendingEvent event : rows) {
            inFlight.put(event.id(), event);
            try {
                kafka.send(OutboxRecordMapper.toRecord(event), (metadata, failure) -> {
                    acks.add(new Ack(event, failure));
                    onAnswer.run();
                });
            } catch (RuntimeException e) {
                // refused before it was sent (no metadata within max.block.ms, producer closed, ...): sent again later
                acks.add(new Ack(event, e));
            }
        }
    }

    /** Kafka's answers since the last call; the answered rows are no longer in flight. */
    Answers takeAnswers() {
        Instant now = Instant.now();
        if (acks.isEmpty()) {
            return new Answers(List.of(), List.of(), null, now);
        }
        List<PendingEvent> ok = new ArrayList<>();
        List<UUID> failed = new ArrayList<>();
        String error = null;
        Ack ack;
        while ((ack = acks.poll()) != null) {
            if (inFlight.remove(ack.event().id()) == null) {
                continue;
            }
            if (ack.failure() == null) {
                ok.add(ack.event());
            } else {
                failed.add(ack.event().id());
                error = ack.failure().toString();
            }
        }
        return new Answers(ok, failed, error, now);
    }

    /** Waits until every row in flight was answered, or {@code deadline} (System.nanoTime) passed. */
    void awaitAnswers(long deadline) {
        while (!inFlight.isEmpty() && acks.size() < inFlight.size() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The ids in flight (a read-only view). */
    Collection<UUID> inFlight() {
        return Collections.unmodifiableSet(inFlight.keySet());
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Forgets what is in flight and its answers (when stopping: unanswered rows stay in the outbox and are resent). */
    void forget() {
        inFlight.clear();
        acks.clear();
    }

    /** Closes the producer; the next {@link #send(List)} opens a new one. */
    void close() {
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }
}
