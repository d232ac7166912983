package io.livestage.events.participant;

/** {@code participant.left}: a participant left; {@code reason} LEFT, REMOVED or SESSION_ENDED. */
public record ParticipantLeft(ParticipantSnapshot participant, String reason) implements ParticipantChange {
}
