package io.livestage.session.service;

import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;

/**
 * Which sessions to list: {@code viewer} is the caller's user id (null when anonymous), {@code cursor} the
 * {@link SessionSlice#nextCursor()} of the previous page (null for the first), every other null means any.
 */
public record SessionFilter(String viewer, SessionStatus status, String hostId, String spaceId,
        SessionVisibility visibility, String cursor, int limit) {
}
