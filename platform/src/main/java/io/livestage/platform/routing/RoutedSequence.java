package io.livestage.platform.routing;

import java.nio.ByteBuffer;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The last {@code ce_sequence} routed for one aggregate, and when (wall clock, for pruning). */
record RoutedSequence(long sequence, long routedAtMillis) {

    static Serde<RoutedSequence> serde() {
        Serializer<RoutedSequence> serializer = (topic, value) -> value == null ? null
                : ByteBuffer.allocate(16).putLong(value.sequence).putLong(value.routedAtMillis).array();
        Deserializer<RoutedSequence> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new RoutedSequence(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
