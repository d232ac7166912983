package io.livestage.events;

import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;

/**
 * The data of an event on {@link Topics#RECORDING}: one output of a recording (one LiveKit egress) started, completed
 * with its file, or failed.
 */
public sealed interface RecordingEvent permits RecordingStarted, RecordingCompleted, RecordingFailed {

    /** The recording (one start/stop span of a session, with an output per format). */
    String recordingId();

    String sessionId();
}
