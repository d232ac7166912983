package io.livestage.recording.streaming.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.repository.SessionRepository;

/**
 * Who may do what with a session's stream: only its host configures it (OBS ingest, restreams, quality, the stream
 * egress) — restream targets and ingest keys are the host's; the status is public for PUBLIC and UNLISTED sessions
 * (anonymous callers too) and for the host and participants of a PRIVATE one.
 */
@ApplicationScoped
public class StreamAccess {
    private final SessionRepository sessions;

    public StreamAccess(SessionRepository sessions) {
        this.sessions = sessions;
    }

    /** The session, when {@code caller} is its host; {@code open}: it must not have ended. */
    public Uni<SessionInfo> hostOf(String ref, String caller, boolean open) {
        return session(ref).map(session -> {
            if (caller == null || !caller.equals(session.hostId())) {
                throw ProblemException.forbidden("only the session's host configures its stream");
            }
            if (open && !("ACTIVE".equals(session.status()) || "SCHEDULED".equals(session.status()))) {
                throw ProblemException.conflict("The session is " + session.status() + ": its stream is over");
            }
            return session;
        });
    }

    /** The session, when {@code caller} (null: anonymous) may see its stream status. */
    public Uni<SessionInfo> viewerOf(String ref, String caller) {
        return session(ref).chain(session -> {
            if (!session.privateSession() || session.hostId().equals(caller)) {
                return Uni.createFrom().item(session);
            }
            if (caller == null) {
                throw ProblemException.forbidden("sign in: the session is private");
            }
            return sessions.member(session.id(), caller).map(member -> {
                if (member == null || member.removed()) {
                    throw ProblemException.forbidden("only the host and participants see a private session's stream");
                }
                return session;
            });
        });
    }

    private Uni<SessionInfo> session(String ref) {
        if (ref == null || ref.isBlank() || ref.length() > 36) {
            throw ProblemException.invalid("ref", "A session id (UUID) or slug");
        }
        return sessions.find(ref).map(session -> {
            if (session == null || "DELETED".equals(session.status())) {
                throw ProblemException.notFound("session " + ref);
            }
            return session;
        });
    }
}
