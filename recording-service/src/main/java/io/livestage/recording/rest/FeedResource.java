package io.livestage.recording.rest;

import java.time.temporal.ChronoUnit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.podcast.feed.FeedRenderer;
import io.livestage.recording.service.FeedService;
import io.livestage.recording.service.RenderedFeed;

/**
 * The public podcast feeds (no token: podcast apps fetch them): RSS 2.0 with Apple's and Podcasting 2.0's tags, a
 * strong ETag, Last-Modified and 304 answers to conditional requests.
 */
@Path("/podcast/feeds")
@Tag(name = "Podcast feeds", description = "Public RSS feeds of hosts and spaces (no token)")
public class FeedResource {
    private static final String SUFFIX = ".xml";

    private final FeedService feeds;
    private final String cacheControl;

    public FeedResource(FeedService feeds, RecordingConfig config) {
        this.feeds = feeds;
        this.cacheControl = "public, max-age=" + config.feeds().maxAgeSeconds();
    }

    @GET
    @Path("hosts/{file}")
    @Operation(operationId = "getHostPodcastFeed", summary = "A host's podcast feed: its published public episodes, newest first",
            description = "application/rss+xml. 304 when If-None-Match (or If-Modified-Since) shows the copy is "
                    + "current. 404 when the host has neither a podcast profile nor any episode.")
    @APIResponse(responseCode = "200", description = "The RSS feed")
    public Uni<RestResponse<byte[]>> host(@PathParam("file") String file,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
        return feeds.hostFeed(name(file, "podcast of host ")).map(feed -> answer(feed, ifNoneMatch,
                ifModifiedSince));
    }

    @GET
    @Path("spaces/{file}")
    @Operation(operationId = "getSpacePodcastFeed", summary = "A space's podcast feed: its owner's published public episodes placed in the space",
            description = "As the host feed; 404 for an unknown space.")
    @APIResponse(responseCode = "200", description = "The RSS feed")
    public Uni<RestResponse<byte[]>> space(@PathParam("file") String file,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
        return feeds.spaceFeed(name(file, "space ")).map(feed -> answer(feed, ifNoneMatch, ifModifiedSince));
    }

    /** {@code <name>.xml} → name; anything else is not a feed. */
    private static String name(String file, String what) {
        if (!file.endsWith(SUFFIX) || file.length() == SUFFIX.length()) {
            throw ProblemException.notFound(what + file);
        }
        return file.substring(0, file.length() - SUFFIX.length());
    }

    private RestResponse<byte[]> answer(RenderedFeed feed, String ifNoneMatch, String ifModifiedSince) {
        boolean current = FeedConditions.notModified(ifNoneMatch, ifModifiedSince, feed.etag(), feed.lastModified());
        RestResponse.ResponseBuilder<byte[]> response = current
                ? RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_MODIFIED)
                : RestResponse.ResponseBuilder.ok(feed.body(), FeedRenderer.CONTENT_TYPE);
        response.header(HttpHeaders.ETAG, feed.etag()).header(HttpHeaders.CACHE_CONTROL, cacheControl);
        if (feed.lastModified() != null) {
            response.header(HttpHeaders.LAST_MODIFIED,
                    FeedRenderer.RFC_2822.format(feed.lastModified().truncatedTo(ChronoUnit.SECONDS)));
        }
        return response.build();
    }
}
