package io.livestage.recording.rest;

import java.util.List;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.recording.RecordingFormat;

/** Optional body of a start: which files to record (default: MP3, and MP4 too for VIDEO sessions). */
@Schema(name = "StartRecording")
public record StartRecordingRequest(
        @Schema(description = "MP3 and/or MP4 (MP4 only for VIDEO sessions); omitted: the session's default")
        @Size(max = 2) List<RecordingFormat> formats) {
}
