package io.livestage.session.rest;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.livestage.platform.problem.Problem;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemMappers;
import io.livestage.platform.problem.ProblemType;

/** A lost optimistic-lock race on a session-service entity (its {@code @Version}) is a 409 problem, not a 500. */
public class ConcurrencyProblems {
    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class })
    public RestResponse<Problem> concurrent(RuntimeException e, UriInfo uri) {
        return problems.problem(new ProblemException(ProblemType.CONCURRENT_MODIFICATION,
                "The resource was changed by another request at the same time; read it again and retry"), uri);
    }
}
