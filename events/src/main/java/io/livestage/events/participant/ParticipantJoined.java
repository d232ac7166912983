package io.livestage.events.participant;

/** {@code participant.joined}: a user joined (or rejoined, {@code rejoin=true}) a session. */
public record ParticipantJoined(ParticipantSnapshot participant, boolean rejoin) implements ParticipantChange {
}
