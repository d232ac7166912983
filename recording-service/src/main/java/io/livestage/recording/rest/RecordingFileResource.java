package io.livestage.recording.rest;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.service.RecordingFiles;
import io.livestage.recording.storage.RecordingStorage;

/**
 * A completed recording's file: GET and HEAD with byte ranges, entity tags and conditional requests (local storage,
 * sent with sendfile from the offset), or a 302 to a presigned URL (S3 storage). {@code ?download=1} adds
 * {@code Content-Disposition: attachment} with a file name made from the session's slug.
 */
@Path("/api/sessions/{ref}/recordings/{rid}/files/{format}")
// the media types a file can have: with */* the JSON writer would be chosen for the PathPart at build time
@Produces({ "audio/mpeg", "video/mp4", "audio/ogg", "video/mp2t", "application/vnd.apple.mpegurl",
        MediaType.APPLICATION_OCTET_STREAM })
@Authenticated
@Tag(name = "Recordings")
public class RecordingFileResource {
    private static final Pattern RECORDING_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final RecordingFiles files;
    private final RecordingStorage storage;
    private final SecurityIdentity identity;

    public RecordingFileResource(RecordingFiles files, RecordingStorage storage, SecurityIdentity identity) {
        this.files = files;
        this.storage = storage;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getRecordingFile", summary = "Download or stream a completed recording file",
            description = "Range requests (one range: 206 with Content-Range; several: the whole file; malformed or "
                    + "past the end: 416 with Content-Range bytes */size), ETag/If-None-Match (304), If-Range, "
                    + "Last-Modified. PUBLIC and UNLISTED sessions: anyone signed in; PRIVATE: the host and "
                    + "participants, 404 for others. 409 until the output is COMPLETE. With S3 storage: 302 to a "
                    + "short-lived presigned URL.")
    @APIResponse(responseCode = "200", description = "The whole file")
    @APIResponse(responseCode = "206", description = "The requested byte range")
    @APIResponse(responseCode = "302", description = "S3 storage: the presigned URL")
    @APIResponse(responseCode = "304", description = "If-None-Match names the file's ETag")
    @APIResponse(responseCode = "416", description = "The Range is malformed or starts past the end")
    public Uni<Response> get(
            @Parameter(description = "Session id or slug") @PathParam("ref") @Size(max = 36) String ref,
            @PathParam("rid") String rid,
            @Parameter(description = "mp3 or mp4") @PathParam("format") String format,
            @Parameter(description = "1: download as an attachment") @RestQuery("download") String download,
            HttpHeaders headers) {
        return serve(ref, rid, format, download, headers, false);
    }

    @HEAD
    @Operation(operationId = "headRecordingFile", summary = "The headers GET would answer for the whole file, without the body",
            description = "Content-Type, Content-Length, Accept-Ranges, ETag and Last-Modified of the file, so a "
                    + "player can check it before downloading. Same access, errors and conditional answers as "
                    + "getRecordingFile.")
    public Uni<Response> head(@PathParam("ref") @Size(max = 36) String ref, @PathParam("rid") String rid,
            @PathParam("format") String format, @RestQuery("download") String download, HttpHeaders headers) {
        return serve(ref, rid, format, download, headers, true);
    }

    private Uni<Response> serve(String ref, String rid, String format, String download,
            HttpHeaders headers, boolean head) {
        UUID recording = recordingId(rid);
        RecordingFormat wanted = format(format);
        boolean attachment = "1".equals(download) || "true".equalsIgnoreCase(download);
        return files.locate(ref, recording, wanted, identity.getPrincipal().getName(), attachment)
                .chain(target -> target.redirect() != null
                        ? Uni.createFrom().item(FileResponses.redirect(target.redirect()))
                        : storage.stat(target.file(), recording).map(stat -> FileResponses.file(
                                FileResponses.request(headers, head), stat, target.file(), target.contentType(),
                                "private, max-age=0, must-revalidate",
                                attachment ? "attachment; filename=\"" + target.downloadName() + "\"" : null)));
    }

    private static UUID recordingId(String rid) {
        if (!RECORDING_ID.matcher(rid).matches()) {
            throw ProblemException.invalid("rid", "A recording id is a UUID such as 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
        }
        return UUID.fromString(rid);
    }

    private static RecordingFormat format(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "mp3" -> RecordingFormat.MP3;
            case "mp4" -> RecordingFormat.MP4;
            default -> throw ProblemException.invalid("format", "A recording file is mp3 or mp4");
        };
    }
}
