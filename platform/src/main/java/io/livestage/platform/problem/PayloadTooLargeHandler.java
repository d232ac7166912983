package io.livestage.platform.problem;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} gets a 413 problem+json. Quarkus' own check
 * (a route just after this one) answers an empty 413 and drops the connection at once, so a client still sending the
 * body sees a reset instead of the answer. This one answers first and reads the rest of the body away (up to
 * {@value #DRAIN_LIMIT} bytes; beyond that, or when the client waits for {@code 100-continue} and so will not send it,
 * the connection is closed after the answer). Bodies without a Content-Length are still limited by Quarkus while
 * they are read, which the REST layer reports as a problem too.
 */
@ApplicationScoped
public class PayloadTooLargeHandler {
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Optional<MemorySize> limit;

    public PayloadTooLargeHandler(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void register(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            long length = declaredLength(request);
            if (length <= max) {
                ctx.next();
                return;
            }
            boolean close = length > DRAIN_LIMIT || request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
            if (close) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            } else if (!request.isEnded()) {
                request.handler(ignored -> {
                });
                request.resume();
            }
            Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE.uri(), ProblemType.PAYLOAD_TOO_LARGE.title(), 413,
                    "The body is " + length + " bytes; this service takes at most " + max, ctx.normalizedPath(), null, null);
            ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Json.encode(problem));
        });
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
