package io.livestage.gateway.health;

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

import io.livestage.gateway.config.Origin;
import io.livestage.gateway.config.ServiceOrigins;

/**
 * {@code /q/health/group/services}: the readiness of every service behind the gateway, each with its status. A group
 * of its own rather than the gateway's readiness: one service down must not take the gateway (and every other route)
 * out of the load balancer. A service with several instances is UP when at least one of them is ready (the proxy
 * fails over to it); the data then also has each instance's state under {@code <service> <url>}, and the service's
 * own entry says how many are ready when not all are.
 */
@HealthGroup("services")
@ApplicationScoped
public class ServicesHealthCheck implements AsyncHealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String UP = "UP";
    private final ServiceOrigins origins;
    private final HttpClient client;

    public ServicesHealthCheck(ServiceOrigins origins, Vertx vertx) {
        this.origins = origins;
        this.client = vertx.createHttpClient();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Map.Entry<String, List<String>>>> checks = new ArrayList<>();
        for (Map.Entry<String, List<Origin>> service : origins.all().entrySet()) {
            List<Uni<String>> instances = service.getValue().stream().map(this::ready).toList();
            checks.add(Uni.join().all(instances).andFailFast().map(states -> Map.entry(service.getKey(), states)));
        }
        return Uni.join().all(checks).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("services");
            boolean up = true;
            for (Map.Entry<String, List<String>> r : results) {
                List<Origin> serviceOrigins = origins.of(r.getKey());
                List<String> states = r.getValue();
                long ready = states.stream().filter(UP::equals).count();
                if (states.size() == 1) {
                    builder.withData(r.getKey(), states.get(0));
                } else {
                    builder.withData(r.getKey(), ready == states.size() ? UP
                            : (ready > 0 ? UP : "DOWN") + " (" + ready + " of " + states.size() + " instances ready)");
                    for (int i = 0; i < states.size(); i++) {
                        builder.withData(r.getKey() + " " + serviceOrigins.get(i).url(), states.get(i));
                    }
                }
                up &= ready > 0;
            }
            return builder.status(up).build();
        });
    }

    private Uni<String> ready(Origin origin) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(origin.host())
                .setPort(origin.port()).setURI("/q/health/ready").setTimeout(TIMEOUT.toMillis());
        return Uni.createFrom().completionStage(() -> client.request(options)
                .compose(req -> req.send().map(res -> res.statusCode() == 200 ? UP : "DOWN (" + res.statusCode() + ")"))
                .toCompletionStage())
                .onFailure().recoverWithItem(failure -> "UNREACHABLE (" + failure.getClass().getSimpleName() + ")");
    }
}
