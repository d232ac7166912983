package io.livestage.events.participant;

import java.time.Instant;

import io.livestage.events.session.SessionKind;

/**
 * A participant after the change an event reports. {@code identity} is the LiveKit identity (the user id);
 * {@code kind} is the session's kind, so an enforcer can derive publish sources without another lookup.
 */
public record ParticipantSnapshot(
        String identity,
        String userId,
        String name,
        ParticipantRole role,
        SessionKind kind,
        boolean audioMuted,
        boolean videoMuted,
        Instant joinedAt,
        Instant leftAt,
        long speakingSeconds) {
}
