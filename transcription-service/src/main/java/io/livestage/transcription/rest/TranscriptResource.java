package io.livestage.transcription.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.events.transcript.TranscriptExports;
import io.livestage.platform.problem.ProblemException;
import io.livestage.transcription.model.SessionInfo;
import io.livestage.transcription.model.StoredSegment;
import io.livestage.transcription.repository.TranscriptRepository;

/** A session's stored transcript: JSON with speaker names, or an export as WebVTT, SRT or plain text. */
@Path("/api/sessions/{ref}/transcript")
@Tag(name = "Transcripts", description = "Stored live transcripts of sessions and their exports")
public class TranscriptResource {
    static final String VTT = "text/vtt";
    static final String SRT = "application/x-subrip";

    /** The transcript of a session: final segments in order of their start. */
    public record Transcript(String sessionId, String title, Instant startedAt, List<StoredSegment> segments) {
    }

    private final TranscriptRepository repository;
    private final SecurityIdentity identity;

    public TranscriptResource(TranscriptRepository repository, SecurityIdentity identity) {
        this.repository = repository;
        this.identity = identity;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, VTT, SRT, MediaType.TEXT_PLAIN})
    @Operation(operationId = "getSessionTranscript",
            summary = "The session's transcript (finals in order of start, with speaker names), or an export",
            description = "format=json (default), vtt (WebVTT with voice spans), srt (SubRip) or txt. Cue times are "
                    + "relative to the session's start. PUBLIC and UNLISTED sessions: anyone; PRIVATE: the host and "
                    + "participants.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Transcript.class)),
            @Content(mediaType = VTT), @Content(mediaType = SRT), @Content(mediaType = MediaType.TEXT_PLAIN)})
    public Uni<Response> transcript(@PathParam("ref") String ref,
            @Parameter(description = "json, vtt, srt or txt") @QueryParam("format") @DefaultValue("json") String format,
            @Parameter(description = "json only: include partial segments not finalised yet")
            @QueryParam("partials") @DefaultValue("false") boolean partials) {
        if (!List.of("json", "vtt", "srt", "txt").contains(format)) {
            throw ProblemException.invalid("format", "format is json, vtt, srt or txt");
        }
        if (partials && !"json".equals(format)) {
            throw ProblemException.invalid("partials", "exports contain finals only; partials=true needs format=json");
        }
        return repository.session(ref).flatMap(session -> {
            if (session == null || "DELETED".equals(session.status())) {
                throw ProblemException.notFound("session " + ref);
            }
            return readable(session).flatMap(v -> repository.segments(session.id(), partials))
                    .map(segments -> render(session, segments, format));
        });
    }

    private Uni<Void> readable(SessionInfo session) {
        if (!"PRIVATE".equals(session.visibility())) {
            return Uni.createFrom().voidItem();
        }
        if (identity.isAnonymous()) {
            throw ProblemException.fromStatus(401, "the transcript of a private session needs a bearer token");
        }
        String user = identity.getPrincipal().getName();
        if (user.equals(session.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return repository.participant(session.id(), user).map(p -> {
            if (p == null || p.removed()) {
                throw ProblemException.forbidden("only the host and participants read a private session's transcript");
            }
            return null;
        });
    }

    private static Response render(SessionInfo session, List<StoredSegment> segments, String format) {
        List<TranscriptExports.Cue> cues = segments.stream().map(StoredSegment::cue).toList();
        Instant zero = TranscriptExports.zero(session.startedAt(), cues);
        String file = "transcript-" + session.slug();
        return switch (format) {
            case "vtt" -> Response.ok(TranscriptExports.webVtt(cues, zero), VTT + ";charset=utf-8")
                    .header("Content-Disposition", "inline; filename=\"" + file + ".vtt\"").build();
            case "srt" -> Response.ok(TranscriptExports.srt(cues, zero), SRT + ";charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + file + ".srt\"").build();
            case "txt" -> Response.ok(TranscriptExports.text(cues, zero), MediaType.TEXT_PLAIN + ";charset=utf-8")
                    .header("Content-Disposition", "inline; filename=\"" + file + ".txt\"").build();
            default -> Response.ok(new Transcript(session.id().toString(), session.title(), session.startedAt(), segments),
                    MediaType.APPLICATION_JSON).build();
        };
    }
}
