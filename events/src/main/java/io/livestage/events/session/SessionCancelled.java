package io.livestage.events.session;

/** {@code session.cancelled}: a scheduled session was called off before it started. */
public record SessionCancelled(SessionSnapshot session) implements SessionChange {
}
