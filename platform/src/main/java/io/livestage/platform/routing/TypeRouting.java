package io.livestage.platform.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.EventType;
import io.livestage.events.codec.CloudEventCodec;

/**
 * The router's topology: aggregate topics in, each event forwarded unchanged (key, value, headers) to the topic named
 * like its {@code ce_type}. A relay that crashed after Kafka's acknowledgement republishes rows it had sent (same
 * {@code ce_id}, same per-session {@code ce_sequence}, after the originals); the router keeps the last sequence routed
 * per key and drops what is not newer, and exactly-once processing makes the store, the output and the input offsets
 * commit together. So each event reaches its type topic once.
 */
public final class TypeRouting {
    static final String SOURCE = "aggregate-topics";
    static final String PROCESSOR = "route-by-type";
    static final String SINK = "type-topics";
    static final String STORE = "routed-sequences";

    private TypeRouting() {
    }

    /** What the router did with one record, for the metrics. */
    public enum Outcome { ROUTED, DUPLICATE, UNKNOWN_TYPE, UNSEQUENCED }

    /** Receives each outcome, with the event type name (or the unknown {@code ce_type}). */
    @FunctionalInterface
    public interface Listener {
        void on(Outcome outcome, String type);
    }

    public static Topology topology(List<String> aggregateTopics, Duration retention, Listener listener) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                aggregateTopics.toArray(String[]::new));
        topology.addProcessor(PROCESSOR, () -> new Router(retention, listener), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                RoutedSequence.serde()), PROCESSOR);
        topology.addSink(SINK,
                (key, value, context) -> CloudEventCodec.text(context.headers(), CloudEventHeaders.TYPE),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        return topology;
    }

    private static final class Router implements Processor<String, byte[], String, byte[]> {
        private final Duration retention;
        private final Listener listener;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, RoutedSequence> routed;

        Router(Duration retention, Listener listener) {
            this.retention = retention;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.routed = context.getStateStore(STORE);
            Duration every = retention.compareTo(Duration.ofHours(1)) < 0 ? retention : Duration.ofHours(1);
            context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::prune);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String ceType = CloudEventCodec.text(record.headers(), CloudEventHeaders.TYPE);
            Optional<EventType> type = EventType.find(ceType);
            if (type.isEmpty()) {
                listener.on(Outcome.UNKNOWN_TYPE, String.valueOf(ceType));
                return;
            }
            String typeName = type.get().typeName();
            Long sequence = sequence(record.headers());
            if (sequence == null || record.key() == null) {
                // every outbox event carries both; without them there is nothing to deduplicate on
                listener.on(Outcome.UNSEQUENCED, typeName);
                context.forward(record);
                return;
            }
            RoutedSequence last = routed.get(record.key());
            if (last != null && sequence <= last.sequence()) {
                listener.on(Outcome.DUPLICATE, typeName);
                return;
            }
            routed.put(record.key(), new RoutedSequence(sequence, context.currentSystemTimeMs()));
            context.forward(record);
            listener.on(Outcome.ROUTED, typeName);
        }

        private void prune(long now) {
            long cutoff = now - retention.toMillis();
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, RoutedSequence> all = routed.all()) {
                while (all.hasNext()) {
                    KeyValue<String, RoutedSequence> entry = all.next();
                    if (entry.value.routedAtMillis() < cutoff) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(routed::delete);
        }

        private static Long sequence(Headers headers) {
            String value = CloudEventCodec.text(headers, CloudEventHeaders.SEQUENCE);
            if (value == null) {
                return null;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
