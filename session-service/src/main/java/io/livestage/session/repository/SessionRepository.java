package io.livestage.session.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

import io.livestage.events.session.SessionStatus;
import io.livestage.session.Session;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    public Uni<Session> findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }

    /** The session row locked for the rest of the transaction: changes to one session apply one at a time. */
    public Uni<Session> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Ids of live sessions whose LiveKit room finished before {@code cutoff} and was not rejoined, oldest first. */
    public Uni<List<UUID>> roomFinishedBefore(Instant cutoff, int limit) {
        return find("status = ?1 and roomFinishedAt < ?2 order by roomFinishedAt", SessionStatus.ACTIVE, cutoff)
                .range(0, limit - 1).list().map(found -> found.stream().map(session -> session.id).toList());
    }

    /** Resolves a session reference: its id (UUID) or its 8-character slug. */
    public Uni<UUID> resolve(String ref) {
        try {
            return Uni.createFrom().item(UUID.fromString(ref));
        } catch (IllegalArgumentException notUuid) {
            return findBySlug(ref).map(session -> session == null ? null : session.id);
        }
    }
}
