package io.livestage.events.chat;

import java.time.Instant;

import io.livestage.events.ChatEvent;

/**
 * {@code chat.moderated}: a moderator acted on a session's chat. Fields that do not apply to the action are null:
 * {@code messageId} for MESSAGE_DELETED, {@code targetUserId} for user actions ({@code until} and
 * {@code durationSeconds} for USER_TIMED_OUT), {@code settings} for SETTINGS_CHANGED.
 */
public record ChatModerated(String actionId, String sessionId, ChatModerationAction action, String actorId,
        String targetUserId, String messageId, Long durationSeconds, Instant until, String reason,
        ChatSettingsSnapshot settings, Instant at) implements ChatEvent {
}
