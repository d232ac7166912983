package io.livestage.session.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

import io.livestage.events.stage.StageRequestStatus;
import io.livestage.session.StageRequest;

@ApplicationScoped
public class StageRequestRepository implements PanacheRepositoryBase<StageRequest, UUID> {
    public Uni<StageRequest> pendingOf(UUID sessionId, String identity) {
        return find("sessionId = :session and identity = :identity and status = :pending",
                Parameters.with("session", sessionId).and("identity", identity).and("pending", StageRequestStatus.PENDING))
                .firstResult();
    }

    /** The raised hands still waiting, in no particular order (the service's QueueOrder ranks them). */
    public Uni<List<StageRequest>> pending(UUID sessionId) {
        return list("sessionId = ?1 and status = ?2", sessionId, StageRequestStatus.PENDING);
    }

    public Uni<StageRequest> findInSession(UUID sessionId, UUID requestId) {
        return find("sessionId = ?1 and id = ?2", sessionId, requestId).firstResult();
    }

    /** Pending requests expire when the session ends; returns how many did. */
    public Uni<Integer> expireAll(UUID sessionId, Instant now) {
        return update("status = ?1, decidedAt = ?2 where sessionId = ?3 and status = ?4", StageRequestStatus.EXPIRED,
                now, sessionId, StageRequestStatus.PENDING);
    }
}
