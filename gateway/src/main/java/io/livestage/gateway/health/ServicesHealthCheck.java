package io.livestage.gateway.health;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.livestage.gateway.config.GatewayConfig;

/**
 * {@code /q/health/group/services}: the readiness of every service behind the gateway, each with its status. A group
 * of its own rather than the gateway's readiness: one service down must not take the gateway (and every other route)
 * out of the load balancer.
 */
@HealthGroup("services")
@ApplicationScoped
public class ServicesHealthCheck implements AsyncHealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private final GatewayConfig config;
    private final HttpClient client;

    public ServicesHealthCheck(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.client = vertx.createHttpClient();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Map.Entry<String, String>>> checks = new ArrayList<>();
        for (Map.Entry<String, String> service : config.services().entrySet()) {
            checks.add(ready(service.getValue()).map(status -> Map.entry(service.getKey(), status)));
        }
        return Uni.join().all(checks).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("services");
            boolean up = true;
            for (Map.Entry<String, String> r : results) {
                builder.withData(r.getKey(), r.getValue());
                up &= "UP".equals(r.getValue());
            }
            return builder.status(up).build();
        });
    }

    private Uni<String> ready(String baseUrl) {
        URI uri = URI.create(baseUrl);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI("/q/health/ready").setTimeout(TIMEOUT.toMillis());
        return Uni.createFrom().completionStage(() -> client.request(options)
                .compose(req -> req.send().map(res -> res.statusCode() == 200 ? "UP" : "DOWN (" + res.statusCode() + ")"))
                .toCompletionStage())
                .onFailure().recoverWithItem(failure -> "UNREACHABLE (" + failure.getClass().getSimpleName() + ")");
    }
}
