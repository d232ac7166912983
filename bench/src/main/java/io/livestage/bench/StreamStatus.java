package io.livestage.bench;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The two fields of a stream-status event the streaming benchmark matches on: the top-level {@code "version"} and
 * {@code "quality": {"preset": ...}}; every other field is skipped.
 */
record StreamStatus(long version, String preset) {
    private static final JsonFactory JSON = new JsonFactory();

    /** The fields of one event's data; an {@link IllegalArgumentException} when it is not a JSON object. */
    static StreamStatus parse(String data) {
        long version = -1;
        String preset = null;
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(data));
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("version".equals(name) && value.isNumeric()) {
                    version = parser.getLongValue();
                } else if ("quality".equals(name) && value == JsonToken.START_OBJECT) {
                    preset = preset(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(data));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable JSON (" + e.getMessage() + "): " + abbreviate(data),
                    e);
        }
        return new StreamStatus(version, preset);
    }

    /** Reads the quality object (the parser is on its START_OBJECT) up to its END_OBJECT; its preset or null. */
    private static String preset(JsonParser parser) throws IOException {
        String preset = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("preset".equals(name) && value == JsonToken.VALUE_STRING) {
                preset = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return preset;
    }

    private static String abbreviate(String data) {
        return data.length() > 200 ? data.substring(0, 200) + "…" : data;
    }
}
