package io.livestage.recording.rest;

import java.net.URI;

import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.feed.PodcastChannel;
import io.livestage.recording.service.ChannelService;

/** Podcast profiles: the caller's own channel and the spaces it owns (named shows with their own feed). */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Podcast channels", description = "A host's podcast profile and its spaces; their public feeds")
public class ChannelResource {
    private final ChannelService channels;
    private final SecurityIdentity identity;

    public ChannelResource(ChannelService channels, SecurityIdentity identity) {
        this.channels = channels;
        this.identity = identity;
    }

    @GET
    @Path("me/podcast")
    @Operation(operationId = "getMyPodcastChannel", summary = "The caller's podcast profile (the defaults until one is saved)",
            description = "Title, description, author, language, categories, image and explicit flag of the "
                    + "caller's own podcast feed, with the feed's public URL; saved=false while these are still "
                    + "the defaults. Any signed-in user.")
    public Uni<ChannelResponse> myChannel() {
        return channels.hostChannel(caller()).map(this::response);
    }

    @PUT
    @Path("me/podcast")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "saveMyPodcastChannel", summary = "Save the caller's podcast profile",
            description = "Replaces the whole profile; a field left out takes its default. 400 naming the field "
                    + "for a bad value (language, category, subcategory, image URL, lengths).")
    public Uni<ChannelResponse> saveMyChannel(ChannelRequest request) {
        return channels.saveHostChannel(caller(), request == null ? null : request.input()).map(this::response);
    }

    @POST
    @Path("podcast/spaces")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createPodcastSpace", summary = "Create a space owned by the caller",
            description = "A space is a show with its own feed (/podcast/feeds/spaces/{slug}.xml) listing the "
                    + "owner's episodes placed in it. 409 naming slug when it is taken.")
    @APIResponse(responseCode = "201", description = "The space",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChannelResponse.class)))
    public Uni<RestResponse<ChannelResponse>> createSpace(ChannelSpaceRequest request) {
        if (request == null) {
            throw ProblemException.invalid("slug", "Send the space as a JSON object with at least its slug");
        }
        return channels.createSpace(caller(), request.slug(), request.input())
                .map(space -> RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, response(space))
                        .location(URI.create("/api/podcast/spaces/" + space.space())).build());
    }

    @GET
    @Path("podcast/spaces/{space}")
    @Operation(operationId = "getPodcastSpace", summary = "A space the caller owns", description = "403 for anyone but its owner, 404 when unknown.")
    public Uni<ChannelResponse> space(@PathParam("space") String space) {
        return channels.space(caller(), space).map(this::response);
    }

    @PUT
    @Path("podcast/spaces/{space}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updatePodcastSpace", summary = "Replace the profile of a space the caller owns",
            description = "As the host profile; slug, owner and podcast guid never change.")
    public Uni<ChannelResponse> updateSpace(@PathParam("space") String space, ChannelRequest request) {
        return channels.updateSpace(caller(), space, request == null ? null : request.input()).map(this::response);
    }

    private ChannelResponse response(PodcastChannel channel) {
        return ChannelResponse.of(channel, channels.links());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }
}
