package io.livestage.session.service;

import io.livestage.session.Session;

/** The outcome of a create: the session, and whether it was created earlier by a request with the same Idempotency-Key. */
public record CreatedSession(Session session, boolean replayed) {
}
