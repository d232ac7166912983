package io.livestage.session.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
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

    /**
     * One page, newest first. Others' sessions are seen only when PUBLIC; the viewer's own sessions always.
     * Fetches one row more than the page so the caller knows whether another page follows.
     *
     * <p>"Public or mine" is answered as two index-backed queries merged in order, not one OR query: with an OR,
     * PostgreSQL must sort every public row to find the newest few.
     */
    public Uni<List<Session>> page(SessionQuery query) {
        int rows = query.limit() + 1;
        if (query.viewer() != null && query.hostId() == null && query.visibility() == null) {
            Uni<List<Session>> publicOnes = page(query, "s.visibility = :visibility",
                    Parameters.with("visibility", SessionVisibility.PUBLIC), rows);
            return publicOnes.chain(pub -> page(query, "s.hostId = :viewer and s.visibility <> :visibility",
                    Parameters.with("viewer", query.viewer()).and("visibility", SessionVisibility.PUBLIC), rows)
                    .map(own -> merge(pub, own, rows)));
        }
        StringBuilder where = new StringBuilder();
        Parameters params = new Parameters();
        if (query.hostId() != null) {
            where.append("s.hostId = :host");
            params.and("host", query.hostId());
            if (!query.hostId().equals(query.viewer())) {
                where.append(" and s.visibility = :public");
                params.and("public", SessionVisibility.PUBLIC);
            }
        } else {
            where.append("s.visibility = :public");
            params.and("public", SessionVisibility.PUBLIC);
        }
        if (query.visibility() != null) {
            where.append(" and s.visibility = :visibility");
            params.and("visibility", query.visibility());
        }
        return page(query, where.toString(), params, rows);
    }

    private Uni<List<Session>> page(SessionQuery query, String where, Parameters params, int rows) {
        StringBuilder hql = new StringBuilder("from Session s where ").append(where);
        if (query.status() != null) {
            hql.append(" and s.status = :status");
            params.and("status", query.status());
        }
        if (query.spaceId() != null) {
            hql.append(" and s.spaceId = :space");
            params.and("space", query.spaceId());
        }
        if (query.after() != null) {
            hql.append(" and (s.createdAt < :afterAt or (s.createdAt = :afterAt and s.id < :afterId))");
            params.and("afterAt", query.after().createdAt()).and("afterId", query.after().id());
        }
        hql.append(" order by s.createdAt desc, s.id desc");
        return find(hql.toString(), params).range(0, rows - 1).list();
    }

    /** The SQL order: uuid compares as unsigned bytes, which its canonical text form preserves (Java's compareTo doesn't). */
    private static final Comparator<Session> NEWEST_FIRST = Comparator.<Session, Instant>comparing(s -> s.createdAt)
            .thenComparing(s -> s.id.toString()).reversed();

    private static List<Session> merge(List<Session> a, List<Session> b, int rows) {
        List<Session> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        all.sort(NEWEST_FIRST);
        return all.size() > rows ? all.subList(0, rows) : all;
    }
}
