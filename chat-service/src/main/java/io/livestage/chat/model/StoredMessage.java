package io.livestage.chat.model;

import java.time.Instant;

/** A chat message as stored. */
public record StoredMessage(String id, long seq, String sessionId, String authorId, String authorName,
        String authorRole, String text, String clientMessageId, Instant sentAt) {
}
