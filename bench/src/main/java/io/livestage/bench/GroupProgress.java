package io.livestage.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Log;

/**
 * How far a consumer group (analytics-service's Kafka Streams application id) has committed on a set of partitions,
 * polled with an {@link Admin} ({@code listConsumerGroupOffsets}) every {@code every} against end offsets captured
 * once: the first instant any offset is committed, and the instant every partition's committed offset reaches its end.
 */
final class GroupProgress implements AutoCloseable {
    /** One poll: when (nanoTime), the records committed in all, the watched processes' CPU then (null if none). */
    record Sample(long nanos, long committed, Cpu.Sample cpu) {
    }

    /** {@code first}: the first sample with anything committed; {@code last}: everything, or the last one taken. */
    record Outcome(long total, Sample first, Sample last, boolean caughtUp, List<Sample> samples) {
    }

    private final Admin admin;
    private final String group;
    private final Map<TopicPartition, Long> ends;
    private final long total;

    GroupProgress(String bootstrapServers, String group, Map<TopicPartition, Long> ends) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-group-progress");
        this.admin = Admin.create(properties);
        this.group = group;
        this.ends = Map.copyOf(ends);
        this.total = ends.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The end offsets of {@code partitions} now. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Records committed in all now (each partition counted up to its end); -1 when the poll failed. */
    long committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            long sum = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata committed = offsets.get(end.getKey());
                if (committed != null) {
                    sum += Math.min(committed.offset(), end.getValue());
                }
            }
            return sum;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Polls every {@code every} until everything is committed or {@code timeout} passed; logs a progress line every
     * second.
     */
    Outcome await(Duration every, Duration timeout, java.util.function.Supplier<Cpu> cpu, String label,
            java.util.function.Consumer<Sample> onFirst, BooleanSupplier keepGoing) throws InterruptedException {
        List<Sample> samples = new java.util.ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextLog = start + TimeUnit.SECONDS.toNanos(1);
        Sample first = null;
        Sample last = null;
        Sample previousLogged = null;
        while (true) {
            long committed = committed();
            long now = System.nanoTime();
            if (committed >= 0) {
                Cpu meter = cpu.get();
                Sample sample = new Sample(now, committed, meter == null ? null : meter.sample());
                samples.add(sample);
                last = sample;
                if (first == null && committed > 0) {
                    first = sample;
                    onFirst.accept(sample);
                    Log.info(label + ": first offsets committed (" + committed + " records) after "
                            + TimeUnit.NANOSECONDS.toMillis(now - start) + " ms of polling");
                }
                if (committed >= total) {
                    Log.info(String.format(Locale.ROOT, "%s: all %,d records committed", label, total));
                    return new Outcome(total, first, sample, true, samples);
                }
                if (now >= nextLog) {
                    double rate = previousLogged == null ? Double.NaN
                            : (committed - previousLogged.committed()) * 1e9 / (now - previousLogged.nanos());
                    Log.info(String.format(Locale.ROOT, "%s: %,d of %,d records committed (%.1f %%), %s events/s"
                            + " over the last second", label, committed, total, 100.0 * committed / Math.max(1, total),
                            Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate)));
                    previousLogged = sample;
                    // before the first commit (the service starting) every 5 s, then every second
                    nextLog = now + TimeUnit.SECONDS.toNanos(first == null ? 5 : 1);
                }
            }
            if (now >= deadline) {
                Log.info(label + ": not caught up after " + timeout.toSeconds() + " s");
                return new Outcome(total, first, last, false, samples);
            }
            if (!keepGoing.getAsBoolean()) {
                Log.info(label + ": stopped following the group (the service is gone)");
                return new Outcome(total, first, last, false, samples);
            }
            Thread.sleep(every.toMillis());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
