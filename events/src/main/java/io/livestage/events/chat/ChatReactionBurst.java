package io.livestage.events.chat;

import java.time.Instant;
import java.util.Map;

import io.livestage.events.ChatEvent;

/**
 * {@code chat.reaction}: the reactions one chat-service instance received for a session during one short window,
 * aggregated ({@code counts} by reaction name, only non-zero entries). Sum the bursts for totals.
 */
public record ChatReactionBurst(String sessionId, Instant windowStart, Instant windowEnd, Map<String, Long> counts,
        long total) implements ChatEvent {
}
