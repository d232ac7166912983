package io.livestage.recording.livekit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code /q/health/group/livekit}: DOWN while Egress calls are failing. Kept out of readiness on purpose: a LiveKit
 * outage must not stop recording-service from serving recordings or taking webhooks; starts and stops are retried.
 */
@HealthGroup("livekit")
@ApplicationScoped
public class LiveKitHealthCheck implements HealthCheck {
    private final LiveKitEgressClient egress;

    public LiveKitHealthCheck(LiveKitEgressClient egress) {
        this.egress = egress;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("livekit-egress")
                .withData("consecutiveFailures", egress.consecutiveFailures());
        if (egress.lastSuccessMillis() > 0) {
            response.withData("lastSuccess", Instant.ofEpochMilli(egress.lastSuccessMillis()).toString());
        }
        if (egress.lastError() != null) {
            response.withData("lastError", egress.lastError());
        }
        return response.status(egress.consecutiveFailures() == 0).build();
    }
}
