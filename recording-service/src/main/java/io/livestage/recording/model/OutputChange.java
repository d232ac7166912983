package io.livestage.recording.model;

import java.time.Instant;

import io.livestage.events.RecordingEvent;

/**
 * A change of one output: its new status, what LiveKit reported (times, the file) or why it failed, and the event
 * that announces it (null when the change is not announced, such as PENDING to STARTING).
 */
public record OutputChange(OutputStatus status, String egressId, Instant startedAt, Instant endedAt, String location,
        Long sizeBytes, Long durationMillis, String failureReason, RecordingEvent event) {
}
