package io.livestage.session.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.session.Invite;
import io.livestage.session.repository.HibernateOutbox;
import io.livestage.session.repository.InviteRepository;

/** The host's guest list of a PRIVATE session: who may join it besides the host. */
@ApplicationScoped
public class Invitations {
    private final Scenes scenes;
    private final InviteRepository invites;
    private final HibernateOutbox outbox;

    public Invitations(Scenes scenes, InviteRepository invites, HibernateOutbox outbox) {
        this.scenes = scenes;
        this.invites = invites;
        this.outbox = outbox;
    }

    /** Idempotent: inviting someone already invited answers the existing invite. */
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
        return scenes.visible(sessionId, caller.userId()).chain(session -> {
            if (!session.isHostedBy(caller.userId())) {
                throw ProblemException.forbidden("Only the host manages invites");
            }
            return invites.of(sessionId);
        });
    }

    private Uni<Scene> hostScene(UUID sessionId, Caller caller) {
        return scenes.lock(sessionId, caller.userId()).invoke(scene -> {
            if (!scene.session().isHostedBy(caller.userId())) {
                throw ProblemException.forbidden("Only the host manages invites");
            }
        });
    }
}
