package io.livestage.session.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Session;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionRepository;

/**
 * Where every participant or stage use case starts: the session row locked for the transaction (one change per
 * session at a time, events numbered in commit order) with the caller's record, or the session as a reader sees it.
 */
@ApplicationScoped
class Scenes {
    private final SessionRepository sessions;
    private final ParticipantRepository participants;

    Scenes(SessionRepository sessions, ParticipantRepository participants) {
        this.sessions = sessions;
        this.participants = participants;
    }

    Uni<Scene> lock(UUID sessionId, String callerId) {
        return sessions.lock(sessionId).chain(session -> {
            if (session == null) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            return participants.find(sessionId, callerId).map(me -> new Scene(session, me));
        });
    }

    /** The session unlocked, 404 when it does not exist or {@code viewer} (null: anonymous) may not see it. */
    Uni<Session> visible(UUID sessionId, String viewer) {
        return sessions.findById(sessionId).map(session -> {
            if (session == null || !session.isVisibleTo(viewer)) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            return session;
        });
    }
}
