package io.livestage.events.participant;

/** {@code participant.removed}: removed by a moderator; the user can neither rejoin nor get a new token. */
public record ParticipantRemoved(ParticipantSnapshot participant, String removedBy) implements ParticipantChange {
}
