package io.livestage.events.chat;

import java.time.Instant;

import io.livestage.events.ChatEvent;
import io.livestage.events.participant.ParticipantRole;

/**
 * {@code viewer.presence}: a room-channel connection opened (JOINED) or closed (LEFT). {@code userId} is null for an
 * anonymous viewer; {@code deviceType} comes from the User-Agent, {@code region} (ISO 3166 country code or null) from
 * a trusted edge header; {@code connectedSeconds} is set on LEFT.
 */
public record ViewerPresence(String sessionId, String connectionId, PresenceChange change, String userId,
        boolean anonymous, ParticipantRole role, String deviceType, String region, Instant at,
        Long connectedSeconds) implements ChatEvent {

    public enum PresenceChange {
        JOINED,
        LEFT
    }
}
