package io.livestage.platform.kafka;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.SessionEvent;
import io.livestage.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/** Unknown types are skipped and counted per consumer and type; records that are no event are skipped uncounted. */
class EventReaderTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventReader reader = new EventReader(new ObjectMapper(), registry);

    private static ConsumerRecord<String, byte[]> record(String type) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.SESSION, 0, 0L, "s-1",
                "{}".getBytes(StandardCharsets.UTF_8));
        if (type != null) {
            record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private double unknown(String consumer, String type) {
        var counter = registry.find(EventReader.UNKNOWN).tag("consumer", consumer).tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anUnknownTypeIsSkippedAndCountedPerConsumerAndType() {
        assertThat(reader.read("a", record("session.paused"), SessionEvent.class)).isEmpty();
        assertThat(reader.read("a", record("session.paused"), SessionEvent.class)).isEmpty();
        assertThat(reader.read("b", record("session.paused"), SessionEvent.class)).isEmpty();

        assertThat(unknown("a", "session.paused")).isEqualTo(2);
        assertThat(unknown("b", "session.paused")).isEqualTo(1);
    }

    @Test
    void aRecordWithoutTypeIsSkippedWithoutCounting() {
        assertThat(reader.read("a", record(null), SessionEvent.class)).isEmpty();

        assertThat(registry.find(EventReader.UNKNOWN).counters()).isEmpty();
    }
}
