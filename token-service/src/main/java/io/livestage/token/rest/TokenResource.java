package io.livestage.token.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.token.service.IssuedToken;
import io.livestage.token.service.TokenService;

@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens", description = "LiveKit access tokens from your role in a session")
public class TokenResource {
    private final TokenService tokens;
    private final SecurityIdentity identity;

    public TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @Schema(description = "Which session to join, by id or slug; optionally the display name to show")
    public record TokenRequest(
            @Schema(example = "k3v9q2xa") @NotBlank @Size(max = 36)
            @Pattern(regexp = "[a-z0-9]{8}|[0-9a-fA-F-]{36}", message = "must be a session id or an 8-character slug")
            String session,
            @Schema(example = "Bob") @Size(min = 1, max = 100) String name) {
    }

    @POST
    @PermitAll
    @Operation(operationId = "issueLiveKitToken", summary = "Get a LiveKit token to join a session",
            description = "Signed in: joins the session and grants by your role (host/cohost/guest publish, viewers "
                    + "subscribe). Anonymous: PUBLIC sessions only, as a viewer with a random anon-<slug>-<random> "
                    + "identity. 409 for ended or cancelled sessions; 403 when removed or not invited.")
    public Uni<IssuedToken> issue(@Valid @NotNull TokenRequest request,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String name = request.name() == null ? null : request.name().strip();
        return tokens.issue(request.session(), name, identity, authorization);
    }
}
