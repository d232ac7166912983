package io.livestage.platform.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

import io.livestage.platform.http.RequestIds;

/**
 * Answers a Vert.x request with a problem: its status, {@code application/problem+json}, the request's path as
 * {@code instance} and the request's id (when {@code RequestIdHandler} gave it one) as {@code requestId}.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    /**
     * Refuses a request whose body will not be read: over HTTP/1.x the connection is closed after the answer rather
     * than the unread body parsed as the next request (HTTP/2 streams end on their own and forbid connection headers).
     */
    public static void refuse(RoutingContext rc, ProblemType type, String detail) {
        send(rc, Problem.of(type, detail, rc.request().path()), true);
    }

    /** Answers with the problem, leaving the request's body to the caller (read away, or already read). */
    public static void answer(RoutingContext rc, ProblemType type, String detail) {
        send(rc, Problem.of(type, detail, rc.request().path()), false);
    }

    public static void answer(RoutingContext rc, Problem problem) {
        send(rc, problem, false);
    }

    private static void send(RoutingContext rc, Problem problem, boolean unreadBody) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            // too late for a status: ending the connection is the only refusal left
            response.close();
            return;
        }
        if (unreadBody) {
            if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            }
            request.resume();
        }
        String requestId = RequestIds.current(rc);
        Problem body = requestId == null || problem.requestId() != null ? problem : problem.withRequestId(requestId);
        response.setStatusCode(body.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(body));
    }
}
