package io.livestage.token.event;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.livestage.token.livekit.LiveKitRooms;

/**
 * {@code /q/health/group/livekit}: DOWN while LiveKit calls are failing. Kept out of readiness on purpose: a LiveKit
 * outage must not stop token-service from issuing tokens or accepting webhooks; enforcement catches up by retrying.
 */
@HealthGroup("livekit")
@ApplicationScoped
public class LiveKitHealthCheck implements HealthCheck {
    private final LiveKitRooms rooms;

    public LiveKitHealthCheck(LiveKitRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("livekit-enforcement")
                .withData("consecutiveFailures", rooms.consecutiveFailures());
        if (rooms.lastSuccessMillis() > 0) {
            response.withData("lastSuccess", Instant.ofEpochMilli(rooms.lastSuccessMillis()).toString());
        }
        if (rooms.lastError() != null) {
            response.withData("lastError", rooms.lastError());
        }
        return response.status(rooms.consecutiveFailures() == 0).build();
    }
}
