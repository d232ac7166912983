package io.livestage.recording.streaming.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.streaming.model.StreamStatus;
import io.livestage.recording.streaming.service.StreamControl;

/**
 * A session's live stream: its status (the server-sent events are {@link StreamEventsRoute}), its quality, its stream egress (HLS for large
 * audiences) and restreams of the host's saved targets.
 */
@Path("/api/sessions/{ref}/stream")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Streaming", description = "Live stream status, HLS playback, restreaming to Telegram, YouTube, Twitch or "
        + "any RTMP server, OBS ingest")
public class StreamResource {
    private final StreamControl control;
    private final SecurityIdentity identity;

    public StreamResource(StreamControl control, SecurityIdentity identity) {
        this.control = control;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getStreamStatus", summary = "The session's stream status",
            description = "status live | processing (a recording or the stream is still finishing) | offline; "
                    + "startedAt, liveDurationSeconds, viewerCount and guestCount (room-channel connections), "
                    + "quality, HLS state and playbackUrl (PUBLIC and UNLISTED sessions), OBS connected or not with "
                    + "the ingest bitrate LiveKit measures, health (ingest errors, restream retries); the host also "
                    + "gets each restream target's state. Anonymous callers see PUBLIC and UNLISTED sessions.")
    public Uni<StreamStatus> status(@Parameter(description = "Session id or slug") @PathParam("ref") String ref) {
        return control.status(ref, caller());
    }

    @PUT
    @Path("quality")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(operationId = "setStreamQuality", summary = "Choose the stream's quality (host)",
            description = "quality: 720p, 1080p or 4k (video sessions; the stream egress and the OBS ingress "
                    + "transcode to it); audioBitrateKbps 32-320 (AAC, default 128). Applies to the next stream "
                    + "egress and ingress; one already running keeps its encoding.")
    public Uni<StreamStatus> quality(@PathParam("ref") String ref, QualityRequest request) {
        if (request == null) {
            throw ProblemException.invalid("quality", "Send {\"quality\":\"1080p\"}");
        }
        return control.setQuality(ref, caller(), request.quality(), request.audioBitrateKbps());
    }

    @POST
    @Path("start")
    @Authenticated
    @Operation(operationId = "startStream", summary = "Start the stream egress: HLS playback (host)",
            description = "Answers 202; LiveKit's egress starts right after (retried while the room does not exist "
                    + "yet). The playlist is then at playbackUrl. Starting a restream starts it too.")
    public Uni<RestResponse<StreamStatus>> start(@PathParam("ref") String ref) {
        return control.start(ref, caller()).map(s -> RestResponse.status(RestResponse.Status.ACCEPTED, s));
    }

    @POST
    @Path("stop")
    @Authenticated
    @Operation(operationId = "stopStream", summary = "Stop the stream egress and every restream (host)",
            description = "The HLS playlist becomes video on demand once LiveKit has finished it.")
    public Uni<RestResponse<StreamStatus>> stop(@PathParam("ref") String ref) {
        return control.stop(ref, caller()).map(s -> RestResponse.status(RestResponse.Status.ACCEPTED, s));
    }

    @POST
    @Path("targets/{targetId}")
    @Authenticated
    @Operation(operationId = "startRestream", summary = "Restream the live session to one of the host's saved targets",
            description = "Adds the target's RTMP URL to the session's stream egress with LiveKit's UpdateStream "
                    + "(starting the egress when needed). Its state is in the status' targets; a target LiveKit "
                    + "reports FAILED is added again with backoff (2 s doubling to 1 min, 5 times) and the host is "
                    + "notified (GET /api/me/notifications). Telegram: see POST /api/me/restream-targets.")
    public Uni<RestResponse<StreamStatus>> startTarget(@PathParam("ref") String ref,
            @PathParam("targetId") String targetId) {
        return control.startRestream(ref, caller(), RestreamTargetResource.targetId(targetId))
                .map(s -> RestResponse.status(RestResponse.Status.ACCEPTED, s));
    }

    @DELETE
    @Path("targets/{targetId}")
    @Authenticated
    @Operation(operationId = "stopRestream", summary = "Stop restreaming to a target (host)",
            description = "Removes the target's URL from the session's stream egress (LiveKit's UpdateStream); the "
                    + "HLS stream and other restreams go on. Answers 202 with the status. 400 when targetId is no "
                    + "UUID; 403 for anyone but the host; 404 when the session is unknown; 409 when that target "
                    + "is not being restreamed in this session.")
    public Uni<RestResponse<StreamStatus>> stopTarget(@PathParam("ref") String ref,
            @PathParam("targetId") String targetId) {
        return control.stopRestream(ref, caller(), RestreamTargetResource.targetId(targetId))
                .map(s -> RestResponse.status(RestResponse.Status.ACCEPTED, s));
    }

    private String caller() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }

    /** The quality of a session's stream. */
    public record QualityRequest(String quality, Integer audioBitrateKbps) {
    }

    static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.invalid(field, field + " is a UUID");
        }
    }
}
