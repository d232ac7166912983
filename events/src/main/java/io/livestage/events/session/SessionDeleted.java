package io.livestage.events.session;

/** {@code session.deleted}: the host deleted a session that was not live; consumers drop what they keep of it. */
public record SessionDeleted(SessionSnapshot session) implements SessionChange {
}
