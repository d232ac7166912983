package io.livestage.session.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.session.Participant;

@ApplicationScoped
public class ParticipantRepository implements PanacheRepositoryBase<Participant, UUID> {

    public Uni<Participant> find(UUID sessionId, String identity) {
        return find("sessionId = :session and identity = :identity",
                Parameters.with("session", sessionId).and("identity", identity)).firstResult();
    }

    public Uni<Long> countPresent(UUID sessionId) {
        return count("sessionId = ?1 and leftAt is null and removedAt is null", sessionId);
    }

    public Uni<Long> countPresentWithRole(UUID sessionId, ParticipantRole role) {
        return count("sessionId = ?1 and role = ?2 and leftAt is null and removedAt is null", sessionId, role);
    }

    /** Present participants, stage first (host, cohosts, guests), then viewers, each by arrival. */
    public Uni<List<Participant>> present(UUID sessionId, boolean onStageOnly, int limit) {
        String stage = onStageOnly ? " and role <> :viewer" : "";
        Parameters params = Parameters.with("session", sessionId);
        if (onStageOnly) {
            params.and("viewer", ParticipantRole.VIEWER);
        }
        return find("sessionId = :session and leftAt is null and removedAt is null" + stage
                + " order by case role when 'HOST' then 0 when 'COHOST' then 1 when 'GUEST' then 2 else 3 end, joinedAt, identity",
                params).range(0, limit - 1).list();
    }

    /** Present participants whose LiveKit connection went before {@code cutoff} and did not come back, oldest first. */
    public Uni<List<Participant>> disconnectedBefore(Instant cutoff, int limit) {
        return find("disconnectedAt < ?1 and leftAt is null and removedAt is null order by disconnectedAt", cutoff)
                .range(0, limit - 1).list();
    }

    public Uni<List<Participant>> allPresent(UUID sessionId) {
        return list("sessionId = ?1 and leftAt is null and removedAt is null", sessionId);
    }
}
