package io.livestage.session.rest;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Session;
import io.livestage.session.service.IdempotencyKey;
import io.livestage.session.service.SessionCreation;
import io.livestage.session.service.SessionFilter;
import io.livestage.session.service.SessionService;
import io.livestage.session.service.SessionSlice;

/** Sessions REST API. Thin: identity and parameters in, the use case's result out. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "Create, list, change and run live sessions")
public class SessionResource {
    /** Marks the answer to a retried create (Stripe's name for it). */
    static final String REPLAYED = "Idempotent-Replayed";
    private final SessionCreation creation;
    private final SessionService service;
    private final SecurityIdentity identity;

    public SessionResource(SessionCreation creation, SessionService service, SecurityIdentity identity) {
        this.creation = creation;
        this.service = service;
        this.identity = identity;
    }

    @POST
    @Authenticated
    @Operation(operationId = "createSession", summary = "Create a session; the caller becomes its host",
            description = "Any signed-in user may create a session (SCHEDULED; 201 with Location). Send an Idempotency-Key to retry safely: the same key and body within 24 hours answer the "
                    + "session the first request created (201, same id and Location, header Idempotent-Replayed: true) "
                    + "instead of creating another.")
    @APIResponse(responseCode = "201", description = "Created (SCHEDULED), or created earlier with the same Idempotency-Key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid body, or an empty, over-long or non-ASCII Idempotency-Key")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request (type idempotency-key-reused)")
    @Parameter(name = IdempotencyKey.HEADER, in = ParameterIn.HEADER,
            description = "A unique value per session to create (a UUID, say), 1 to 255 visible ASCII characters. Kept "
                    + "24 hours per user: a retry with the same key and body returns the session created first; the "
                    + "same key with another body is refused with 422.",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = IdempotencyKey.MAX_LENGTH),
            example = "5f0c7c1e-1b8e-4d3f-9a51-2f7f3c9d1a24")
    public Uni<RestResponse<SessionResponse>> create(@Valid @NotNull CreateSessionRequest request,
            @Context HttpServerRequest http) {
        // The raw header: an empty one is an error, not the same as none.
        IdempotencyKey key = IdempotencyKey.parse(http.getHeader(IdempotencyKey.HEADER));
        return creation.create(caller(), request.toCommand(), key).map(created -> {
            Session s = created.session();
            RestResponse.ResponseBuilder<SessionResponse> response = RestResponse.ResponseBuilder
                    .<SessionResponse>created(URI.create("/api/sessions/" + s.id)).entity(SessionResponse.of(s));
            return (created.replayed() ? response.header(REPLAYED, "true") : response).build();
        });
    }

    @GET
    @PermitAll
    @Operation(operationId = "listSessions", summary = "List sessions, newest first",
            description = "Anyone, signed in or not. Others' sessions appear only when PUBLIC; your own sessions "
                    + "always (host=me lists them, and needs a token: 401 without one). Filters combine; pages "
                    + "are cursor-based: pass the previous page's nextCursor as cursor (null on the last page). "
                    + "400 naming the parameter for an unknown status or visibility, a limit outside 1-100 or a "
                    + "malformed cursor.")
    public Uni<SessionPage> list(
            @Parameter(description = "SCHEDULED, ACTIVE, ENDED or CANCELLED") @QueryParam("status") String status,
            @Parameter(description = "Host user id; 'me' for the caller") @QueryParam("host") String host,
            @QueryParam("space") String space,
            @Parameter(description = "PUBLIC, UNLISTED or PRIVATE") @QueryParam("visibility") String visibility,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        String viewer = callerOrNull();
        String hostId = "me".equals(host) ? requireCaller() : host;
        SessionFilter filter = new SessionFilter(viewer, parse(SessionStatus.class, status, "status"), hostId, space,
                parse(SessionVisibility.class, visibility, "visibility"), cursor, limit);
        return service.list(filter).map(SessionResource::page);
    }

    @GET
    @Path("{id}")
    @PermitAll
    @Operation(operationId = "getSession", summary = "Get a session by id",
            description = "Anyone, signed in or not, for PUBLIC and UNLISTED sessions; a PRIVATE session only for "
                    + "its host. 404 when the session does not exist or the caller may not see it (a PRIVATE "
                    + "session's existence is not revealed).")
    public Uni<SessionResponse> get(@PathParam("id") UUID id) {
        return service.get(id, callerOrNull()).map(SessionResponse::of);
    }

    @GET
    @Path("by-slug/{slug}")
    @PermitAll
    @Operation(operationId = "getSessionBySlug", summary = "Get a session by its 8-character share code",
            description = "The share link's code (8 characters a-z, 0-9; 400 otherwise). Same visibility rules as "
                    + "getSession: PUBLIC and UNLISTED for anyone, PRIVATE for the host only, 404 for the rest.")
    public Uni<SessionResponse> getBySlug(
            @PathParam("slug") @Pattern(regexp = "[a-z0-9]{8}", message = "must be 8 characters a-z or 0-9") String slug) {
        return service.getBySlug(slug, callerOrNull()).map(SessionResponse::of);
    }

    @PATCH
    @Path("{id}")
    @Authenticated
    @Operation(operationId = "updateSession",
            summary = "Change title, description, schedule or settings (host only, until the session ends)",
            description = "Partial update: absent fields stay, an empty description clears it, settings merge "
                    + "field by field. Emits session.updated when something changed. 400 naming the field (blank "
                    + "title, settings limits such as maxGuests below maxParticipants); 403 for anyone but the "
                    + "host; 404 when unknown or not visible; 409 once the session has ended or was cancelled, or "
                    + "when scheduledAt is given for a session that is no longer SCHEDULED.")
    public Uni<SessionResponse> update(@PathParam("id") UUID id, @Valid @NotNull UpdateSessionRequest request) {
        return service.update(id, caller(), request.toCommand()).map(SessionResponse::of);
    }

    @POST
    @Path("{id}/start")
    @Authenticated
    @Operation(operationId = "startSession", summary = "Go live: SCHEDULED -> ACTIVE (host only)",
            description = "An unscheduled session may start at once, a scheduled one from 15 minutes before "
                    + "scheduledAt. Emits session.started (recording and restreams set to start automatically "
                    + "follow). 403 for anyone but the host; 404 when unknown; 409 when not SCHEDULED or too early.")
    public Uni<SessionResponse> start(@PathParam("id") UUID id) {
        return service.start(id, caller()).map(SessionResponse::of);
    }

    @POST
    @Path("{id}/end")
    @Authenticated
    @Operation(operationId = "endSession", summary = "End for everyone: ACTIVE -> ENDED (host only)",
            description = "Every present participant leaves (speaking time closed), waiting hands expire, the "
                    + "LiveKit room is closed and session.ended closes every room channel. 403 for anyone but the "
                    + "host; 404 when unknown; 409 when the session is not ACTIVE.")
    public Uni<SessionResponse> end(@PathParam("id") UUID id) {
        return service.end(id, caller()).map(SessionResponse::of);
    }

    @POST
    @Path("{id}/cancel")
    @Authenticated
    @Operation(operationId = "cancelSession", summary = "Call off a scheduled session: SCHEDULED -> CANCELLED (host only)",
            description = "The session stays readable as CANCELLED and can no longer be joined or edited. Emits "
                    + "session.cancelled. 403 for anyone but the host; 404 when unknown; 409 when not SCHEDULED.")
    public Uni<SessionResponse> cancel(@PathParam("id") UUID id) {
        return service.cancel(id, caller()).map(SessionResponse::of);
    }

    @DELETE
    @Path("{id}")
    @Authenticated
    @Operation(operationId = "deleteSession", summary = "Delete a session that is not live (host only)",
            description = "Allowed in any status but ACTIVE (end it first: 409). Emits session.deleted; the "
                    + "session answers 404 afterwards. 403 for anyone but the host; 404 when unknown.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return service.delete(id, caller());
    }

    private static SessionPage page(SessionSlice slice) {
        return new SessionPage(slice.items().stream().map(SessionResponse::of).toList(), slice.nextCursor());
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    private String requireCaller() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException("host=me needs a signed-in caller");
        }
        return caller();
    }

    private String callerOrNull() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }
}
