package io.livestage.testing.gladia;

import java.time.Instant;

/**
 * An HTTP request the {@link GladiaStub} refused: an init call with a missing or wrong {@code x-gladia-key} (401), an
 * invalid body (400) or one answered as {@link GladiaStub#failNextInits} asked, a WebSocket upgrade with an unknown
 * token or for a session that has ended (401), an unknown path (404). Not protocol {@link Violation}s (a test may
 * provoke them on purpose), but listed so a test can assert its service never got one.
 *
 * @param method the HTTP method
 * @param uri the request URI (path and query)
 * @param status the status answered
 * @param message the {@code message} of the JSON body answered
 * @param nanos {@link System#nanoTime()} when it was answered
 * @param at wall-clock time when it was answered
 */
public record Rejection(String method, String uri, int status, String message, long nanos, Instant at) {

    @Override
    public String toString() {
        return method + " " + uri + " -> " + status + " " + message;
    }
}
