package io.livestage.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

import io.livestage.platform.problem.ProblemResponses;
import io.livestage.platform.problem.ProblemType;

/**
 * A path no route serves gets a 404 problem+json instead of Vert.x' HTML page. (Bodies over the size limit get their
 * 413 problem from platform-http's {@code PayloadTooLargeHandler}, as in the services.)
 */
@ApplicationScoped
public class EdgeProblems {

    void install(@Observes Router router) {
        router.errorHandler(404, rc -> ProblemResponses.refuse(rc, ProblemType.NOT_FOUND, "no route for " + rc.request().path()));
    }
}
