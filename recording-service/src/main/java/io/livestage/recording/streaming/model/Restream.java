package io.livestage.recording.streaming.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A saved target restreamed in a session, as stored (the URL stays encrypted in the row). Statuses: PENDING (to add
 * to the stream egress), STARTING (sent, LiveKit has not reported it yet), ACTIVE, FAILED (LiveKit reported it failed;
 * added again at {@code nextActionAt}), STOPPING (to remove), STOPPED, GAVE_UP (failed too often; the host may start
 * it again).
 */
public record Restream(UUID sessionId, UUID targetId, String name, TargetKind kind, String status, String error,
        int retries, Instant lastRetryAt, Instant startedAt, String redactedUrl) {

    public static final String PENDING = "PENDING";
    public static final String STARTING = "STARTING";
    public static final String ACTIVE = "ACTIVE";
    public static final String FAILED = "FAILED";
    public static final String STOPPING = "STOPPING";
    public static final String STOPPED = "STOPPED";
    public static final String GAVE_UP = "GAVE_UP";
}
