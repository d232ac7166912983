package io.livestage.platform.livekit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.api.HealthGroup;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code /q/health/group/livekit}: DOWN while LiveKit server API calls are failing. Kept out of readiness on purpose:
 * a LiveKit outage must not stop a service from serving its API or taking webhooks; the callers retry.
 */
@HealthGroup("livekit")
@ApplicationScoped
public class LiveKitHealthCheck implements HealthCheck {
    private final LiveKitCalls calls;

    public LiveKitHealthCheck(LiveKitCalls calls) {
        this.calls = calls;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("livekit")
                .withData("consecutiveFailures", calls.consecutiveFailures());
        if (calls.lastSuccessMillis() > 0) {
            response.withData("lastSuccess", Instant.ofEpochMilli(calls.lastSuccessMillis()).toString());
        }
        if (calls.lastError() != null) {
            response.withData("lastError", calls.lastError());
        }
        return response.status(calls.consecutiveFailures() == 0).build();
    }
}
