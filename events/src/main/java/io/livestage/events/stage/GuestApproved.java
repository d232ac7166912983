package io.livestage.events.stage;

import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantSnapshot;

/** {@code guest.approved}: the requester is now a GUEST on stage ({@code automatic} when approval is off). */
public record GuestApproved(StageRequestSnapshot request, ParticipantSnapshot participant, boolean automatic)
        implements StageChange, ParticipantChange {
}
