package io.livestage.events.participant;

import io.livestage.events.SessionEvent;
import io.livestage.events.stage.GuestApproved;

/** An event that carries a participant after the change: {@code participant.*} and {@code guest.approved}. */
public sealed interface ParticipantChange extends SessionEvent permits ParticipantJoined, ParticipantLeft,
        ParticipantRoleChanged, ParticipantMuted, ParticipantRemoved, ParticipantMediaChanged, ParticipantUnmuteRequested,
        GuestApproved {
    ParticipantSnapshot participant();
}
