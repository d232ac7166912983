package io.livestage.analytics.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.livestage.analytics.repository.StatsRepository;
import io.livestage.platform.problem.ProblemException;

/**
 * A session's statistics for a caller: the recorded final row when there is one, else the stores' live answer; the
 * host, cohosts and admins only (anyone else: 404, as for a session that does not exist).
 */
@ApplicationScoped
public class SessionAnalytics {
    private final StatsRepository repository;
    private final LiveStats live;

    public SessionAnalytics(StatsRepository repository, LiveStats live) {
        this.repository = repository;
        this.live = live;
    }

    public Uni<SessionAnswer> forCaller(String sessionId, String user, boolean admin) {
        return answer(sessionId).map(found -> found.filter(a -> a.readableBy(user, admin))
                .orElseThrow(() -> ProblemException.notFound("Statistics of session " + sessionId)));
    }

    /** Without an access check: the final row, else the live answer, else empty. */
    public Uni<Optional<SessionAnswer>> answer(String sessionId) {
        return repository.finalStats(sessionId).chain(recorded -> recorded.isPresent()
                ? Uni.createFrom().item(recorded)
                : Uni.createFrom().item(() -> live.find(sessionId))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }
}
