package io.livestage.chat.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.chat.ChatMessagePosted;

/** Request and response bodies of the chat REST API. */
public final class ChatDtos {
    /**
     * One or more characters, none of them a control character: what {@code [^\p{Cntrl}]+} meant ({@code \p{Cntrl}}
     * is {@code [\x00-\x1F\x7F]}), spelled with hex escapes because ECMA-262 has no {@code \p{Cntrl}} (with the
     * {@code u} flag it is a syntax error, without it a {@code p}). Anchored so that the document's {@code pattern},
     * which JSON Schema applies to any part of the value, means the same as the server's whole-value match.
     */
    static final String NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1F\\x7F]+$";

    private ChatDtos() {
    }

    @Schema(description = "A page of chat history, oldest first. Pass nextCursor back as the same parameter (before or after) for the next page; null when there is none.")
    public record ChatPage(List<ChatMessagePosted> messages, String nextCursor) {
    }

    @Schema(description = "Time a user out of the chat.")
    public record TimeoutRequest(
            @NotBlank @Size(max = 255) String userId,
            @NotNull @Min(1) @Max(1_209_600) @Schema(description = "1 s to 14 days") Long durationSeconds,
            @Size(max = 200) String reason) {
    }

    @Schema(description = "Ban a user from the session's chat until unbanned.")
    public record BanRequest(@NotBlank @Size(max = 255) String userId, @Size(max = 200) String reason) {
    }

    @Schema(description = "A user's standing in the chat.")
    public record Restriction(String userId, boolean banned, Instant timedOutUntil) {
    }

    @Schema(description = "Chat settings; in a PATCH, absent fields stay as they are.")
    public record SettingsRequest(
            @Min(0) @Max(3600) @Schema(description = "Seconds between two messages of a user; 0 = off. Moderators are exempt.") Integer slowModeSeconds,
            @Schema(description = "Anonymous viewers may not connect or read") Boolean signedInOnly,
            @Schema(description = "Only reactions; chat messages are refused (moderators excepted)") Boolean reactionsOnly,
            @Size(max = 200) @Schema(description = "Messages containing one of these words are refused; 'spam*' also blocks longer words") List<@NotBlank @Size(max = 50) @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "must not contain control characters") String> blockedTerms) {
    }

    @Schema(description = "The chat settings of a session (moderators see the blocked terms).")
    public record SettingsResponse(boolean enableChat, boolean enableReactions, int slowModeSeconds, boolean signedInOnly,
            boolean reactionsOnly, List<String> blockedTerms) {
    }

    public record ReactionTotals(String sessionId, Map<String, Long> totals) {
    }
}
