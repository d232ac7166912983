package io.livestage.recording.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.events.session.SessionKind;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.Recording;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.repository.RecordingRepository;
import io.livestage.recording.repository.SessionRepository;

/**
 * Recordings by hand: the host or a cohost starts one (at most one live recording per session) and stops it; the host
 * and participants list them (anyone signed in, unless the session is PRIVATE). Starting and stopping record the
 * intent; the {@link EgressDriver} talks to LiveKit after the commit.
 */
@ApplicationScoped
public class RecordingService {
    private final SessionRepository sessions;
    private final RecordingRepository recordings;
    private final EgressDriver driver;

    public RecordingService(SessionRepository sessions, RecordingRepository recordings, EgressDriver driver) {
        this.sessions = sessions;
        this.recordings = recordings;
        this.driver = driver;
    }

    /** Starts a recording of {@code formats} (null or empty: the session's default) as {@code caller}. */
    public Uni<Recording> start(String ref, String caller, List<RecordingFormat> formats) {
        return session(ref).chain(session -> control(session, caller).chain(() -> {
            List<RecordingFormat> chosen = formats(session, formats);
            UUID id = UUID.randomUUID();
            Instant now = Instant.now();
            return sessions.pool().withTransaction(tx -> sessions.lock(tx, session.id()).chain(locked -> {
                if (!locked.active()) {
                    throw ProblemException.conflict("The session is " + locked.status()
                            + "; recordings start while it is live");
                }
                return recordings.list(tx, session.id());
            }).chain(existing -> {
                Recording live = existing.stream().filter(Recording::live).findFirst().orElse(null);
                if (live != null) {
                    throw ProblemException.conflict("Recording " + live.id() + " of this session is already "
                            + live.state() + "; stop it first");
                }
                return recordings.insert(tx, id, session.id(), RecordingTrigger.MANUAL, caller, chosen, now);
            }).chain(() -> recordings.find(tx, session.id(), id)));
        })).invoke(driver::kick);
    }

    /** Asks a recording to stop as {@code caller}; its outputs end as LiveKit finishes them. */
    public Uni<Recording> stop(String ref, UUID recording, String caller) {
        return session(ref).chain(session -> control(session, caller).chain(() -> sessions.pool()
                .withTransaction(tx -> sessions.lock(tx, session.id())
                        .chain(() -> recordings.find(tx, session.id(), recording))
                        .chain(found -> {
                            if (found == null) {
                                throw ProblemException.notFound("recording " + recording);
                            }
                            if (found.state() == Recording.State.ENDED) {
                                throw ProblemException.conflict("Recording " + recording + " has already ended");
                            }
                            return recordings.requestStop(tx, session.id(), recording, "stopped by " + caller,
                                    Instant.now());
                        })
                        .chain(() -> recordings.find(tx, session.id(), recording)))))
                .invoke(driver::kick);
    }

    public Uni<List<Recording>> list(String ref, String caller) {
        return session(ref).chain(session -> readable(session, caller)
                .chain(() -> recordings.list(sessions.pool(), session.id())));
    }

    public Uni<Recording> find(String ref, UUID recording, String caller) {
        return session(ref).chain(session -> readable(session, caller)
                .chain(() -> recordings.find(sessions.pool(), session.id(), recording)))
                .map(found -> {
                    if (found == null) {
                        throw ProblemException.notFound("recording " + recording);
                    }
                    return found;
                });
    }

    private Uni<SessionInfo> session(String ref) {
        return sessions.find(ref).map(session -> {
            if (session == null || "DELETED".equals(session.status())) {
                throw ProblemException.notFound("session " + ref);
            }
            return session;
        });
    }

    /** The host and the session's cohosts control its recordings. */
    private Uni<Void> control(SessionInfo session, String caller) {
        if (caller.equals(session.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return sessions.member(session.id(), caller).map(member -> {
            if (member == null || !member.cohost()) {
                throw ProblemException.forbidden("only the host and cohosts start and stop recordings");
            }
            return null;
        });
    }

    /** The host and participants read a session's recordings; anyone signed in does unless it is PRIVATE. */
    private Uni<Void> readable(SessionInfo session, String caller) {
        if (!session.privateSession() || caller.equals(session.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return sessions.member(session.id(), caller).map(member -> {
            if (member == null || member.removed()) {
                throw ProblemException.forbidden("only the host and participants see a private session's recordings");
            }
            return null;
        });
    }

    private static List<RecordingFormat> formats(SessionInfo session, List<RecordingFormat> asked) {
        if (asked == null || asked.isEmpty()) {
            return SessionRecordings.formats(session.video() ? SessionKind.VIDEO : SessionKind.AUDIO);
        }
        for (int i = 0; i < asked.size(); i++) {
            if (asked.get(i) == null) {
                throw ProblemException.invalid("formats[" + i + "]", "formats are MP3 or MP4");
            }
            if (asked.get(i) == RecordingFormat.MP4 && !session.video()) {
                throw ProblemException.invalid("formats[" + i + "]", "MP4 records video: the session is AUDIO");
            }
            if (asked.indexOf(asked.get(i)) != i) {
                throw ProblemException.invalid("formats[" + i + "]", asked.get(i) + " is listed twice");
            }
        }
        return List.copyOf(asked);
    }
}
