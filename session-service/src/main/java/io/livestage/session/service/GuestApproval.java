package io.livestage.session.service;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.StageRequest;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.StageRequestRepository;

/** A host or cohost decides a raised hand: the requester comes on stage as GUEST (within maxGuests) or is declined. */
@ApplicationScoped
public class GuestApproval {
    private final Scenes scenes;
    private final ParticipantRepository participants;
    private final StageRequestRepository requests;
    private final HibernateOutbox outbox;
    private final SessionEvents events;
    private final ModerationLog log;

    public GuestApproval(Scenes scenes, ParticipantRepository participants, StageRequestRepository requests, HibernateOutbox outbox,
            SessionEvents events, ModerationLog log) {
        this.scenes = scenes;
        this.participants = participants;
        this.requests = requests;
        this.outbox = outbox;
        this.events = events;
        this.log = log;
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
                    return bringOnStage(session, requester, request, caller.userId(), false, now);
                });
            });
        });
    }

    public Uni<StageRequest> reject(UUID sessionId, UUID requestId, Caller caller) {
        return decide(sessionId, requestId, caller, (scene, request) -> {
            Instant now = Times.now();
            request.decide(StageRequestStatus.REJECTED, caller.userId(), now);
            return log.record(scene.session(), caller.userId(), "stage.reject", request.identity, null, now)
                    .chain(() -> events.emit(scene.session(), new GuestRejected(request.snapshot()), now))
                    .replaceWith(request);
        });
    }

    /**
     * Approves {@code request}: its requester becomes GUEST with the session's default microphone and camera state.
     * A host's decision is logged; an automatic one (no approval required) is not. The session must be locked.
     */
    Uni<StageRequest> bringOnStage(Session session, Participant requester, StageRequest request, String by,
            boolean automatic, Instant now) {
        request.decide(StageRequestStatus.APPROVED, by, now);
        requester.audioMuted = !session.settings.guestAudioDefault;
        requester.videoMuted = !session.settings.guestVideoDefault;
        requester.changeRole(ParticipantRole.GUEST, now);
        Uni<Void> logged = automatic ? Uni.createFrom().voidItem()
                : log.record(session, by, "stage.approve", requester.identity, null, now);
        return logged.chain(() -> events.emit(session,
                new GuestApproved(request.snapshot(), requester.snapshot(session.kind, now), automatic), now))
                .replaceWith(request);
    }

    private Uni<StageRequest> decide(UUID sessionId, UUID requestId, Caller caller,
            BiFunction<Scene, StageRequest, Uni<StageRequest>> decision) {
        return outbox.transaction(() -> scenes.lock(sessionId, caller.userId()).chain(scene -> {
            scene.requireModerator(caller);
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
}
