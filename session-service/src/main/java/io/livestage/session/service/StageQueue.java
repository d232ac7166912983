package io.livestage.session.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.StageRequest;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.StageRequestRepository;

/** Raised hands: raising and lowering one, and the queue in {@link QueueOrder}. */
@ApplicationScoped
public class StageQueue {
    private final Scenes scenes;
    private final ParticipantRepository participants;
    private final StageRequestRepository requests;
    private final HibernateOutbox outbox;
    private final SessionEvents events;
    private final GuestApproval approval;
    private final Attendance attendance;

    public StageQueue(Scenes scenes, ParticipantRepository participants, StageRequestRepository requests, HibernateOutbox outbox,
            SessionEvents events, GuestApproval approval, Attendance attendance) {
        this.attendance = attendance;
        this.scenes = scenes;
        this.participants = participants;
        this.requests = requests;
        this.outbox = outbox;
        this.events = events;
        this.approval = approval;
    }

    /**
     * Raises the caller's hand. Asking again while a request is pending returns that request unchanged (its place in
     * the queue survives reconnects). Without approval required, the request is approved at once if the stage has a
     * free guest slot. A caller not in the room yet (no {@code participant_joined} from LiveKit so far, e.g. its media
     * connection is still being set up) is registered first, with the same checks as a join.
     */
    public Uni<QueueEntry> raiseHand(UUID sessionId, Caller caller) {
        return outbox.transaction(() -> scenes.lock(sessionId, caller.userId()).chain(scene -> {
            scene.session().checkStageOpen();
            Participant present = scene.me();
            return present != null && present.isPresent() ? raise(scene.session(), present, caller)
                    : attendance.admit(scene, caller, present != null ? present.name
                            : caller.name() != null ? caller.name() : caller.userId())
                            .chain(joined -> raise(scene.session(), joined.participant(), caller));
        }));
    }

    private Uni<QueueEntry> raise(Session session, Participant me, Caller caller) {
        if (me.role.onStage()) {
            throw ProblemException.conflict("You are already on stage as " + me.role);
        }
        return requests.pendingOf(session.id, me.identity).chain(pending -> {
            if (pending != null) {
                return placeOf(pending);
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
            return requests.persist(request).chain(() -> placeOf(request))
                    .call(entry -> events.emit(session, new GuestRequested(request.snapshot(), entry.position()), now))
                    .chain(entry -> session.settings.requireApproval ? Uni.createFrom().item(entry)
                            : autoApprove(session, me, request, entry, now));
        });
    }

    private Uni<QueueEntry> autoApprove(Session session, Participant me, StageRequest request, QueueEntry entry,
            Instant now) {
        return participants.countPresentWithRole(session.id, ParticipantRole.GUEST).chain(guests -> {
            if (guests >= session.settings.maxGuests) {
                return Uni.createFrom().item(entry);
            }
            return approval.bringOnStage(session, me, request, "system", true, now).replaceWith(new QueueEntry(request, 0));
        });
    }

    public Uni<StageRequest> lowerHand(UUID sessionId, Caller caller) {
        return outbox.transaction(() -> scenes.lock(sessionId, caller.userId()).chain(scene ->
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
        return scenes.visible(sessionId, caller.userId()).chain(session ->
                participants.find(sessionId, caller.userId()).chain(me -> {
                    boolean moderator = new Scene(session, me).callerModerates(caller.userId());
                    return requests.pending(sessionId)
                            .map(pending -> QueueView.of(QueueOrder.rank(pending), caller.userId(), moderator));
                }));
    }

    /** Withdraws the participant's waiting hand, if any (they left, were removed or came on stage otherwise). */
    Uni<Void> withdrawPending(Session session, String identity, Instant now) {
        return requests.pendingOf(session.id, identity).chain(pending -> {
            if (pending == null) {
                return Uni.createFrom().voidItem();
            }
            pending.decide(StageRequestStatus.WITHDRAWN, identity, now);
            return events.emit(session, new GuestWithdrawn(pending.snapshot()), now).replaceWithVoid();
        });
    }

    private Uni<QueueEntry> placeOf(StageRequest request) {
        return requests.pending(request.sessionId).map(pending -> QueueOrder.placeOf(pending, request));
    }
}
