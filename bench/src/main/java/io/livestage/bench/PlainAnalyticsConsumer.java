package io.livestage.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The peer of {@code ./bench/run analytics}: a plain {@link KafkaConsumer} with the client's default settings (no
 * group, nothing committed), every partition of {@code livestage.session} and {@code livestage.chat} assigned from the
 * beginning, each record decoded and counted by {@link SessionCounts} in memory, until it has read up to the end
 * offsets the harness captured before starting it.
 */
public final class PlainAnalyticsConsumer {
    private PlainAnalyticsConsumer() {
    }

    /** The parsed {@code done} line. */
    record Done(long windowNanos, long eventsInWindow, long cpuNanosInWindow, long cpuNanosTotal,
            SessionCounts.Totals totals) {
        double eventsPerSecond() {
            return windowNanos <= 0 ? Double.NaN : eventsInWindow * 1e9 / windowNanos;
        }

        String line() {
            return "done window_ns=" + windowNanos + " window_events=" + eventsInWindow + " window_cpu_ns="
                    + cpuNanosInWindow + " cpu_ns=" + cpuNanosTotal + " " + totals.line();
        }

        static Done parse(String line) {
            Map<String, Long> values = SessionCounts.numbers(line);
            if (!line.startsWith("done ") || !values.containsKey("window_ns")) {
                throw new IllegalArgumentException("not a done line: " + line);
            }
            return new Done(values.get("window_ns"), values.get("window_events"), values.get("window_cpu_ns"),
                    values.get("cpu_ns"), SessionCounts.Totals.parse(line));
        }
    }

    /** {@code livestage.chat:0=1234,livestage.chat:1=…}. */
    static String endOffsets(Map<TopicPartition, Long> ends) {
        List<String> parts = new ArrayList<>();
        ends.forEach((tp, end) -> parts.add(tp.topic() + ":" + tp.partition() + "=" + end));
        return String.join(",", parts);
    }

    static Map<TopicPartition, Long> parseEndOffsets(String text) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int colon = part.lastIndexOf(':');
            int eq = part.indexOf('=', colon);
            out.put(new TopicPartition(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1, eq))),
                    Long.parseLong(part.substring(eq + 1)));
        }
        return out;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String bootstrap = args[1];
        Map<TopicPartition, Long> ends = parseEndOffsets(args[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-plain-analytics");
        SessionCounts counts = new SessionCounts();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            System.out.println("ready " + port + " (" + ends.size() + " partitions, up to " + ends.values().stream()
                    .mapToLong(Long::longValue).sum() + " records)");
            System.out.flush();
            long first = 0;
            long firstCpu = 0;
            long firstBatch = 0;
            long events = 0;
            long lastProgress = System.nanoTime();
            while (true) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first == 0) {
                    first = System.nanoTime();
                    firstCpu = cpuNanos();
                    firstBatch = records.count();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    counts.accept(record);
                }
                events += records.count();
                boolean done = true;
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                    if (consumer.position(end.getKey()) < end.getValue()) {
                        done = false;
                        break;
                    }
                }
                long now = System.nanoTime();
                if (done) {
                    long cpu = cpuNanos();
                    Done result = new Done(first == 0 ? 0 : now - first, events - firstBatch,
                            first == 0 ? 0 : cpu - firstCpu, cpu, counts.totals());
                    System.out.println(result.line());
                    System.out.flush();
                    return;
                }
                if (now > deadline) {
                    System.out.println("timeout after " + events + " records");
                    System.out.flush();
                    System.exit(4);
                }
                if (now - lastProgress >= TimeUnit.SECONDS.toNanos(1)) {
                    System.out.println("progress " + events);
                    System.out.flush();
                    lastProgress = now;
                }
            }
        }
    }
}
