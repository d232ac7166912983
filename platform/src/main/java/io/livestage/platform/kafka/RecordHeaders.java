package io.livestage.platform.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading the CloudEvents headers ({@code ce_type}, {@code ce_sequence}, …) of a consumed record. */
public final class RecordHeaders {

    private RecordHeaders() {
    }

    /** The last value of header {@code name} as UTF-8 text, or null when the record has none. */
    public static String text(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
