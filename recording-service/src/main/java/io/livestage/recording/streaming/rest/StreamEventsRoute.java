package io.livestage.recording.streaming.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemResponses;
import io.livestage.platform.problem.ProblemType;
import io.livestage.recording.streaming.repository.StreamRepository;
import io.livestage.recording.streaming.service.StreamAccess;
import io.livestage.recording.streaming.service.StreamHub;

/**
 * {@code GET /api/sessions/{ref}/stream/events}: the stream status as server-sent events, served by a Vert.x route
 * rather than a JAX-RS method so that a change is encoded once and the same bytes are written to every subscriber
 * ({@link StreamHub}); a JAX-RS SSE stream formats each event per subscriber. The caller's identity comes from
 * Quarkus' proactive authentication (an invalid token is refused before this route); who may subscribe is the same
 * rule as for {@code GET .../stream} ({@link StreamAccess}), and a refusal is a problem+json. Described in the OpenAPI
 * document by {@code META-INF/openapi.yaml}.
 */
@ApplicationScoped
public class StreamEventsRoute {
    static final String PATH = "/api/sessions/:ref/stream/events";

    private final StreamAccess access;
    private final StreamRepository streams;
    private final StreamHub hub;

    public StreamEventsRoute(StreamAccess access, StreamRepository streams, StreamHub hub) {
        this.access = access;
        this.streams = streams;
        this.hub = hub;
    }

    void routes(@Observes Router router) {
        router.get(PATH).handler(this::events);
    }

    private void events(RoutingContext rc) {
        String caller = caller(rc);
        Context loop = Vertx.currentContext();
        Uni.createFrom().deferred(() -> access.viewerOf(rc.pathParam("ref"), caller))
                .chain(session -> streams.status(session.id()))
                .subscribe().with(row -> {
                    if (row == null) {
                        ProblemResponses.answer(rc, ProblemType.NOT_FOUND, "session " + rc.pathParam("ref"));
                        return;
                    }
                    HttpServerResponse response = rc.response().setChunked(true)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader("X-Accel-Buffering", "no");
                    response.writeHead();
                    hub.subscribe(row, new StreamHub.Subscriber(response, loop,
                            caller != null && caller.equals(row.hostId())));
                }, failure -> {
                    if (failure instanceof ProblemException problem) {
                        ProblemResponses.answer(rc, problem.type(), problem.getMessage());
                    } else {
                        rc.fail(failure);
                    }
                });
    }

    /** The signed-in caller, or null for an anonymous one. */
    private static String caller(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            return identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
        }
        return null;
    }
}
