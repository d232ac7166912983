package io.livestage.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the relay thread runs; reports the backlog so a stuck outbox is visible before consumers notice. */
@Readiness
@ApplicationScoped
public class OutboxRelayHealthCheck implements HealthCheck {
    private final OutboxRelay relay;

    public OutboxRelayHealthCheck(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay")
                .withData("enabled", relay.isEnabled())
                .withData("pending", relay.pending())
                .withData("oldestPendingSeconds", relay.oldestPendingSeconds());
        if (relay.lastPublishedAt() != null) {
            response.withData("lastPublishedAt", relay.lastPublishedAt().toString());
        }
        if (relay.lastError() != null) {
            response.withData("lastError", relay.lastError());
        }
        return response.status(!relay.isEnabled() || relay.isRunning()).build();
    }
}
