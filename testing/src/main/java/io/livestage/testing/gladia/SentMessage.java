package io.livestage.testing.gladia;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One WebSocket text message the {@link GladiaStub} wrote to a client, recorded when it was handed to the socket.
 *
 * @param type the message's {@code type} ({@code "audio_chunk"} for an acknowledgement, {@code "transcript"},
 *        {@code "speech_start"}, {@code "stop_recording"}, {@code "end_session"}, {@code "error"}, ...)
 * @param json the exact text sent
 * @param sentNanos {@link System#nanoTime()} just before the write
 * @param connection the number of the connection it went out on (1 = the first, 2 = after one reconnect, ...)
 */
public record SentMessage(String type, String json, long sentNanos, int connection) {

    /** {@link #json} parsed. */
    public JsonNode node() {
        try {
            return GladiaStub.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stub wrote invalid JSON: " + json, e);
        }
    }

    /** Whether this is an acknowledgement ({@code audio_chunk} or {@code stop_recording} with {@code acknowledged}). */
    public boolean isAck() {
        return "audio_chunk".equals(type) || "stop_recording".equals(type);
    }

    @Override
    public String toString() {
        return "#" + connection + " " + json;
    }
}
