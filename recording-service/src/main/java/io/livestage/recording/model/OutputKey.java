package io.livestage.recording.model;

import java.util.UUID;

import io.livestage.events.recording.RecordingFormat;

/**
 * Which output of a recording: a composite format ({@code format}, {@code trackSid} null) or a speaker track (the
 * LiveKit track sid, {@code format} null). Stored as {@code (recording_id, format, track_sid)}: a track's format column
 * is {@value #TRACK_FORMAT}, a composite's track_sid is empty.
 */
public record OutputKey(UUID recordingId, RecordingFormat format, String trackSid) {
    /** The format column of a speaker track: egress writes an Opus microphone track to Ogg. */
    public static final String TRACK_FORMAT = "OGG";

    public OutputKey {
        if ((format == null) == (trackSid == null || trackSid.isEmpty())) {
            throw new IllegalArgumentException("an output is a composite format or a speaker track");
        }
    }

    public static OutputKey composite(UUID recordingId, RecordingFormat format) {
        return new OutputKey(recordingId, format, null);
    }

    public static OutputKey track(UUID recordingId, String trackSid) {
        return new OutputKey(recordingId, null, trackSid);
    }

    /** Reads the stored columns. */
    public static OutputKey of(UUID recordingId, String formatColumn, String trackSidColumn) {
        return TRACK_FORMAT.equals(formatColumn) ? track(recordingId, trackSidColumn)
                : composite(recordingId, RecordingFormat.valueOf(formatColumn));
    }

    public boolean track() {
        return format == null;
    }

    public String formatColumn() {
        return track() ? TRACK_FORMAT : format.name();
    }

    public String trackSidColumn() {
        return track() ? trackSid : "";
    }

    @Override
    public String toString() {
        return recordingId + "/" + (track() ? "track " + trackSid : format.name());
    }
}
