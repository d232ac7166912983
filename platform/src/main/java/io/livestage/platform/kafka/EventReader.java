package io.livestage.platform.kafka;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.livestage.events.CloudEvent;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.codec.Decoded;

/**
 * How every consumer reads a record: {@link CloudEventCodec} into the topic's sealed interface, and the forward
 * compatibility rule applied in one place — an event type this build does not know is skipped and counted
 * ({@value #UNKNOWN} tagged consumer and type), never dead-lettered; a record that is no event is skipped.
 */
@ApplicationScoped
public class EventReader {
    public static final String UNKNOWN = "livestage.events.unknown";
    private static final Logger LOG = Logger.getLogger(EventReader.class);

    private final CloudEventCodec codec;
    private final MeterRegistry registry;

    public EventReader(ObjectMapper json, MeterRegistry registry) {
        this.codec = new CloudEventCodec(json);
        this.registry = registry;
    }

    /**
     * The event of {@code record} as {@code topicType} (e.g. {@code SessionEvent.class}), or empty when the consumer
     * skips it. A known type whose data cannot be read throws {@link io.livestage.events.codec.MalformedEventException}.
     */
    public <E> Optional<CloudEvent<E>> read(String consumer, ConsumerRecord<String, byte[]> record,
            Class<E> topicType) {
        return switch (codec.decode(record, topicType)) {
            case Decoded.Event<E> known -> Optional.of(known.event());
            case Decoded.Unknown<E> unknown -> {
                Counter.builder(UNKNOWN).description("Events of a type the consumer does not know, skipped")
                        .tag("consumer", consumer).tag("type", unknown.type()).register(registry).increment();
                LOG.debugf("%s skips %s %s at %s-%d@%d: a type it does not know", consumer, unknown.type(),
                        unknown.id(), record.topic(), record.partition(), record.offset());
                yield Optional.empty();
            }
            case Decoded.NotAnEvent<E> none -> {
                LOG.debugf("%s skips the record at %s-%d@%d: %s", consumer, record.topic(), record.partition(),
                        record.offset(), none.reason());
                yield Optional.empty();
            }
        };
    }
}
