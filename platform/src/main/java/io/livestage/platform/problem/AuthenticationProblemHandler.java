package io.livestage.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;

/**
 * Proactive authentication rejects a bad bearer token before any REST resource runs, so REST exception mappers never
 * see it; this failure handler gives that 401 the same problem+json body as every other error.
 */
@ApplicationScoped
public class AuthenticationProblemHandler {

    void register(@Observes Router router) {
        router.route().order(-1).failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                ProblemResponses.answer(ctx, ProblemType.UNAUTHORIZED,
                        "The bearer token is missing, expired or not signed by a trusted issuer; sign in again");
            } else {
                ctx.next();
            }
        });
    }
}
