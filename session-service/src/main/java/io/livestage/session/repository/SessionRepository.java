package io.livestage.session.repository;

import java.util.List;
import java.util.UUID;

import io.livestage.events.session.SessionVisibility;
import io.livestage.session.Session;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    public Uni<Session> findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }

    /** The session row locked for the rest of the transaction: changes to one session apply one at a time. */
    public Uni<Session> lock(UUID id) {
        return findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /** Resolves a session reference: its id (UUID) or its 8-character slug. */
    public Uni<UUID> resolve(String ref) {
        try {
            return Uni.createFrom().item(UUID.fromString(ref));
        } catch (IllegalArgumentException notUuid) {
            return findBySlug(ref).map(session -> session == null ? null : session.id);
        }
    }

    public Uni<Boolean> slugExists(String slug) {
        return count("slug", slug).map(n -> n > 0);
    }

    /**
     * One page, newest first. Others' sessions are seen only when PUBLIC; the viewer's own sessions always.
     * Fetches one row more than the page so the caller knows whether another page follows.
     */
    public Uni<List<Session>> page(SessionQuery query) {
        StringBuilder hql = new StringBuilder("from Session s where ");
        Parameters params = Parameters.with("public", SessionVisibility.PUBLIC);
        if (query.viewer() == null) {
            hql.append("s.visibility = :public");
        } else {
            hql.append("(s.visibility = :public or s.hostId = :viewer)");
            params.and("viewer", query.viewer());
        }
        if (query.status() != null) {
            hql.append(" and s.status = :status");
            params.and("status", query.status());
        }
        if (query.hostId() != null) {
            hql.append(" and s.hostId = :host");
            params.and("host", query.hostId());
        }
        if (query.spaceId() != null) {
            hql.append(" and s.spaceId = :space");
            params.and("space", query.spaceId());
        }
        if (query.visibility() != null) {
            hql.append(" and s.visibility = :visibility");
            params.and("visibility", query.visibility());
        }
        if (query.after() != null) {
            hql.append(" and (s.createdAt < :afterAt or (s.createdAt = :afterAt and s.id < :afterId))");
            params.and("afterAt", query.after().createdAt()).and("afterId", query.after().id());
        }
        hql.append(" order by s.createdAt desc, s.id desc");
        return find(hql.toString(), params).range(0, query.limit()).list();
    }
}
