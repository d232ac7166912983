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
        @Size(max = 200) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String title,
        @Size(max = 5000) String description,
        @Schema(description = "Reschedule (only while SCHEDULED)") @Future Instant scheduledAt,
        @Valid SettingsRequest settings) {

    /**
     * At least one character that is not whitespace in Java's sense ({@code \s}: space, tab, line feed, vertical tab,
     * form feed, carriage return), line breaks allowed anywhere: what {@code (?s).*\S.*} meant. Written without
     * inline flags and with those six characters spelled out, so the document's {@code pattern} means the same to
     * ECMA-262 clients (which know no {@code (?s)}, and whose {@code \S} excludes more spaces) as to the server.
     * Anchoring does not matter: it holds for the whole string exactly when it holds for some part of it.
     */
    static final String NOT_BLANK = "[\\s\\S]*[^ \\t\\n\\x0B\\f\\r][\\s\\S]*";

    SessionChanges toCommand() {
        return new SessionChanges(title, description, scheduledAt, SettingsRequest.toCommand(settings));
    }
}
