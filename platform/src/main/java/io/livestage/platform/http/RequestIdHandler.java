package io.livestage.platform.http;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * First handler of every HTTP request (REST and WebSocket upgrades): takes the request id from {@code X-Request-Id}
 * (set by the gateway) or makes one, puts it in the MDC — Quarkus keeps the MDC on the request's Vert.x context, so
 * it follows the request through reactive continuations — and echoes it in the response.
 */
@ApplicationScoped
public class RequestIdHandler {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1000).handler(rc -> {
            String id = RequestIds.of(rc.request().getHeader(RequestIds.HEADER));
            MDC.put(RequestIds.MDC_KEY, id);
            rc.response().putHeader(RequestIds.HEADER, id);
            rc.addEndHandler(done -> MDC.remove(RequestIds.MDC_KEY));
            rc.next();
        });
    }
}
