package io.livestage.recording.model;

import java.time.Instant;

import io.livestage.events.recording.RecordingFormat;

/** One output of a recording (one LiveKit egress) as stored. */
public record Output(RecordingFormat format, OutputStatus status, String egressId, int attempts, String lastError,
        Instant startedAt, Instant endedAt, String location, Long sizeBytes, Long durationMillis,
        String failureReason) {
}
