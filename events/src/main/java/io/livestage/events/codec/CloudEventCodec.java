package io.livestage.events.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.livestage.events.CloudEvent;
import io.livestage.events.CloudEventHeaders;
import io.livestage.events.EventType;

/**
 * Kafka record ⇄ {@link CloudEvent}, in the CloudEvents Kafka binding's binary mode: the context attributes in
 * {@code ce_*} headers, the data as the JSON record value. The one place that reads and writes those headers.
 *
 * <p>Forward compatible by construction: unknown JSON fields are ignored, and a {@code ce_type} the catalogue (or the
 * topic) does not know decodes to {@link Decoded.Unknown}, never to an exception. Data of a known type that cannot be
 * read is a real failure and throws {@link MalformedEventException}. Thread-safe.
 */
public final class CloudEventCodec {
    private final ObjectMapper json;

    /** A codec with its own mapper: ISO-8601 times, unknown properties ignored. */
    public CloudEventCodec() {
        this(new ObjectMapper().registerModule(new JavaTimeModule()));
    }

    /** A codec on a copy of {@code mapper} (e.g. the service's), made to ignore unknown properties and write ISO times. */
    public CloudEventCodec(ObjectMapper mapper) {
        this.json = mapper.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .registerModule(new JavaTimeModule());
    }

    /**
     * Reads a consumed record as an event of {@code topicType}, the sealed interface of its topic (e.g.
     * {@code SessionEvent.class}).
     */
    public <E> Decoded<E> decode(ConsumerRecord<String, byte[]> record, Class<E> topicType) {
        String type = text(record.headers(), CloudEventHeaders.TYPE);
        if (type == null) {
            return new Decoded.NotAnEvent<>("no " + CloudEventHeaders.TYPE + " header");
        }
        if (record.value() == null) {
            return new Decoded.NotAnEvent<>("no value (tombstone)");
        }
        String id = text(record.headers(), CloudEventHeaders.ID);
        Class<?> payload = EventType.find(type).map(EventType::payloadType).orElse(null);
        if (payload == null || !topicType.isAssignableFrom(payload)) {
            return new Decoded.Unknown<>(type, id);
        }
        E data;
        try {
            data = topicType.cast(json.readValue(record.value(), payload));
        } catch (IOException e) {
            throw new MalformedEventException(type + " " + id + ": data is not a " + payload.getSimpleName(), e);
        }
        Headers headers = record.headers();
        return new Decoded.Event<>(new CloudEvent<>(id, type, text(headers, CloudEventHeaders.SOURCE),
                text(headers, CloudEventHeaders.SUBJECT), time(headers, type, id), sequence(headers, type, id),
                text(headers, CloudEventHeaders.REQUEST_ID), text(headers, CloudEventHeaders.DATA_SCHEMA), data));
    }

    /** A record to produce: key = the subject, value = the data as JSON, the context attributes as headers. */
    public ProducerRecord<String, byte[]> encode(String topic, CloudEvent<?> event) {
        return new ProducerRecord<>(topic, null, null, event.subject(), data(event.data()), headers(event));
    }

    /** The data as the JSON bytes of a record value. */
    public byte[] data(Object data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be serialised: " + data.getClass().getName(), e);
        }
    }

    /**
     * The binary-mode headers of an event (its data is not read): {@code ce_specversion}, {@code ce_id},
     * {@code ce_type}, {@code ce_source}, {@code ce_subject}, {@code ce_time}, and {@code ce_sequence},
     * {@code ce_dataschema} and {@code ce_requestid} when set, and {@code content-type}.
     */
    public static Headers headers(CloudEvent<?> event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        add(headers, CloudEventHeaders.ID, event.id());
        add(headers, CloudEventHeaders.TYPE, event.type());
        add(headers, CloudEventHeaders.SOURCE, event.source());
        add(headers, CloudEventHeaders.SUBJECT, event.subject());
        add(headers, CloudEventHeaders.TIME, event.time() == null ? null : event.time().toString());
        add(headers, CloudEventHeaders.SEQUENCE, event.sequence() == null ? null : event.sequence().toString());
        add(headers, CloudEventHeaders.DATA_SCHEMA, event.dataSchema());
        add(headers, CloudEventHeaders.REQUEST_ID, event.requestId());
        add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return headers;
    }

    /** The last value of header {@code name} as UTF-8 text, or null when there is none. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Instant time(Headers headers, String type, String id) {
        String time = text(headers, CloudEventHeaders.TIME);
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(type + " " + id + ": " + CloudEventHeaders.TIME + " is not a time", e);
        }
    }

    private static Long sequence(Headers headers, String type, String id) {
        String sequence = text(headers, CloudEventHeaders.SEQUENCE);
        try {
            return sequence == null ? null : Long.valueOf(sequence);
        } catch (NumberFormatException e) {
            throw new MalformedEventException(type + " " + id + ": " + CloudEventHeaders.SEQUENCE + " is not a number",
                    e);
        }
    }
}
