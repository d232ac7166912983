package io.livestage.recording.podcast.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.podcast.TimelineEntry;
import io.livestage.recording.podcast.repository.TimelineRepository;
import io.livestage.recording.repository.SessionRepository;

/**
 * Chapter markers the host or a cohost sets while the session is live: a timeline entry at the moment of the request,
 * which becomes a chapter of every recording running then.
 */
@ApplicationScoped
public class ChapterMarkers {
    private final SessionRepository sessions;
    private final TimelineRepository timeline;

    public ChapterMarkers(SessionRepository sessions, TimelineRepository timeline) {
        this.sessions = sessions;
        this.timeline = timeline;
    }

    /** A marker titled {@code title} now, as {@code caller}; 409 unless the session is ACTIVE. */
    public Uni<TimelineEntry> mark(String ref, String caller, String title) {
        return sessions.find(ref).chain(session -> {
            if (session == null || "DELETED".equals(session.status())) {
                throw ProblemException.notFound("session " + ref);
            }
            return control(session, caller).replaceWith(session);
        }).chain(session -> {
            String text = EpisodeEdits.title(title, "title");
            UUID id = UUID.randomUUID();
            TimelineEntry entry = new TimelineEntry(Instant.now(), TimelineEntry.Kind.MARKER, text, caller,
                    "marker-" + id);
            return sessions.pool().withTransaction(tx -> sessions.lock(tx, session.id()).chain(locked -> {
                if (locked == null || !locked.active()) {
                    throw ProblemException.conflict("The session is " + (locked == null ? "unknown"
                            : locked.status()) + "; chapter markers are set while it is live");
                }
                return timeline.add(tx, id, session.id(), entry);
            })).replaceWith(entry);
        });
    }

    /** The host and the session's cohosts set markers. */
    private Uni<Void> control(SessionInfo session, String caller) {
        if (caller.equals(session.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return sessions.member(session.id(), caller).map(member -> {
            if (member == null || !member.cohost()) {
                throw ProblemException.forbidden("only the host and cohosts set chapter markers");
            }
            return null;
        });
    }
}
