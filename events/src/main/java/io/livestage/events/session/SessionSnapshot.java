package io.livestage.events.session;

import java.time.Instant;

/**
 * The state of a session after the change an event reports. Every session event carries the whole snapshot so a
 * consumer can build its projection from any single event, whatever it missed.
 */
public record SessionSnapshot(
        String id,
        String slug,
        String title,
        String description,
        String hostId,
        String spaceId,
        SessionKind kind,
        SessionVisibility visibility,
        SessionStatus status,
        Instant scheduledAt,
        Instant startedAt,
        Instant endedAt,
        Instant createdAt,
        SessionSettings settings) {
}
