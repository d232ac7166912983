package io.livestage.platform.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;

/**
 * First handler of every HTTP request (REST, WebSocket upgrades, and everything the gateway forwards): takes the
 * request id from {@code X-Request-Id} or makes one, sets it on the request (so the access log and the request the
 * gateway forwards carry the id actually used), puts it in the MDC — Quarkus keeps the MDC on the request's Vert.x
 * context, so it follows the request through reactive continuations — and echoes it in the response.
 */
@ApplicationScoped
public class RequestIdHandler {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1000).handler(RequestIdHandler::handle);
    }

    /** The handler itself, for a router this bean does not see (plain Vert.x, tests). */
    public static void handle(RoutingContext rc) {
        String id = RequestIds.of(rc.request().getHeader(RequestIds.HEADER));
        rc.put(RequestIds.CONTEXT_KEY, id);
        rc.request().headers().set(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
        rc.response().putHeader(RequestIds.HEADER, id);
        rc.addEndHandler(done -> MDC.remove(RequestIds.MDC_KEY));
        rc.next();
    }
}
