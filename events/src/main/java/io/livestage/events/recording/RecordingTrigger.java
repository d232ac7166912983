package io.livestage.events.recording;

/** Why a recording exists: the session's {@code recordingEnabled} setting at its start, or a host's request. */
public enum RecordingTrigger {
    AUTO,
    MANUAL
}
