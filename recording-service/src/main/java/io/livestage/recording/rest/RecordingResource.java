package io.livestage.recording.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.service.RecordingService;

/** A session's recordings: start and stop by hand (host and cohosts), list (host and participants). */
@Path("/api/sessions/{ref}/recordings")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Recordings", description = "Session recordings through LiveKit Egress (MP3, and MP4 for video sessions)")
public class RecordingResource {
    private static final Pattern RECORDING_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final RecordingService recordings;
    private final SecurityIdentity identity;

    public RecordingResource(RecordingService recordings, SecurityIdentity identity) {
        this.recordings = recordings;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startRecording", summary = "Start recording the live session (host or cohost)",
            description = "Records the intent and answers 202 at once; LiveKit's egress starts right after (retried "
                    + "while the room does not exist yet). 409 when a recording is already live or the session is "
                    + "not. Without a body: MP3, and MP4 too for VIDEO sessions.")
    @APIResponse(responseCode = "202", description = "The recording, STARTING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordingResponse.class)))
    public Uni<RestResponse<RecordingResponse>> start(
            @Parameter(description = "Session id or slug") @PathParam("ref") @Size(max = 36) String ref,
            @Valid StartRecordingRequest request) {
        return recordings.start(ref, caller(), request == null ? null : request.formats())
                .map(recording -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED,
                        RecordingResponse.of(recording))
                        .location(URI.create("/api/sessions/" + recording.sessionId() + "/recordings/" + recording.id()))
                        .build());
    }

    @POST
    @Path("{rid}/stop")
    @Operation(operationId = "stopRecording", summary = "Stop a recording (host or cohost)",
            description = "Answers 202 with the recording STOPPING; its outputs end (and their files complete) as "
                    + "LiveKit finishes them. 409 when it has already ended.")
    @APIResponse(responseCode = "202", description = "The recording, STOPPING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordingResponse.class)))
    public Uni<RestResponse<RecordingResponse>> stop(@PathParam("ref") @Size(max = 36) String ref,
            @PathParam("rid") String rid) {
        return recordings.stop(ref, recordingId(rid), caller()).map(recording -> RestResponse
                .status(RestResponse.Status.ACCEPTED, RecordingResponse.of(recording)));
    }

    @GET
    @Operation(operationId = "listRecordings", summary = "The session's recordings, newest first",
            description = "PUBLIC and UNLISTED sessions: anyone signed in; PRIVATE: the host and participants.")
    public Uni<List<RecordingResponse>> list(@PathParam("ref") @Size(max = 36) String ref) {
        return recordings.list(ref, caller()).map(list -> list.stream().map(RecordingResponse::of).toList());
    }

    @GET
    @Path("{rid}")
    @Operation(operationId = "getRecording", summary = "One recording of the session",
            description = "The recording with its outputs (format, status, size, duration, failure reason) and "
                    + "per-speaker tracks. Same access as listRecordings: PUBLIC and UNLISTED sessions for anyone "
                    + "signed in, PRIVATE ones for the host and participants (403 for others). 400 when rid is no "
                    + "UUID; 404 when the session or recording is unknown.")
    public Uni<RecordingResponse> get(@PathParam("ref") @Size(max = 36) String ref, @PathParam("rid") String rid) {
        return recordings.find(ref, recordingId(rid), caller()).map(RecordingResponse::of);
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    private static UUID recordingId(String rid) {
        if (!RECORDING_ID.matcher(rid).matches()) {
            throw ProblemException.invalid("rid", "A recording id is a UUID such as 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
        }
        return UUID.fromString(rid);
    }
}
