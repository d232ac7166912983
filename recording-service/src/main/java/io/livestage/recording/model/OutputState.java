package io.livestage.recording.model;

import java.util.UUID;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;

/**
 * What a status change of one output needs to know, read under the output's row lock: which output ({@code key}: a
 * composite format or a speaker track), its session and trigger, its status and egress, and why it is being ended
 * when recording-service ended it ({@code failureReason}) or a stop was requested ({@code stopReason}).
 */
public record OutputState(OutputKey key, UUID sessionId, RecordingTrigger trigger, OutputStatus status,
        String egressId, String failureReason, String stopReason) {

    /** A composite output's state (as before speaker tracks existed). */
    public OutputState(UUID recordingId, UUID sessionId, RecordingFormat format, RecordingTrigger trigger,
            OutputStatus status, String egressId, String failureReason, String stopReason) {
        this(OutputKey.composite(recordingId, format), sessionId, trigger, status, egressId, failureReason,
                stopReason);
    }

    public UUID recordingId() {
        return key.recordingId();
    }

    /** The composite format; null for a speaker track. */
    public RecordingFormat format() {
        return key.format();
    }
}
