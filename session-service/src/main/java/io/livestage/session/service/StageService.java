package io.livestage.session.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.platform.outbox.Outbox;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.Invite;
import io.livestage.session.ModerationAction;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.StageRequest;
import io.livestage.session.repository.InviteRepository;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionRepository;
import io.livestage.session.repository.StageRequestRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Participants, invites, the stage queue and host controls. Every change locks the session row (one change per
 * session at a time, events numbered in commit order) and writes its events through the outbox.
 */
@ApplicationScoped
public class StageService {
    private final SessionRepository sessions;
    private final ParticipantRepository participants;
    private final StageRequestRepository requests;
    private final InviteRepository invites;
    private final Outbox outbox;
    private final SessionEvents events;

    public StageService(SessionRepository sessions, ParticipantRepository participants,
            StageRequestRepository requests, InviteRepository invites, Outbox outbox, SessionEvents events) {
        this.sessions = sessions;
        this.participants = participants;
        this.requests = requests;
        this.invites = invites;
        this.outbox = outbox;
        this.events = events;
    }

    /** The locked session and the caller's participant record (null when the caller never joined). */
    record Scene(Session session, Participant me) {
        boolean callerModerates(String userId) {
            return session.isHostedBy(userId) || (me != null && me.isPresent() && me.role.moderates());
        }
    }

    public record Joined(Session session, Participant participant) {
    }

    public record QueueEntry(StageRequest request, int position) {
    }

    public record QueueView(List<QueueEntry> items, QueueEntry mine, boolean moderator) {
    }

    // ---- joining ----

    /**
     * Registers the caller in the session (or finds the existing record on a rejoin) and answers its current role.
     * Refuses removed users (403), non-invited users of PRIVATE sessions (403), ended sessions (409), full rooms (409)
     * and scheduled sessions more than 15 minutes before their time (409).
     */
    public Uni<Joined> join(String sessionRef, Caller caller, String name) {
        return outbox.transaction(() -> sessions.resolve(sessionRef)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Session " + sessionRef))
                .chain(id -> scene(id, caller.userId()))
                .chain(scene -> admit(scene, caller, name)));
    }

    private Uni<Joined> admit(Scene scene, Caller caller, String name) {
        Session session = scene.session();
        Instant now = Times.now();
        if (session.status == SessionStatus.ENDED || session.status == SessionStatus.CANCELLED) {
            throw ProblemException.conflict("This session is " + session.status + "; it can no longer be joined");
        }
        if (session.status == SessionStatus.SCHEDULED && session.scheduledAt != null
                && now.isBefore(session.scheduledAt.minus(Session.EARLY_START))) {
            throw ProblemException.conflict("This session opens at " + session.scheduledAt.minus(Session.EARLY_START)
                    + " (15 minutes before it starts)");
        }
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
        return outbox.transaction(() -> scene(sessionId, caller.userId()).chain(scene -> {
            Participant me = present(scene.me(), "You are not in this session");
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
        return withdrawPending(session, participant.identity, now)
                .chain(() -> events.emit(session, new ParticipantLeft(participant.snapshot(session.kind, now), reason), now))
                .replaceWithVoid();
    }

    @WithSession
    public Uni<List<Participant>> participants(UUID sessionId, String viewer, boolean onStageOnly, int limit) {
        return sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.isVisibleTo(viewer)) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            return participants.present(sessionId, onStageOnly, limit);
        });
    }

    // ---- the stage queue ----

    /**
     * Raises the caller's hand. Asking again while a request is pending returns that request unchanged (its place in
     * the queue survives reconnects). Without approval required, the request is approved at once if the stage has a
     * free guest slot.
     */
    public Uni<QueueEntry> requestStage(UUID sessionId, Caller caller) {
        return outbox.transaction(() -> scene(sessionId, caller.userId()).chain(scene -> {
            Session session = scene.session();
            Participant me = present(scene.me(), "Join the session before asking to come on stage");
            if (session.status != SessionStatus.ACTIVE) {
                throw ProblemException.conflict("The stage opens when the session is live; it is " + session.status);
            }
            if (!session.settings.allowGuests) {
                throw ProblemException.conflict("The host does not take guests in this session");
            }
            if (me.role.onStage()) {
                throw ProblemException.conflict("You are already on stage as " + me.role);
            }
            return requests.pendingOf(session.id, me.identity).chain(pending -> {
                if (pending != null) {
                    return positionOf(pending);
                }
                Instant now = Times.now();
                StageRequest request = new StageRequest();
                request.id = UUID.randomUUID();
                request.sessionId = session.id;
                request.identity = me.identity;
                request.userId = me.userId;
                request.name = me.name;
                request.status = StageRequestStatus.PENDING;
                request.xp = Math.max(0, caller.xp());
                request.speakingSeconds = me.speakingSecondsAt(now);
                request.requestedAt = now;
                return requests.persist(request).chain(() -> positionOf(request))
                        .call(entry -> events.emit(session, new GuestRequested(request.snapshot(), entry.position()), now))
                        .chain(entry -> session.settings.requireApproval ? Uni.createFrom().item(entry)
                                : autoApprove(session, me, request, entry, now));
            });
        }));
    }

    private Uni<QueueEntry> autoApprove(Session session, Participant me, StageRequest request, QueueEntry entry,
            Instant now) {
        return participants.countPresentWithRole(session.id, ParticipantRole.GUEST).chain(guests -> {
            if (guests >= session.settings.maxGuests) {
                return Uni.createFrom().item(entry);
            }
            return approveRequest(session, me, request, "system", true, now).replaceWith(new QueueEntry(request, 0));
        });
    }

    public Uni<StageRequest> withdraw(UUID sessionId, Caller caller) {
        return outbox.transaction(() -> scene(sessionId, caller.userId()).chain(scene ->
                requests.pendingOf(sessionId, caller.userId()).chain(pending -> {
                    if (pending == null) {
                        throw ProblemException.notFound("Pending stage request");
                    }
                    Instant now = Times.now();
                    pending.decide(StageRequestStatus.WITHDRAWN, caller.userId(), now);
                    return events.emit(scene.session(), new GuestWithdrawn(pending.snapshot()), now).replaceWith(pending);
                })));
    }

    /** Moderators see the whole queue in order; anyone else sees only their own request and position. */
    @WithSession
    public Uni<QueueView> queue(UUID sessionId, Caller caller) {
        return sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.isVisibleTo(caller.userId())) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            return participants.find(sessionId, caller.userId()).chain(me -> {
                boolean moderator = new Scene(session, me).callerModerates(caller.userId());
                return requests.queue(sessionId).map(queue -> {
                    List<QueueEntry> ordered = new java.util.ArrayList<>(queue.size());
                    QueueEntry mine = null;
                    for (int i = 0; i < queue.size(); i++) {
                        QueueEntry entry = new QueueEntry(queue.get(i), i + 1);
                        ordered.add(entry);
                        if (queue.get(i).identity.equals(caller.userId())) {
                            mine = entry;
                        }
                    }
                    return new QueueView(moderator ? ordered : List.of(), mine, moderator);
                });
            });
        });
    }

    public Uni<StageRequest> approve(UUID sessionId, UUID requestId, Caller caller) {
        return decide(sessionId, requestId, caller, (scene, request) -> {
            Session session = scene.session();
            Instant now = Times.now();
            return participants.find(session.id, request.identity).chain(requester -> {
                if (requester == null || !requester.isPresent()) {
                    throw ProblemException.conflict("The requester is no longer in the session");
                }
                return participants.countPresentWithRole(session.id, ParticipantRole.GUEST).chain(guests -> {
                    if (guests >= session.settings.maxGuests) {
                        throw ProblemException.conflict("The stage is full: " + guests + " of " + session.settings.maxGuests
                                + " guests (raise maxGuests or move someone off stage)");
                    }
                    return approveRequest(session, requester, request, caller.userId(), false, now);
                });
            });
        });
    }

    public Uni<StageRequest> reject(UUID sessionId, UUID requestId, Caller caller) {
        return decide(sessionId, requestId, caller, (scene, request) -> {
            Instant now = Times.now();
            request.decide(StageRequestStatus.REJECTED, caller.userId(), now);
            return moderation(scene.session(), caller, "stage.reject", request.identity, null, now)
                    .chain(() -> events.emit(scene.session(), new GuestRejected(request.snapshot()), now))
                    .replaceWith(request);
        });
    }

    private Uni<StageRequest> decide(UUID sessionId, UUID requestId, Caller caller,
            java.util.function.BiFunction<Scene, StageRequest, Uni<StageRequest>> decision) {
        return outbox.transaction(() -> scene(sessionId, caller.userId()).chain(scene -> {
            requireModerator(scene, caller);
            return requests.findInSession(sessionId, requestId).chain(request -> {
                if (request == null) {
                    throw ProblemException.notFound("Stage request " + requestId);
                }
                if (request.status != StageRequestStatus.PENDING) {
                    throw ProblemException.conflict("This request is already " + request.status);
                }
                return decision.apply(scene, request);
            });
        }));
    }

    private Uni<StageRequest> approveRequest(Session session, Participant requester, StageRequest request, String by,
            boolean automatic, Instant now) {
        request.decide(StageRequestStatus.APPROVED, by, now);
        requester.audioMuted = !session.settings.guestAudioDefault;
        requester.videoMuted = !session.settings.guestVideoDefault;
        requester.changeRole(ParticipantRole.GUEST, now);
        Uni<Void> logged = automatic ? Uni.createFrom().voidItem()
                : ModerationAction.of(session.id, by, "stage.approve", requester.identity, null, now).persist().replaceWithVoid();
        return logged.chain(() -> events.emit(session,
                new GuestApproved(request.snapshot(), requester.snapshot(session.kind, now), automatic), now))
                .replaceWith(request);
    }

    // ---- host controls ----

    /** Promote or demote. Nobody changes the host's role; VIEWER→GUEST takes a guest slot (approving a waiting hand). */
    public Uni<Participant> changeRole(UUID sessionId, String identity, ParticipantRole newRole, Caller caller) {
        if (newRole == ParticipantRole.HOST) {
            throw ProblemException.invalid("role", "A session has one host; choose COHOST, GUEST or VIEWER");
        }
        return onTarget(sessionId, identity, caller, (scene, target) -> {
            Session session = scene.session();
            Instant now = Times.now();
            if (target.role == ParticipantRole.HOST) {
                throw ProblemException.forbidden("The host's role cannot be changed");
            }
            if (target.role == newRole) {
                return Uni.createFrom().item(target);
            }
            Uni<Void> slot = newRole == ParticipantRole.GUEST
                    ? participants.countPresentWithRole(session.id, ParticipantRole.GUEST).invoke(guests -> {
                        if (guests >= session.settings.maxGuests) {
                            throw ProblemException.conflict("The stage is full: " + guests + " of "
                                    + session.settings.maxGuests + " guests");
                        }
                    }).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return slot.chain(() -> requests.pendingOf(session.id, target.identity)).chain(pending -> {
                if (pending != null && newRole == ParticipantRole.GUEST) {
                    return approveRequest(session, target, pending, caller.userId(), false, now).replaceWith(target);
                }
                ParticipantRole previous = target.role;
                target.changeRole(newRole, now);
                Uni<Void> closeHand = newRole.onStage() ? withdrawPending(session, target.identity, now)
                        : Uni.createFrom().voidItem();
                return closeHand
                        .chain(() -> moderation(session, caller, "role." + newRole.name().toLowerCase(), target.identity,
                                "from " + previous, now))
                        .chain(() -> events.emit(session,
                                new ParticipantRoleChanged(target.snapshot(session.kind, now), previous, caller.userId()), now))
                        .replaceWith(target);
            });
        });
    }

    public Uni<Participant> mute(UUID sessionId, String identity, boolean audio, boolean video, Caller caller) {
        if (!audio && !video) {
            throw ProblemException.invalid("audio", "Say what to mute: audio, video or both");
        }
        return onTarget(sessionId, identity, caller, (scene, target) -> {
            if (!target.role.onStage()) {
                throw ProblemException.conflict("Only participants on stage publish anything to mute");
            }
            Instant now = Times.now();
            target.audioMuted |= audio;
            target.videoMuted |= video;
            return moderation(scene.session(), caller, "mute", target.identity, (audio ? "audio " : "") + (video ? "video" : ""), now)
                    .chain(() -> events.emit(scene.session(),
                            new ParticipantMuted(target.snapshot(scene.session().kind, now), audio, video, caller.userId()), now))
                    .replaceWith(target);
        });
    }

    /**
     * Asks a participant on stage to unmute. LiveKit refuses remote unmute by default, so this only tells them (an
     * event chat-service turns into a frame to that participant); their client decides.
     */
    public Uni<Participant> requestUnmute(UUID sessionId, String identity, boolean audio, boolean video, Caller caller) {
        if (!audio && !video) {
            throw ProblemException.invalid("audio", "Say what to unmute: audio, video or both");
        }
        return onTarget(sessionId, identity, caller, (scene, target) -> {
            if (!target.isPresent() || !target.role.onStage()) {
                throw ProblemException.conflict("Only participants present on stage publish anything to unmute");
            }
            Session session = scene.session();
            Instant now = Times.now();
            return moderation(session, caller, "unmute-request", target.identity,
                    (audio ? "audio " : "") + (video ? "video" : ""), now)
                    .chain(() -> events.emit(session, new ParticipantUnmuteRequested(target.snapshot(session.kind, now),
                            audio, video, caller.userId()), now))
                    .replaceWith(target);
        });
    }

    /** Removes a participant for good: no rejoin, no new token. Nobody removes the host. */
    public Uni<Participant> remove(UUID sessionId, String identity, Caller caller) {
        return onTarget(sessionId, identity, caller, (scene, target) -> {
            Session session = scene.session();
            if (target.role == ParticipantRole.HOST || session.isHostedBy(target.userId)) {
                throw ProblemException.forbidden("The host cannot be removed from their own session");
            }
            Instant now = Times.now();
            if (target.isPresent()) {
                target.depart(now);
            }
            target.changeRole(ParticipantRole.VIEWER, now);
            target.removedAt = now;
            target.removedBy = caller.userId();
            return withdrawPending(session, target.identity, now)
                    .chain(() -> moderation(session, caller, "remove", target.identity, null, now))
                    .chain(() -> events.emit(session, new ParticipantRemoved(target.snapshot(session.kind, now), caller.userId()), now))
                    .replaceWith(target);
        });
    }

    private Uni<Participant> onTarget(UUID sessionId, String identity, Caller caller,
            java.util.function.BiFunction<Scene, Participant, Uni<Participant>> action) {
        return outbox.transaction(() -> scene(sessionId, caller.userId()).chain(scene -> {
            requireModerator(scene, caller);
            if (scene.session().status == SessionStatus.ENDED || scene.session().status == SessionStatus.CANCELLED) {
                throw ProblemException.conflict("This session is " + scene.session().status);
            }
            return participants.find(sessionId, identity).chain(target -> {
                if (target == null) {
                    throw ProblemException.notFound("Participant " + identity);
                }
                if (target.isRemoved()) {
                    throw ProblemException.conflict("This participant was already removed");
                }
                return action.apply(scene, target);
            });
        }));
    }

    // ---- invites (PRIVATE sessions) ----

    public Uni<Invite> invite(UUID sessionId, String userId, Caller caller) {
        return outbox.transaction(() -> hostScene(sessionId, caller).chain(scene ->
                invites.findById(new Invite.Key(sessionId, userId)).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(existing);
                    }
                    Invite invite = new Invite();
                    invite.sessionId = sessionId;
                    invite.userId = userId;
                    invite.invitedBy = caller.userId();
                    invite.invitedAt = Times.now();
                    return invites.persist(invite);
                })));
    }

    public Uni<Void> uninvite(UUID sessionId, String userId, Caller caller) {
        return outbox.transaction(() -> hostScene(sessionId, caller)
                .chain(() -> invites.revoke(sessionId, userId)).replaceWithVoid());
    }

    @WithSession
    public Uni<List<Invite>> invites(UUID sessionId, Caller caller) {
        return sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.isVisibleTo(caller.userId())) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            if (!session.isHostedBy(caller.userId())) {
                throw ProblemException.forbidden("Only the host manages invites");
            }
            return invites.of(sessionId);
        });
    }

    private Uni<Scene> hostScene(UUID sessionId, Caller caller) {
        return scene(sessionId, caller.userId()).invoke(scene -> {
            if (!scene.session().isHostedBy(caller.userId())) {
                throw ProblemException.forbidden("Only the host manages invites");
            }
        });
    }

    // ---- shared steps ----

    private Uni<Scene> scene(UUID sessionId, String callerId) {
        return sessions.lock(sessionId).chain(session -> {
            if (session == null) {
                throw ProblemException.notFound("Session " + sessionId);
            }
            return participants.find(sessionId, callerId).map(me -> new Scene(session, me));
        });
    }

    private static void requireModerator(Scene scene, Caller caller) {
        if (!scene.callerModerates(caller.userId())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the host and cohosts can do this");
        }
    }

    private static Participant present(Participant participant, String otherwise) {
        if (participant == null || !participant.isPresent()) {
            throw ProblemException.conflict(otherwise);
        }
        return participant;
    }

    private Uni<QueueEntry> positionOf(StageRequest request) {
        return requests.queue(request.sessionId).map(queue -> {
            for (int i = 0; i < queue.size(); i++) {
                if (queue.get(i).id.equals(request.id)) {
                    return new QueueEntry(request, i + 1);
                }
            }
            return new QueueEntry(request, 0);
        });
    }

    private Uni<Void> withdrawPending(Session session, String identity, Instant now) {
        return requests.pendingOf(session.id, identity).chain(pending -> {
            if (pending == null) {
                return Uni.createFrom().voidItem();
            }
            pending.decide(StageRequestStatus.WITHDRAWN, identity, now);
            return events.emit(session, new GuestWithdrawn(pending.snapshot()), now).replaceWithVoid();
        });
    }

    private Uni<Void> moderation(Session session, Caller caller, String action, String target, String detail,
            Instant now) {
        return ModerationAction.of(session.id, caller.userId(), action, target, detail, now).persist().replaceWithVoid();
    }
}
