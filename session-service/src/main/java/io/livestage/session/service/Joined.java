package io.livestage.session.service;

import io.livestage.session.Participant;
import io.livestage.session.Session;

/** The session as joined and the caller's participant record, whose role decides the LiveKit grants. */
public record Joined(Session session, Participant participant) {
}
