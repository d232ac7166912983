package io.livestage.events.stage;

import io.livestage.events.SessionEvent;

/** A {@code guest.*} event: each carries the stage request after the change. */
public sealed interface StageChange extends SessionEvent
        permits GuestRequested, GuestApproved, GuestRejected, GuestWithdrawn {
    StageRequestSnapshot request();
}
