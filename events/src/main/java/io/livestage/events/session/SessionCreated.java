package io.livestage.events.session;

/** {@code session.created}: a host created a session (SCHEDULED). */
public record SessionCreated(SessionSnapshot session) implements SessionChange {
}
