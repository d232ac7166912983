package io.livestage.session.repository;

import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;

/** Filters of the session list; {@code viewer} is the caller's user id or null when anonymous. */
public record SessionQuery(String viewer, SessionStatus status, String hostId, String spaceId,
        SessionVisibility visibility, PageCursor after, int limit) {
}
