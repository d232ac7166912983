package io.livestage.session.service;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.session.SessionStatus;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Grace;
import io.livestage.session.MediaSource;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.config.StageConfig;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionRepository;

/**
 * LiveKit's view of a room applied to the session: who is connected, what they publish muted, whether the room is
 * still there. Each change commits with the event id in the processed-events log (a redelivery changes nothing) and
 * with its events in the outbox; the session row is locked as for every other participant change.
 */
@ApplicationScoped
public class RoomTruth {
    static final String CONSUMER = "session-service.livekit-webhooks";
    /** The identity prefix token-service gives anonymous viewers: they are never registered as participants. */
    static final String ANONYMOUS = "anon-";
    private static final Logger LOG = Logger.getLogger(RoomTruth.class);

    private final SessionRepository sessions;
    private final ParticipantRepository participants;
    private final HibernateOutbox outbox;
    private final SessionEvents events;
    private final Attendance attendance;
    private final Grace leaveGrace;

    public RoomTruth(SessionRepository sessions, ParticipantRepository participants,
            HibernateOutbox outbox, SessionEvents events, Attendance attendance, StageConfig config) {
        this.sessions = sessions;
        this.participants = participants;
        this.outbox = outbox;
        this.events = events;
        this.attendance = attendance;
        this.leaveGrace = new Grace(config.leaveGrace());
    }

    /**
     * participant_joined: present again (a rejoin after the grace is a {@code participant.joined}). Someone not
     * registered yet is registered here — a token no longer registers its holder (docs/adr/0019) — with the checks of
     * a join; one the checks refuse (removed, not invited, over capacity) is left to LiveKit's removal and skipped.
     * Anonymous viewers ({@code anon-} identities) are not participants and stay unregistered.
     */
    public Uni<Void> connected(String eventId, UUID sessionId, String identity, String name, Instant at) {
        return onSession(eventId, sessionId, session -> participants.find(sessionId, identity).chain(found -> {
            if (found != null || identity.startsWith(ANONYMOUS)) {
                return found == null || found.isRemoved() ? done() : present(session, found, at);
            }
            Caller caller = new Caller(identity, name, 0);
            return attendance.admit(new Scene(session, null), caller, name == null || name.isBlank() ? identity : name)
                    .replaceWithVoid()
                    .onFailure(ProblemException.class).recoverWithItem(refused -> {
                        LOG.debugf("participant_joined of %s in %s not registered: %s", identity, sessionId,
                                refused.getMessage());
                        return null;
                    });
        }));
    }

    private Uni<Void> present(Session session, Participant p, Instant at) {
        if (p.isStaleConnect(at) || session.status == SessionStatus.ENDED
                || session.status == SessionStatus.CANCELLED) {
            return done();
        }
        boolean wasAway = !p.isPresent();
        p.connect(at);
        session.roomFinishedAt = null;
        return wasAway ? events.emit(session, new ParticipantJoined(p.snapshot(session.kind, at), true), at)
                .replaceWithVoid() : done();
    }

    /** participant_left / participant_connection_aborted: speaking stops; gone for good once the grace passes. */
    public Uni<Void> disconnected(String eventId, UUID sessionId, String identity, Instant at) {
        return onParticipant(eventId, sessionId, identity, (session, p) -> {
            if (p.isPresent() && p.disconnectedAt == null && !p.isStaleDisconnect(at)) {
                p.disconnect(at);
            }
            return done();
        });
    }

    /** track_published / track_unpublished: the microphone's or camera's mute state as LiveKit has it. */
    public Uni<Void> media(String eventId, UUID sessionId, String identity, MediaSource source, boolean muted,
            Instant at) {
        return onParticipant(eventId, sessionId, identity, (session, p) -> {
            if (!p.isPresent() || !source.setMuted(p, muted)) {
                return done();
            }
            return events.emit(session, new ParticipantMediaChanged(p.snapshot(session.kind, at), source.name()), at)
                    .replaceWithVoid();
        });
    }

    /**
     * room_finished: nobody is connected any more, so every present participant's grace starts; a live session ends
     * if the room stays finished for {@code livestage.stage.room-finished-grace} (see {@link GraceSweep}).
     */
    public Uni<Void> roomFinished(String eventId, UUID sessionId, Instant at) {
        return onSession(eventId, sessionId, session -> {
            if (session.status != SessionStatus.ACTIVE) {
                return done();
            }
            session.roomFinishedAt = at;
            return participants.allPresent(session.id).invoke(present -> present.stream()
                    .filter(p -> p.disconnectedAt == null)
                    .forEach(p -> p.disconnect(at))).replaceWithVoid();
        });
    }

    /** room_started: someone is back in a room that had finished. */
    public Uni<Void> roomStarted(String eventId, UUID sessionId) {
        return onSession(eventId, sessionId, session -> {
            session.roomFinishedAt = null;
            return done();
        });
    }

    /** Ends the presence of a participant whose connection went a whole leave grace ago; false if they came back. */
    public Uni<Boolean> expireDisconnection(UUID sessionId, String identity) {
        return outbox.transaction(() -> sessions.lock(sessionId).chain(session -> session == null ? Uni.createFrom().item(false)
                : participants.find(sessionId, identity).chain(p -> {
                    Instant now = Times.now();
                    if (p == null || !p.isPresent() || !leaveGrace.expired(p.disconnectedAt, now)) {
                        return Uni.createFrom().item(false);
                    }
                    return attendance.depart(session, p, p.disconnectedAt, now, "DISCONNECTED").replaceWith(true);
                })));
    }

    private Uni<Void> onParticipant(String eventId, UUID sessionId, String identity,
            BiFunction<Session, Participant, Uni<Void>> change) {
        return onSession(eventId, sessionId, session -> participants.find(sessionId, identity)
                .chain(p -> p == null || p.isRemoved() ? done() : change.apply(session, p)));
    }

    private Uni<Void> onSession(String eventId, UUID sessionId, Function<Session, Uni<Void>> change) {
        return outbox.transaction(() -> outbox.firstDelivery(CONSUMER, eventId).chain(first -> !first ? done()
                : sessions.lock(sessionId).chain(session -> session == null ? done() : change.apply(session))));
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
