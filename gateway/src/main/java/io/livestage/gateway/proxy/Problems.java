package io.livestage.gateway.proxy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem+json answers for what the gateway refuses itself (same {@code type} URIs as the services). */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://livestage.io/problems/";

    private Problems() {
    }

    public static void send(RoutingContext rc, int status, String slug, String title, String detail) {
        if (rc.response().headWritten()) {
            rc.response().close();
            return;
        }
        JsonObject body = new JsonObject().put("type", TYPE_BASE + slug).put("title", title).put("status", status)
                .put("detail", detail).put("instance", rc.request().path());
        String requestId = rc.get(RequestIds.KEY);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        boolean unreadBody = !rc.request().isEnded();
        if (unreadBody && rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/1.x: the request's body was never read; drop the connection after answering rather than parse it
            // as the next request. (HTTP/2 streams end on their own and forbid connection headers.)
            rc.response().putHeader("Connection", "close");
        }
        rc.request().resume();
        rc.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(body.encode());
    }
}
