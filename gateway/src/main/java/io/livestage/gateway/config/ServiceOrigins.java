package io.livestage.gateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;

/**
 * The instances of every service, parsed from {@code livestage.gateway.services.*} when the gateway starts (a
 * malformed entry stops the start, naming the property). The proxy balances over them, the health check asks each,
 * the OpenAPI aggregation takes the first that answers. A service given one URL (a Kubernetes or compose Service)
 * has one origin and behaves as before.
 */
@Startup
@ApplicationScoped
public class ServiceOrigins {
    private final Map<String, List<Origin>> origins;

    @Inject
    public ServiceOrigins(GatewayConfig config) {
        this(config.services());
    }

    ServiceOrigins(Map<String, String> services) {
        Map<String, List<Origin>> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> service : new TreeMap<>(services).entrySet()) {
            parsed.put(service.getKey(), Origin.parseList(service.getKey(), service.getValue()));
        }
        this.origins = Collections.unmodifiableMap(parsed);
    }

    /** Every configured service (by name) with its origins (in the order configured). */
    public Map<String, List<Origin>> all() {
        return origins;
    }

    /** The origins of {@code service}, or null when the service is not configured at this gateway. */
    public List<Origin> of(String service) {
        return origins.get(service);
    }
}
