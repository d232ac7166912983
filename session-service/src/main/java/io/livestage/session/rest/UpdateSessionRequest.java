package io.livestage.session.rest;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.session.service.SessionChanges;

@Schema(description = "Partial update; omitted fields stay as they are. An empty description clears it.")
public record UpdateSessionRequest(
        @Size(max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String title,
        @Size(max = 5000) String description,
        @Schema(description = "Reschedule (only while SCHEDULED)") @Future Instant scheduledAt,
        @Valid SettingsRequest settings) {

    SessionChanges toCommand() {
        return new SessionChanges(title, description, scheduledAt, SettingsRequest.toCommand(settings));
    }
}
