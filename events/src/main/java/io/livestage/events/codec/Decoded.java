package io.livestage.events.codec;

import io.livestage.events.CloudEvent;

/**
 * What {@link CloudEventCodec#decode} made of a Kafka record: an event of the topic's catalogue, an event of a type
 * this consumer does not know (a newer producer's: skip it, never dead-letter it), or a record that is no event at
 * all (no {@code ce_type}, or a tombstone).
 */
public sealed interface Decoded<E> {

    record Event<E>(CloudEvent<E> event) implements Decoded<E> {
    }

    record Unknown<E>(String type, String id) implements Decoded<E> {
    }

    record NotAnEvent<E>(String reason) implements Decoded<E> {
    }
}
