package io.livestage.events.session;

/** Lifecycle: SCHEDULED -> ACTIVE -> ENDED, SCHEDULED -> CANCELLED. */
public enum SessionStatus {
    SCHEDULED, ACTIVE, ENDED, CANCELLED
}
