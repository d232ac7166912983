package io.livestage.recording.model;

import java.time.Instant;

/**
 * One speaker track of a recording as stored: a participant's microphone recorded on its own by a LiveKit track egress,
 * with the same lifecycle as the composite {@link Output}s.
 */
public record Track(String trackSid, String participantIdentity, String participantName, OutputStatus status,
        String egressId, int attempts, String lastError, Instant startedAt, Instant endedAt, String location,
        Long sizeBytes, Long durationMillis, String failureReason) {
}
