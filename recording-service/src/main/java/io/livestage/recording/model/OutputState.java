package io.livestage.recording.model;

import java.util.UUID;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;

/**
 * What a status change of one output needs to know, read under the output's row lock: its recording, session,
 * format and trigger, its status and egress, and why it is being ended when recording-service ended it
 * ({@code failureReason}) or a stop was requested ({@code stopReason}).
 */
public record OutputState(UUID recordingId, UUID sessionId, RecordingFormat format, RecordingTrigger trigger,
        OutputStatus status, String egressId, String failureReason, String stopReason) {
}
