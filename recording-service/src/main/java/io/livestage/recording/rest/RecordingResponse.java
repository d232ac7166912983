package io.livestage.recording.rest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.model.Output;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.model.Recording;
import io.livestage.recording.model.Track;

/**
 * A recording as clients see it: its state, an entry per output (file format) and, when the session records speaker
 * tracks, an entry per speaker microphone track.
 */
@Schema(name = "Recording")
public record RecordingResponse(
        String id,
        String sessionId,
        RecordingTrigger trigger,
        String requestedBy,
        Instant requestedAt,
        @Schema(description = "STARTING until an output is recording; RECORDING; STOPPING after a stop request; "
                + "ENDED when every output has completed or failed") Recording.State state,
        Instant stopRequestedAt,
        String stopReason,
        List<OutputResponse> outputs,
        @Schema(description = "Per-speaker isolated tracks (session setting speakerTracks): each stage speaker's "
                + "microphone recorded on its own while the recording was live") List<TrackResponse> tracks) {

    @Schema(name = "RecordingTrack")
    public record TrackResponse(
            String participantIdentity,
            String participantName,
            @Schema(description = "LiveKit's id of the microphone track") String trackSid,
            String mimeType,
            @Schema(description = "PENDING (LiveKit has not accepted the track egress yet), then LiveKit's egress "
                    + "status") OutputStatus status,
            String egressId,
            Instant startedAt,
            Instant endedAt,
            @Schema(description = "Where egress wrote the file (its path in the egress folder)") String location,
            Long sizeBytes,
            Long durationMillis,
            @Schema(description = "Why the track produced no file (FAILED, ABORTED, LIMIT_REACHED)") String failureReason,
            @Schema(description = "The last error of an attempt still being retried") String lastError) {

        /** Egress writes an Opus microphone track as Ogg. */
        public static final String MIME_TYPE = "audio/ogg";

        static TrackResponse of(Track t) {
            return new TrackResponse(t.participantIdentity(), t.participantName(), t.trackSid(), MIME_TYPE, t.status(),
                    t.egressId(), t.startedAt(), t.endedAt(), t.location(), t.sizeBytes(), t.durationMillis(),
                    t.failureReason(), t.status().terminal() ? null : t.lastError());
        }
    }

    @Schema(name = "RecordingOutput")
    public record OutputResponse(
            RecordingFormat format,
            String mimeType,
            @Schema(description = "PENDING (LiveKit has not accepted the egress yet, e.g. the room does not exist "
                    + "yet), then LiveKit's egress status") OutputStatus status,
            String egressId,
            Instant startedAt,
            Instant endedAt,
            Long sizeBytes,
            Long durationMillis,
            @Schema(description = "Why the output produced no file (FAILED, ABORTED, LIMIT_REACHED)") String failureReason,
            @Schema(description = "The last error of an attempt still being retried") String lastError,
            @Schema(description = "COMPLETE outputs: the file (GET, HEAD, Range; add ?download=1 for an attachment)")
            String downloadUrl) {

        static OutputResponse of(Recording r, Output o) {
            return new OutputResponse(o.format(), o.format().mimeType(), o.status(), o.egressId(), o.startedAt(),
                    o.endedAt(), o.sizeBytes(), o.durationMillis(), o.failureReason(),
                    o.status().terminal() ? null : o.lastError(),
                    o.status() == OutputStatus.COMPLETE && o.location() != null ? "/api/sessions/" + r.sessionId()
                            + "/recordings/" + r.id() + "/files/" + o.format().name().toLowerCase(Locale.ROOT) : null);
        }
    }

    static RecordingResponse of(Recording r) {
        return new RecordingResponse(r.id().toString(), r.sessionId().toString(), r.trigger(), r.requestedBy(),
                r.requestedAt(), r.state(), r.stopRequestedAt(), r.stopReason(),
                r.outputs().stream().map(o -> OutputResponse.of(r, o)).toList(),
                r.tracks().stream().map(TrackResponse::of).toList());
    }
}
