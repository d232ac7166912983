package io.livestage.events.chat;

import java.time.Instant;

import io.livestage.events.ChatEvent;

/**
 * {@code chat.message}: a chat message was accepted and stored. {@code messageId} is the server id; {@code seq} the
 * room's chat sequence (the same number as {@code ce_sequence}), increasing in commit order, so a consumer can detect
 * gaps; {@code clientMessageId} is the sender's idempotency key.
 */
public record ChatMessagePosted(String messageId, long seq, String sessionId, ChatAuthor author, String text,
        String clientMessageId, Instant sentAt) implements ChatEvent {
}
