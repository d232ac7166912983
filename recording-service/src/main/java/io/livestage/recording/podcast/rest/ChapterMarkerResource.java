package io.livestage.recording.podcast.rest;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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
import io.livestage.recording.podcast.service.ChapterMarkers;

/** Chapter markers the host or a cohost sets during the live session (chapters of the episodes recorded then). */
@Path("/api/sessions/{ref}/chapters/markers")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Episodes")
public class ChapterMarkerResource {
    private final ChapterMarkers markers;
    private final SecurityIdentity identity;

    public ChapterMarkerResource(ChapterMarkers markers, SecurityIdentity identity) {
        this.markers = markers;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createChapterMarker", summary = "Set a chapter marker now (host or cohost, while the session is live)",
            description = "The marker opens a chapter in the episodes of recordings running now. 409 unless the "
                    + "session is ACTIVE; 400 names the field.")
    @APIResponse(responseCode = "201", description = "The marker",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MarkerResponse.class)))
    public Uni<RestResponse<MarkerResponse>> mark(
            @Parameter(description = "Session id or slug") @PathParam("ref") @Size(max = 36) String ref,
            MarkerRequest request) {
        if (request == null) {
            throw ProblemException.invalid("title", "A marker has a title");
        }
        return markers.mark(ref, identity.getPrincipal().getName(), request.title())
                .map(entry -> RestResponse.status(RestResponse.Status.CREATED, MarkerResponse.of(entry)));
    }
}
