package io.livestage.gateway.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.gateway.*}. */
@ConfigMapping(prefix = "livestage.gateway")
public interface GatewayConfig {

    /** Base URL of each upstream service by name, e.g. {@code session-service -> http://127.0.0.1:8081}. */
    Map<String, String> services();

    /** How long the gateway waits for an upstream to accept a connection. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Pooled connections per upstream. */
    @WithDefault("200")
    int poolSize();

    /** How long a verified token is remembered (never past its own expiry), so each request is not re-verified. */
    @WithDefault("60s")
    Duration tokenCacheTtl();

    @WithDefault("10000")
    int tokenCacheSize();
}
