package io.livestage.session.service;

import java.util.List;

import io.livestage.session.Session;

/** One page of the session list, newest first; {@code nextCursor} is null on the last page. */
public record SessionSlice(List<Session> items, String nextCursor) {
}
