package io.livestage.recording.streaming.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.streaming.model.RestreamTarget;
import io.livestage.recording.streaming.model.TargetKind;
import io.livestage.recording.streaming.service.RestreamTargets;

/** The caller's saved restream targets. Stream keys go in, and never come out except masked. */
@Path("/api/me/restream-targets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Streaming")
public class RestreamTargetResource {
    private final RestreamTargets targets;
    private final SecurityIdentity identity;

    public RestreamTargetResource(RestreamTargets targets, SecurityIdentity identity) {
        this.targets = targets;
        this.identity = identity;
    }

    /** A target to save: {@code serverUrl} may be omitted for YOUTUBE and TWITCH (their default ingest). */
    public record TargetRequest(String name, String kind, String serverUrl, String streamKey, Boolean autoStart) {
        @Override
        public String toString() {
            return "TargetRequest[name=" + name + ", kind=" + kind + ", streamKey=(hidden)]";
        }
    }

    /** A saved target: the key masked ({@code ••••abcd}). */
    public record TargetResponse(UUID id, String name, TargetKind kind, String serverUrl, String streamKey,
            boolean autoStart, Instant createdAt, Instant updatedAt) {
        static TargetResponse of(RestreamTarget t) {
            return new TargetResponse(t.id(), t.name(), t.kind(), t.serverUrl(), t.maskedKey(), t.autoStart(),
                    t.createdAt(), t.updatedAt());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createRestreamTarget", summary = "Save a restream target",
            description = "kind TELEGRAM, YOUTUBE, TWITCH or RTMP; serverUrl rtmp:// or rtmps:// with an "
                    + "application path; streamKey without spaces or slashes; autoStart: restream every session of "
                    + "yours from its start. Telegram: in the group or channel, start a live stream (video chat > "
                    + "Start with... / Stream with...), and copy the Server URL (rtmps://dcN-1.rtmp.t.me/s/) into "
                    + "serverUrl and the Stream Key into streamKey; only a chat admin sees them, and Telegram's "
                    + "Revoke makes a new key (save it here again). The key is stored encrypted (AES-GCM) and shown "
                    + "back masked. A 400 names the field that is wrong.")
    public Uni<RestResponse<TargetResponse>> create(TargetRequest request) {
        TargetRequest r = require(request);
        return targets.create(caller(), r.name(), r.kind(), r.serverUrl(), r.streamKey(),
                Boolean.TRUE.equals(r.autoStart())).map(t -> RestResponse.ResponseBuilder
                        .create(RestResponse.Status.CREATED, TargetResponse.of(t))
                        .location(URI.create("/api/me/restream-targets/" + t.id())).build());
    }

    @GET
    @Operation(operationId = "listRestreamTargets", summary = "Your restream targets (keys masked)",
            description = "The caller's saved targets (Telegram, YouTube, Twitch or any RTMP server) with their "
                    + "server URL, autoStart and the stream key masked (only its last characters); keys are never shown in full "
                    + "again.")
    public Uni<List<TargetResponse>> list() {
        return targets.list(caller()).map(list -> list.stream().map(TargetResponse::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getRestreamTarget", summary = "One of your restream targets (key masked)",
            description = "400 when the id is no UUID; 404 when the target does not exist or is someone else's.")
    public Uni<TargetResponse> get(@PathParam("id") String id) {
        return targets.get(caller(), targetId(id)).map(TargetResponse::of);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateRestreamTarget", summary = "Change a restream target", description = "Without streamKey the stored key is kept. A "
            + "restream already running keeps the URL it started with until it is stopped.")
    public Uni<TargetResponse> update(@PathParam("id") String id, TargetRequest request) {
        TargetRequest r = require(request);
        return targets.update(caller(), targetId(id), r.name(), r.kind(), r.serverUrl(), r.streamKey(),
                Boolean.TRUE.equals(r.autoStart())).map(TargetResponse::of);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteRestreamTarget", summary = "Delete a restream target", description = "Running restreams keep going until stopped.")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return targets.delete(caller(), targetId(id)).map(ignored -> RestResponse.noContent());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    private static TargetRequest require(TargetRequest request) {
        if (request == null) {
            throw ProblemException.invalid("name", "Send {\"name\", \"kind\", \"serverUrl\", \"streamKey\"}");
        }
        return request;
    }

    static UUID targetId(String id) {
        return StreamResource.uuid(id, "targetId");
    }
}
