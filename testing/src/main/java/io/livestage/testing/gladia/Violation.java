package io.livestage.testing.gladia;

import java.time.Instant;

/**
 * Something a client did on a session's WebSocket that Gladia's protocol does not allow: a text frame that is not JSON
 * or has an unknown {@code type}, an {@code audio_chunk} without valid base64, audio after {@code stop_recording}, a
 * second {@code stop_recording}, a frame over 1 MiB, an invalid WebSocket frame. Tests assert
 * {@link GladiaStub#violations()} is empty ({@link GladiaStub#assertNoViolations()}).
 *
 * @param sessionId the Gladia session
 * @param connection the number of the connection (1 = first)
 * @param description what was wrong
 * @param nanos {@link System#nanoTime()} when it was seen
 * @param at wall-clock time when it was seen
 */
public record Violation(String sessionId, int connection, String description, long nanos, Instant at) {

    @Override
    public String toString() {
        return "session " + sessionId + " connection #" + connection + ": " + description;
    }
}
