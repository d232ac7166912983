package io.livestage.analytics.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.livestage.analytics.service.LiveStatsHub;
import io.livestage.analytics.service.SessionAnalytics;
import io.livestage.analytics.service.SessionAnswer;
import io.livestage.events.analytics.SessionStats;

/** One session's statistics, now and as server-sent events (host, cohosts, admins). */
@Path("/api/sessions/{id}/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Session analytics", description = "Audience and engagement of one session, live and final "
        + "(definitions: docs/adr/0016-analytics.md)")
public class SessionStatsResource {
    static final String ADMIN = "admin";

    private final SessionAnalytics analytics;
    private final LiveStatsHub hub;
    private final SecurityIdentity identity;

    public SessionStatsResource(SessionAnalytics analytics, LiveStatsHub hub, SecurityIdentity identity) {
        this.analytics = analytics;
        this.hub = hub;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getSessionAnalytics", summary = "The session's statistics now",
            description = "Live while the session runs (live=true, revision 0), final once recorded after its end "
                    + "(revision >= 1). Concurrent, peak (and when), unique viewers, views, watch time total/average/"
                    + "median, devices, top regions, concurrency per minute, chat total/per minute/per viewer, "
                    + "reactions total/per type/per viewer-minute, the stage funnel and talk-time shares. The "
                    + "session's host, its cohosts and the realm role admin; anyone else 404.")
    public Uni<SessionStats> stats(@Parameter(description = "Session id") @PathParam("id") String id) {
        return analytics.forCaller(id, identity.getPrincipal().getName(), identity.hasRole(ADMIN))
                .map(SessionAnswer::stats);
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(operationId = "streamSessionAnalytics", summary = "The session's statistics as server-sent events",
            description = "The current statistics at once, then each change (at most about 1 s stale: recomputed "
                    + "every live-poll, 250 ms by default). Same access as the GET.")
    public Multi<SessionStats> events(@Parameter(description = "Session id") @PathParam("id") String id) {
        analytics.forCaller(id, identity.getPrincipal().getName(), identity.hasRole(ADMIN)).await().indefinitely();
        return hub.subscribe(id);
    }
}
