package io.livestage.analytics.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.analytics.service.LiveStats;

/**
 * Instance to instance: the statistics of a session whose partition this instance owns (interactive queries across
 * instances). Needs the peer secret; the gateway never routes {@code /internal}. 421 when this instance does not own
 * the partition (any more): the caller looks up the owner again.
 */
@Path("/internal/analytics/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class PeerResource {
    private final LiveStats live;
    private final AnalyticsConfig config;

    public PeerResource(LiveStats live, AnalyticsConfig config) {
        this.live = live;
        this.config = config;
    }

    @GET
    @Blocking
    @Operation(hidden = true)
    public Response stats(@PathParam("id") String id, @HeaderParam(LiveStats.PEER_HEADER) String secret) {
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                config.peerSecret().getBytes(StandardCharsets.UTF_8))) {
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        return live.localOnly(id).map(answer -> Response.ok(answer).build())
                .orElseGet(() -> Response.status(live.ownsLocally(id) ? 404 : 421).build());
    }
}
