package io.livestage.events.recording;

import java.time.Instant;

import io.livestage.events.RecordingEvent;

/**
 * {@code recording.completed}: the output's egress ended COMPLETE and wrote its file. {@code location} is where egress
 * put it (an absolute path in the storage it shares with recording-service, or an object URL), {@code sizeBytes} and
 * {@code durationMillis} are LiveKit's file result.
 */
public record RecordingCompleted(
        String recordingId,
        String sessionId,
        String egressId,
        RecordingFormat format,
        String mimeType,
        String location,
        long sizeBytes,
        long durationMillis,
        Instant startedAt,
        Instant endedAt) implements RecordingEvent {
}
