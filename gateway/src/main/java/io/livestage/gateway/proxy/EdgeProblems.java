package io.livestage.gateway.proxy;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The two refusals Vert.x and Quarkus would otherwise answer without problem+json: a path no route serves (Vert.x'
 * HTML 404) and a body declared larger than {@code quarkus.http.limits.max-body-size} (Quarkus' empty 413, which
 * also drops the connection at once, so a client still sending the body sees a reset instead of the answer). The 413
 * is answered first and the rest of the body read away (up to {@value #DRAIN_LIMIT} bytes; beyond that, or when the
 * client waits for {@code 100-continue} and so will not send it, the connection is closed after the answer).
 */
@ApplicationScoped
public class EdgeProblems {
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Optional<MemorySize> limit;

    public EdgeProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void install(@Observes Router router) {
        router.errorHandler(404, rc -> Problems.send(rc, 404, "not-found", "Not found", "no route for " + rc.request().path()));
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(rc -> {
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
            JsonObject problem = new JsonObject().put("type", "https://livestage.io/problems/payload-too-large")
                    .put("title", "Request body too large").put("status", 413)
                    .put("detail", "The body is " + length + " bytes; the gateway forwards at most " + max)
                    .put("instance", request.path());
            rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE).end(problem.encode());
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
            return -1;
        }
    }
}
