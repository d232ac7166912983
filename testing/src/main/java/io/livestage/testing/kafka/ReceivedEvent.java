package io.livestage.testing.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.livestage.events.CloudEventHeaders;

/**
 * One Kafka record as a test sees it: position, key, the CloudEvents attributes decoded from the binary-mode
 * headers, the raw data and every header as text. Attributes that are missing or malformed are {@code null};
 * their raw text stays in {@link #headers()}.
 */
public record ReceivedEvent(
        String topic,
        int partition,
        long offset,
        String key,
        String id,
        String type,
        String source,
        String subject,
        OffsetDateTime time,
        Long sequence,
        String dataSchema,
        byte[] data,
        Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PREVIEW_CHARS = 200;

    /** Decodes a consumed record; headers keep their last value when a name repeats. */
    public static ReceivedEvent from(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new ReceivedEvent(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                headers.get(CloudEventHeaders.ID),
                headers.get(CloudEventHeaders.TYPE),
                headers.get(CloudEventHeaders.SOURCE),
                headers.get(CloudEventHeaders.SUBJECT),
                parseTime(headers.get(CloudEventHeaders.TIME)),
                parseSequence(headers.get(CloudEventHeaders.SEQUENCE)),
                headers.get(CloudEventHeaders.DATA_SCHEMA),
                record.value(),
                Collections.unmodifiableMap(headers));
    }

    /** The data parsed as JSON, the content type of every livestage event. */
    public JsonNode json() {
        if (data == null) {
            throw new IllegalStateException("Event " + id + " at " + position() + " has no data (tombstone)");
        }
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("Event " + id + " at " + position() + " does not carry JSON: "
                    + dataAsString(), e);
        }
    }

    /** The data as UTF-8 text, or {@code null} for a tombstone. */
    public String dataAsString() {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /** One header as text, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** {@code topic-partition@offset}, the record's unique position, for messages. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    private static OffsetDateTime parseTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }

    private static Long parseSequence(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException malformed) {
            return null;
        }
    }

    /** Compares the data by content, not by array identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedEvent that
                && partition == that.partition
                && offset == that.offset
                && Objects.equals(topic, that.topic)
                && Objects.equals(key, that.key)
                && Objects.equals(headers, that.headers)
                && Arrays.equals(data, that.data);
    }

    /** Consistent with {@link #equals(Object)}: the data by content. */
    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, key, headers, Arrays.hashCode(data));
    }

    /** Readable in assertion messages: attributes plus the start of the data as text. */
    @Override
    public String toString() {
        String text = dataAsString();
        if (text != null && text.length() > PREVIEW_CHARS) {
            text = text.substring(0, PREVIEW_CHARS) + "...";
        }
        return position() + " key=" + key + " type=" + type + " subject=" + subject + " id=" + id
                + " sequence=" + sequence + " time=" + time + " data=" + text;
    }
}
