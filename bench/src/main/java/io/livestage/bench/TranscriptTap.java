package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.Topics;

/**
 * A Kafka consumer in the harness on {@code livestage.transcript} (no group, every partition from its end, its own
 * thread), standing in for chat-service's room feed: for each {@code transcript.segment} it notes, in the ledger entry
 * of that (stream, utterance, isFinal), when {@code poll} returned it, the record's timestamp (CreateTime: set by the
 * outbox relay's producer at {@code send}, milliseconds) and {@code ce_time} (the {@code Instant.now()}
 * transcription-service took when Gladia's message arrived, microseconds).
 */
final class TranscriptTap implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, TranscriptionLoad.Sent> ledger;
    private final Duration pollTimeout;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    final LongAdder records = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private volatile boolean running = true;
    private volatile Throwable failure;

    TranscriptTap(String bootstrapServers, Map<String, TranscriptionLoad.Sent> ledger, Duration pollTimeout) {
        this.ledger = ledger;
        this.pollTimeout = pollTimeout;
        consumer = io.livestage.bench.core.EventWatch.consumer(bootstrapServers, "livestage-bench-transcript-tap");
        thread = Thread.ofPlatform().name("bench-transcript-tap").daemon().start(this::run);
    }

    void awaitAssigned(Duration timeout) throws InterruptedException {
        if (!assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("transcript tap not assigned after " + timeout
                    + (failure == null ? "" : ": " + failure));
        }
        if (failure != null) {
            throw new IllegalStateException("transcript tap failed", failure);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(Topics.TRANSCRIPT, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (running) {
                var batch = consumer.poll(pollTimeout);
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    records.increment();
                    note(record, now);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
            assigned.countDown();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void note(ConsumerRecord<byte[], byte[]> record, long polledNanos) {
        if (record.value() == null) {
            return;
        }
        JsonObject data;
        try {
            data = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            malformed.increment();
            return;
        }
        TranscriptionLoad.Sent sent = ledger.computeIfAbsent(TranscriptionLoad.key(data.getString("streamId"),
                data.getString("utteranceId"), Boolean.TRUE.equals(data.getBoolean("isFinal"))),
                k -> new TranscriptionLoad.Sent());
        sent.tapPollNanos = polledNanos;
        sent.tapCreateMillis = record.timestamp();
        Header time = record.headers().lastHeader(CloudEventHeaders.TIME);
        if (time != null) {
            try {
                Instant at = Instant.parse(new String(time.value(), StandardCharsets.UTF_8));
                sent.ceTimeEpochNanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
            } catch (RuntimeException ignored) {
                // not a timestamp: the split leaves it out
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
