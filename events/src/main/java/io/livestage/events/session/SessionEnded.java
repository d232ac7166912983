package io.livestage.events.session;

/** {@code session.ended}: the host ended a live session; {@code durationSeconds} is started to ended. */
public record SessionEnded(SessionSnapshot session, long durationSeconds) implements SessionChange {
}
