package io.livestage.recording.podcast.rest;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.service.EpisodeService;

/** The podcast library of a host: episodes made from completed recordings, edited and published by the host. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Episodes", description = "The podcast library: a completed recording becomes a draft episode")
public class EpisodeResource {
    private final EpisodeService episodes;
    private final SecurityIdentity identity;

    public EpisodeResource(EpisodeService episodes, SecurityIdentity identity) {
        this.episodes = episodes;
        this.identity = identity;
    }

    @GET
    @Path("me/episodes")
    @Operation(operationId = "listMyEpisodes", summary = "The caller's episodes, drafts included, newest first",
            description = "Every episode made from the caller's sessions' recordings (DRAFT, PUBLISHED or "
                    + "UNPUBLISHED), each with its chapters and public links (MP3, transcript, chapters). Any "
                    + "signed-in user; empty when they host nothing recorded.")
    public Uni<List<EpisodeResponse>> mine() {
        return episodes.mine(caller()).map(list -> list.stream().map(EpisodeResponse::of).toList());
    }

    @GET
    @Path("episodes/{id}")
    @Operation(operationId = "getEpisode", summary = "One episode", description = "The host and the session's cohosts; anyone signed in once it "
            + "is published and not PRIVATE. Others get 404.")
    public Uni<EpisodeResponse> get(@PathParam("id") String id) {
        return episodes.get(id(id), caller()).map(EpisodeResponse::of);
    }

    @PATCH
    @Path("episodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "editEpisode", summary = "Edit an episode (host)", description = "Only the fields given change: title, description, "
            + "tags, explicit, season, episodeNumber, episodeType (full, trailer, bonus), visibility (PUBLIC, UNLISTED, "
            + "PRIVATE), space (a slug; null clears it, as for season and episodeNumber). 400 names the field.")
    public Uni<EpisodeResponse> edit(@PathParam("id") String id, JsonNode body) {
        return episodes.edit(id(id), caller(), body).map(EpisodeResponse::of);
    }

    @PUT
    @Path("episodes/{id}/chapters")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "replaceEpisodeChapters", summary = "Replace an episode's chapters (host)", description = "{\"chapters\":[{\"startTime\":0,"
            + "\"title\":\"Intro\"}]}: seconds from the start, ascending, within the episode.")
    public Uni<EpisodeResponse> chapters(@PathParam("id") String id, JsonNode body) {
        return episodes.chapters(id(id), caller(), body).map(EpisodeResponse::of);
    }

    @POST
    @Path("episodes/{id}/publish")
    @Operation(operationId = "publishEpisode", summary = "Publish an episode (host)", description = "Emits podcast.published; 409 when it is "
            + "published already.")
    public Uni<EpisodeResponse> publish(@PathParam("id") String id) {
        return episodes.publish(id(id), caller()).map(EpisodeResponse::of);
    }

    @POST
    @Path("episodes/{id}/unpublish")
    @Operation(operationId = "unpublishEpisode", summary = "Take a published episode back (host)", description = "Emits podcast.unpublished; 409 "
            + "when it is not published.")
    public Uni<EpisodeResponse> unpublish(@PathParam("id") String id) {
        return episodes.unpublish(id(id), caller()).map(EpisodeResponse::of);
    }

    @DELETE
    @Path("episodes/{id}")
    @Operation(operationId = "deleteEpisode", summary = "Delete an episode (host)", description = "The recording and its file stay; a published "
            + "episode is announced with podcast.unpublished (DELETED).")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return episodes.delete(id(id), caller()).map(ignored -> RestResponse.noContent());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    /** An id that is no UUID names no episode. */
    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("episode " + id);
        }
    }
}
