package io.livestage.session.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.InviteRepository;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionRepository;

/** Who is in the room: joining (or rejoining), leaving, and the list of those present. */
@ApplicationScoped
public class Attendance {
    private final SessionRepository sessions;
    private final Scenes scenes;
    private final ParticipantRepository participants;
    private final InviteRepository invites;
    private final HibernateOutbox outbox;
    private final SessionEvents events;
    private final StageQueue queue;

    public Attendance(SessionRepository sessions, Scenes scenes, ParticipantRepository participants,
            InviteRepository invites, HibernateOutbox outbox, SessionEvents events, StageQueue queue) {
        this.sessions = sessions;
        this.scenes = scenes;
        this.participants = participants;
        this.invites = invites;
        this.outbox = outbox;
        this.events = events;
        this.queue = queue;
    }

    /**
     * Registers the caller in the session (or finds the existing record on a rejoin) and answers its current role.
     * Refuses removed users (403), non-invited users of PRIVATE sessions (403), ended sessions (409), full rooms (409)
     * and scheduled sessions more than 15 minutes before their time (409).
     */
    public Uni<Joined> join(String sessionRef, Caller caller, String name) {
        return outbox.transaction(() -> sessions.resolve(sessionRef)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Session " + sessionRef))
                .chain(id -> scenes.lock(id, caller.userId()))
                .chain(scene -> admit(scene, caller, name)));
    }

    /**
     * Registers the caller in the locked session, or brings back an absent one, with the same refusals as
     * {@link #join}. Also what a {@code participant_joined} webhook of someone not registered yet and a raised hand of
     * someone who never joined do (docs/adr/0019: tokens no longer register their holder).
     */
    Uni<Joined> admit(Scene scene, Caller caller, String name) {
        Session session = scene.session();
        Instant now = Times.now();
        session.checkJoinable(now);
        Participant existing = scene.me();
        if (existing != null && existing.isRemoved()) {
            throw ProblemException.forbidden("You were removed from this session and cannot rejoin it");
        }
        Uni<Void> allowed = session.visibility != SessionVisibility.PRIVATE || session.isHostedBy(caller.userId())
                ? Uni.createFrom().voidItem()
                : invites.isInvited(session.id, caller.userId()).invoke(invited -> {
                    if (!invited) {
                        throw ProblemException.forbidden("This session is private and you are not invited");
                    }
                }).replaceWithVoid();
        if (existing != null) {
            return allowed.chain(() -> rejoin(session, existing, name, now));
        }
        return allowed.chain(() -> participants.countPresent(session.id)).chain(present -> {
            if (present >= session.settings.maxParticipants) {
                throw ProblemException.conflict("This session is full (" + session.settings.maxParticipants
                        + " participants)");
            }
            Participant p = new Participant();
            p.id = UUID.randomUUID();
            p.sessionId = session.id;
            p.identity = caller.userId();
            p.userId = caller.userId();
            p.name = name;
            p.role = session.isHostedBy(caller.userId()) ? ParticipantRole.HOST : ParticipantRole.VIEWER;
            p.joinedAt = now;
            p.arrive(now);
            return participants.persist(p)
                    .call(saved -> events.emit(session, new ParticipantJoined(saved.snapshot(session.kind, now), false), now))
                    .map(saved -> new Joined(session, saved));
        });
    }

    private Uni<Joined> rejoin(Session session, Participant p, String name, Instant now) {
        if (p.isPresent() && p.name.equals(name)) {
            return Uni.createFrom().item(new Joined(session, p));
        }
        boolean wasAway = !p.isPresent();
        p.name = name;
        if (wasAway) {
            p.arrive(now);
        }
        return events.emit(session, new ParticipantJoined(p.snapshot(session.kind, now), true), now)
                .replaceWith(new Joined(session, p));
    }

    /** The caller leaves: speaking time closes, a waiting hand is withdrawn, a guest's stage slot frees. */
    public Uni<Participant> leave(UUID sessionId, Caller caller) {
        return outbox.transaction(() -> scenes.lock(sessionId, caller.userId()).chain(scene -> {
            Participant me = scene.presentMe("You are not in this session");
            Instant now = Times.now();
            return depart(scene.session(), me, now, now, "LEFT").replaceWith(me);
        }));
    }

    /**
     * The participant is gone since {@code leftAt}: speaking time closes, a waiting hand is withdrawn, a guest's stage
     * slot frees, and {@code participant.left} says why. The session must be locked.
     */
    Uni<Void> depart(Session session, Participant participant, Instant leftAt, Instant now, String reason) {
        participant.depart(leftAt);
        if (participant.role == ParticipantRole.GUEST) {
            participant.role = ParticipantRole.VIEWER;
        }
        return queue.withdrawPending(session, participant.identity, now)
                .chain(() -> events.emit(session, new ParticipantLeft(participant.snapshot(session.kind, now), reason), now))
                .replaceWithVoid();
    }

    @WithSession
    public Uni<List<Participant>> present(UUID sessionId, String viewer, boolean onStageOnly, int limit) {
        return scenes.visible(sessionId, viewer).chain(session -> participants.present(sessionId, onStageOnly, limit));
    }
}
