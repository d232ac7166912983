package io.livestage.recording.model;

import java.time.Instant;
import java.util.UUID;

/** One line of a user's notifications: what happened ({@code kind}, an event type), to what, and where to go. */
public record Notification(
        UUID id,
        String kind,
        UUID sessionId,
        UUID recordingId,
        UUID episodeId,
        String text,
        String link,
        Instant createdAt,
        Instant readAt) {
}
