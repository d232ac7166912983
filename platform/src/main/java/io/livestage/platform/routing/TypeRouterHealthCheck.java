package io.livestage.platform.routing;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the type router runs (or is off); a router in ERROR means type topics stop receiving events. */
@Readiness
@ApplicationScoped
public class TypeRouterHealthCheck implements HealthCheck {
    private final TypeRouter router;

    public TypeRouterHealthCheck(TypeRouter router) {
        this.router = router;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("type-router")
                .withData("enabled", router.isEnabled());
        if (router.isEnabled()) {
            response.withData("topics", String.join(",", router.aggregateTopics())).withData("state", router.state());
        }
        if (router.lastError() != null) {
            response.withData("lastError", router.lastError());
        }
        return response.status(!router.isEnabled() || router.isHealthy()).build();
    }
}
