package io.livestage.events.session;

import io.livestage.events.SessionEvent;

/** A {@code session.*} event: each carries the whole session after the change. */
public sealed interface SessionChange extends SessionEvent
        permits SessionCreated, SessionUpdated, SessionStarted, SessionEnded, SessionCancelled, SessionDeleted {
    SessionSnapshot session();
}
