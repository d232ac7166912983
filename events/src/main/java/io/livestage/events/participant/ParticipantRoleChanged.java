package io.livestage.events.participant;

/** {@code participant.role-changed}: promoted or demoted; LiveKit publish rights follow without a reconnect. */
public record ParticipantRoleChanged(ParticipantSnapshot participant, ParticipantRole previousRole, String changedBy)
        implements ParticipantChange {
}
