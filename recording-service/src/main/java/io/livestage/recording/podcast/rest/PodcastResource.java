package io.livestage.recording.podcast.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.service.PublicEpisodes;
import io.livestage.recording.rest.FileResponses;

/**
 * What podcast apps fetch, without a token: a published (PUBLIC or UNLISTED) episode's MP3, WebVTT transcript and
 * Podcasting 2.0 chapters. Anything else is 404.
 */
@Path("/podcast/episodes")
@Tag(name = "Podcast", description = "Public files of published episodes (no token)")
public class PodcastResource {
    static final String MP3 = "audio/mpeg";
    static final String VTT = "text/vtt;charset=utf-8";
    static final String CHAPTERS = "application/json+chapters";
    static final String CHAPTERS_VERSION = "1.2.0";

    private final PublicEpisodes episodes;
    private final ObjectMapper json;

    public PodcastResource(PublicEpisodes episodes, ObjectMapper json) {
        this.episodes = episodes;
        this.json = json;
    }

    @GET
    @Path("{id}.mp3")
    @Produces(MP3)
    @Operation(operationId = "getEpisodeMp3", summary = "The episode's MP3 (the feed's enclosure)",
            description = "Byte ranges (206; 416 when malformed or past the end), ETag/If-None-Match (304), If-Range, "
                    + "Last-Modified, as podcast apps and Apple require. With S3 storage: 302 to a presigned URL.")
    public Uni<Response> media(@PathParam("id") String id, HttpHeaders headers) {
        return mp3(id, headers, false);
    }

    @HEAD
    @Path("{id}.mp3")
    @Produces(MP3)
    @Operation(operationId = "headEpisodeMp3", summary = "The headers GET would answer for the MP3, without the body",
            description = "What podcast apps ask before downloading: Content-Length, Accept-Ranges, ETag, "
                    + "Last-Modified. No token; only PUBLISHED episodes that are PUBLIC or UNLISTED, 404 for "
                    + "anything else.")
    public Uni<Response> mediaHead(@PathParam("id") String id, HttpHeaders headers) {
        return mp3(id, headers, true);
    }

    @GET
    @Path("{id}/transcript.vtt")
    @Operation(operationId = "getEpisodeTranscript",
            summary = "The episode's transcript as WebVTT, speakers as <v Name>, times from the recording's start",
            description = "The live transcript of the recorded stretch of the session (the feed's "
                    + "podcast:transcript). No token; only PUBLISHED episodes that are PUBLIC or UNLISTED, 404 for "
                    + "anything else.")
    public Uni<Response> transcript(@PathParam("id") String id) {
        return episodes.transcript(id).map(vtt -> Response.ok(vtt, VTT).build());
    }

    @GET
    @Path("{id}/chapters.json")
    @Operation(operationId = "getEpisodeChapters", summary = "The episode's chapters (Podcasting 2.0 JSON chapters 1.2.0)",
            description = "{\"version\":\"1.2.0\",\"chapters\":[{\"startTime\":0,\"title\":\"Intro\"}]} as "
                    + "application/json+chapters (the feed's podcast:chapters). No token; only PUBLISHED episodes "
                    + "that are PUBLIC or UNLISTED, 404 for anything else.")
    public Uni<Response> chapters(@PathParam("id") String id) {
        return episodes.chapters(id).map(chapters -> Response.ok(document(chapters), CHAPTERS).build());
    }

    /** The enclosure, served like every stored file (FileResponses); public, so caches may keep it a while. */
    private Uni<Response> mp3(String id, HttpHeaders headers, boolean head) {
        return episodes.media(id).chain(media -> media.redirect() != null
                ? Uni.createFrom().item(FileResponses.redirect(media.redirect()))
                : episodes.stat(media).map(stat -> FileResponses.file(FileResponses.request(headers, head), stat,
                        media.file(), MP3, "public, max-age=3600", null)));
    }

    /** The JSON chapters document (Podcasting 2.0). */
    record ChaptersDocument(String version, List<Entry> chapters) {
        /** One chapter: seconds from the start, and its title. */
        record Entry(double startTime, String title) {
        }
    }

    private String document(List<Chapter> chapters) {
        try {
            return json.writeValueAsString(new ChaptersDocument(CHAPTERS_VERSION, chapters.stream()
                    .map(c -> new ChaptersDocument.Entry(c.startMillis() / 1000.0, c.title())).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Chapters cannot be written as JSON", e);
        }
    }
}
