package io.livestage.session.service;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Participant;
import io.livestage.session.Session;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.StageRequestRepository;

/** What hosts and cohosts do to one participant: change their role, mute them, ask them to unmute, remove them. */
@ApplicationScoped
public class Moderation {
    private final Scenes scenes;
    private final ParticipantRepository participants;
    private final StageRequestRepository requests;
    private final HibernateOutbox outbox;
    private final SessionEvents events;
    private final ModerationLog log;
    private final GuestApproval approval;
    private final StageQueue queue;

    public Moderation(Scenes scenes, ParticipantRepository participants, StageRequestRepository requests,
            HibernateOutbox outbox, SessionEvents events, ModerationLog log, GuestApproval approval, StageQueue queue) {
        this.scenes = scenes;
        this.participants = participants;
        this.requests = requests;
        this.outbox = outbox;
        this.events = events;
        this.log = log;
        this.approval = approval;
        this.queue = queue;
    }

    /** Promote or demote. Nobody changes the host's role; VIEWER→GUEST takes a guest slot (approving a waiting hand). */
    public Uni<Participant> changeRole(UUID sessionId, String identity, ParticipantRole newRole, Caller caller) {
        if (newRole == ParticipantRole.HOST) {
            throw ProblemException.invalid("role", "A session has one host; choose COHOST, GUEST or VIEWER");
        }
        return onTarget(sessionId, identity, caller, (session, target) -> {
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
                    return approval.bringOnStage(session, target, pending, caller.userId(), false, now).replaceWith(target);
                }
                ParticipantRole previous = target.role;
                target.changeRole(newRole, now);
                Uni<Void> closeHand = newRole.onStage() ? queue.withdrawPending(session, target.identity, now)
                        : Uni.createFrom().voidItem();
                return closeHand
                        .chain(() -> log.record(session, caller.userId(), "role." + newRole.name().toLowerCase(),
                                target.identity, "from " + previous, now))
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
        return onTarget(sessionId, identity, caller, (session, target) -> {
            if (!target.role.onStage()) {
                throw ProblemException.conflict("Only participants on stage publish anything to mute");
            }
            Instant now = Times.now();
            target.audioMuted |= audio;
            target.videoMuted |= video;
            return log.record(session, caller.userId(), "mute", target.identity, media(audio, video), now)
                    .chain(() -> events.emit(session,
                            new ParticipantMuted(target.snapshot(session.kind, now), audio, video, caller.userId()), now))
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
        return onTarget(sessionId, identity, caller, (session, target) -> {
            if (!target.isPresent() || !target.role.onStage()) {
                throw ProblemException.conflict("Only participants present on stage publish anything to unmute");
            }
            Instant now = Times.now();
            return log.record(session, caller.userId(), "unmute-request", target.identity, media(audio, video), now)
                    .chain(() -> events.emit(session, new ParticipantUnmuteRequested(target.snapshot(session.kind, now),
                            audio, video, caller.userId()), now))
                    .replaceWith(target);
        });
    }

    /** Removes a participant for good: no rejoin, no new token. Nobody removes the host. */
    public Uni<Participant> remove(UUID sessionId, String identity, Caller caller) {
        return onTarget(sessionId, identity, caller, (session, target) -> {
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
            return queue.withdrawPending(session, target.identity, now)
                    .chain(() -> log.record(session, caller.userId(), "remove", target.identity, null, now))
                    .chain(() -> events.emit(session, new ParticipantRemoved(target.snapshot(session.kind, now), caller.userId()), now))
                    .replaceWith(target);
        });
    }

    /** Locks the session, checks the caller moderates it and it is not over, and finds the (not removed) target. */
    private Uni<Participant> onTarget(UUID sessionId, String identity, Caller caller,
            BiFunction<Session, Participant, Uni<Participant>> action) {
        return outbox.transaction(() -> scenes.lock(sessionId, caller.userId()).chain(scene -> {
            scene.requireModerator(caller);
            if (scene.session().isOver()) {
                throw ProblemException.conflict("This session is " + scene.session().status);
            }
            return participants.find(sessionId, identity).chain(target -> {
                if (target == null) {
                    throw ProblemException.notFound("Participant " + identity);
                }
                if (target.isRemoved()) {
                    throw ProblemException.conflict("This participant was already removed");
                }
                return action.apply(scene.session(), target);
            });
        }));
    }

    /** The moderation log's detail: which media the action was about. */
    private static String media(boolean audio, boolean video) {
        return (audio ? "audio " : "") + (video ? "video" : "");
    }
}
