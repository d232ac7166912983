package io.livestage.chat.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.livestage.chat.ws.Frames;

/** Frames as the service writes them (ISO-8601 times, like Quarkus's mapper), and a way to read one back. */
final class FrameJson {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Frames FRAMES = new Frames(JSON);

    private FrameJson() {
    }

    /** {@code value} as the JSON a frame carries it, read back (so numbers compare as they parse). */
    static JsonNode asRead(Object value) {
        try {
            return read(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new AssertionError("not serialisable: " + value, e);
        }
    }

    static JsonNode read(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }
}
