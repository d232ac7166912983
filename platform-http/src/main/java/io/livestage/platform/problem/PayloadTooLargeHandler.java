package io.livestage.platform.problem;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} gets a 413 problem+json. Quarkus' own check
 * (a route just after this one) answers an empty 413 and drops the connection at once, so a client still sending the
 * body sees a reset instead of the answer. This one answers first and reads the rest of the body away (up to
 * {@value #DRAIN_LIMIT} bytes; beyond that, or when the client waits for {@code 100-continue} and so will not send it,
 * the connection is closed after the answer). Bodies without a Content-Length are still limited by Quarkus while
 * they are read, which the REST layer reports as a problem too. Services and the gateway install it alike.
 */
@ApplicationScoped
public class PayloadTooLargeHandler {
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Optional<MemorySize> limit;

    public PayloadTooLargeHandler(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void register(@Observes Router router) {
        limit.ifPresent(max -> router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(rc -> handle(rc, max.asLongValue())));
    }

    static void handle(RoutingContext rc, long max) {
        HttpServerRequest request = rc.request();
        long length = declaredLength(request);
        if (length <= max) {
            rc.next();
            return;
        }
        if (length > DRAIN_LIMIT || request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            rc.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        } else if (!request.isEnded()) {
            request.handler(ignored -> {
            });
            request.resume();
        }
        ProblemResponses.answer(rc, ProblemType.PAYLOAD_TOO_LARGE,
                "The body is " + length + " bytes; at most " + max + " are accepted");
    }

    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1; // Vert.x refuses a malformed Content-Length before any route
        }
    }
}
