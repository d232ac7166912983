package io.livestage.session.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

import io.livestage.session.Invite;

@ApplicationScoped
public class InviteRepository implements PanacheRepositoryBase<Invite, Invite.Key> {

    public Uni<Boolean> isInvited(UUID sessionId, String userId) {
        return count("sessionId = ?1 and userId = ?2", sessionId, userId).map(n -> n > 0);
    }

    public Uni<List<Invite>> of(UUID sessionId) {
        return list("sessionId = ?1 order by invitedAt", sessionId);
    }

    public Uni<Long> revoke(UUID sessionId, String userId) {
        return delete("sessionId = ?1 and userId = ?2", sessionId, userId);
    }
}
