package io.livestage.testing.gladia;

/**
 * How one WebSocket connection of a session ended.
 *
 * @param connection its number (1 = the first, 2 = the first reconnect, ...)
 * @param openedNanos {@link System#nanoTime()} when the upgrade was accepted
 * @param endedNanos {@link System#nanoTime()} when the stub considered it ended
 * @param code the close code: the one in the close frame the stub sent ({@code endedBy} {@code "stub"}) or received
 *        ({@code "client"}; 1005 for a close frame without a code), or 1006 when no close frame was exchanged
 *        ({@code "drop"}, {@code "network"}, {@code "superseded"})
 * @param endedBy {@code "stub"} (stop_recording finished, {@link GladiaStub#closeConnection}, a frame over 1 MiB or an
 *        invalid frame), {@code "client"} (the client's close frame), {@code "drop"} ({@link GladiaStub#dropConnection}
 *        or {@link GladiaStub#dropAfterBytes}), {@code "network"} (the TCP connection went away without a close
 *        frame), {@code "superseded"} (the client connected again while this one was still open)
 * @param discardedBytes the audio bytes received since the last acknowledgement that the stub threw away when this
 *        connection ended (0 when the session ended with it)
 */
public record ConnectionEnd(int connection, long openedNanos, long endedNanos, int code, String endedBy,
        long discardedBytes) {
}
