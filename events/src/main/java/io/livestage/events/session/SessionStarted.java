package io.livestage.events.session;

/** {@code session.started}: the session went live (ACTIVE); rooms, recording and chat open on this event. */
public record SessionStarted(SessionSnapshot session) implements SessionChange {
}
