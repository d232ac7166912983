package io.livestage.events.recording;

import java.time.Instant;

import io.livestage.events.RecordingEvent;

/**
 * {@code recording.failed}: the output produced no usable file. {@code livekitStatus} is the egress's final status
 * (EGRESS_FAILED, EGRESS_ABORTED, EGRESS_LIMIT_REACHED), null when LiveKit never started one ({@code egressId} null
 * too: the request was refused, or the session ended before its room existed); {@code reason} says what happened.
 */
public record RecordingFailed(
        String recordingId,
        String sessionId,
        String egressId,
        RecordingFormat format,
        String reason,
        String livekitStatus,
        Instant failedAt) implements RecordingEvent {
}
