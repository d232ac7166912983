package io.livestage.session.rest;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionVisibility;
import io.livestage.session.service.NewSession;

@Schema(description = "A new session. The caller becomes its host.")
public record CreateSessionRequest(
        @Schema(example = "Friday product AMA") @NotBlank @Size(max = 200) String title,
        @Schema(example = "Ask us anything about the new release.") @Size(max = 5000) String description,
        @Schema(description = "AUDIO room or VIDEO session") @NotNull SessionKind kind,
        @Schema(description = "PUBLIC (listed, anonymous viewers), UNLISTED (by link) or PRIVATE (invited only); default PUBLIC")
        SessionVisibility visibility,
        @Schema(description = "When it is planned to start; omit to start whenever the host wants", example = "2026-12-01T18:00:00Z")
        @Future Instant scheduledAt,
        @Schema(description = "Space (community/channel) the session belongs to", example = "product-team")
        @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' or '-' only") String spaceId,
        @Valid SettingsRequest settings) {

    NewSession toCommand() {
        return new NewSession(title, description, kind, visibility, scheduledAt, spaceId,
                SettingsRequest.toCommand(settings));
    }
}
