package io.livestage.events.recording;

import java.time.Instant;

import io.livestage.events.RecordingEvent;

/** {@code recording.started}: LiveKit reports the output's egress ACTIVE; {@code startedAt} is LiveKit's time. */
public record RecordingStarted(
        String recordingId,
        String sessionId,
        String egressId,
        RecordingFormat format,
        RecordingTrigger trigger,
        Instant startedAt) implements RecordingEvent {
}
