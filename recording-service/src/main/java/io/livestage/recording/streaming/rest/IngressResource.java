package io.livestage.recording.streaming.rest;

import java.net.URI;

import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.recording.streaming.service.ObsIngest;

/** The host's OBS ingest of a session: RTMP server URL and stream key, only ever to the host. */
@Path("/api/sessions/{ref}/stream/ingress")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Streaming")
public class IngressResource {
    private final ObsIngest obs;
    private final SecurityIdentity identity;

    public IngressResource(ObsIngest obs, SecurityIdentity identity) {
        this.obs = obs;
        this.identity = identity;
    }

    /** What OBS needs: Settings, Stream, Service "Custom...", Server = rtmpUrl, Stream Key = streamKey. */
    public record IngressResponse(String ingressId, String rtmpUrl, String streamKey, String state,
            boolean interruptedLivePush) {
        static IngressResponse of(ObsIngest.Credentials c) {
            return new IngressResponse(c.ingressId(), c.url(), c.streamKey(), c.state(), c.replacedLivePush());
        }

        @Override
        public String toString() {
            return "IngressResponse[ingressId=" + ingressId + ", streamKey=(hidden)]";
        }
    }

    @POST
    @Operation(operationId = "createObsIngest", summary = "Create the session's OBS ingest (host only)",
            description = "LiveKit creates an RTMP ingress publishing into the session's room, transcoded to the "
                    + "stream quality. In OBS: Settings > Stream > Service: Custom..., Server: rtmpUrl, Stream Key: "
                    + "streamKey. The key is shown to the host only and stored encrypted; 409 when one exists.")
    public Uni<RestResponse<IngressResponse>> create(@jakarta.ws.rs.PathParam("ref") String ref) {
        return obs.create(ref, caller()).map(c -> RestResponse.ResponseBuilder
                .create(RestResponse.Status.CREATED, IngressResponse.of(c))
                .location(URI.create("/api/sessions/" + ref + "/stream/ingress")).build());
    }

    @GET
    @Operation(operationId = "getObsIngest", summary = "The session's OBS server URL and stream key (host only)",
            description = "rtmpUrl and streamKey to put into OBS, and the ingress state LiveKit reports. The key is "
                    + "shown to the host only: 403 for anyone else; 404 when the session is unknown or has no "
                    + "OBS ingest (create one first).")
    public Uni<IngressResponse> get(@PathParam("ref") String ref) {
        return obs.get(ref, caller()).map(IngressResponse::of);
    }

    @POST
    @Path("rotate")
    @Operation(operationId = "rotateObsStreamKey", summary = "Rotate the stream key (host only)",
            description = "LiveKit cannot change a key: a new ingress is created and the old one deleted, which "
                    + "cuts a push that is live on the old key (interruptedLivePush says so). Put the new key into "
                    + "OBS and start streaming again.")
    public Uni<IngressResponse> rotate(@PathParam("ref") String ref) {
        return obs.rotate(ref, caller()).map(IngressResponse::of);
    }

    @DELETE
    @Operation(operationId = "revokeObsIngest", summary = "Revoke the OBS ingest (host only)", description = "The key stops working at once.")
    public Uni<RestResponse<Void>> revoke(@PathParam("ref") String ref) {
        return obs.revoke(ref, caller()).map(ignored -> RestResponse.noContent());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
