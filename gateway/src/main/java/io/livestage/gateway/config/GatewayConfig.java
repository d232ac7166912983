package io.livestage.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.gateway.*}. */
@ConfigMapping(prefix = "livestage.gateway")
public interface GatewayConfig {

    /**
     * The base URL of each upstream service by name, e.g. {@code session-service -> http://127.0.0.1:8081}; or several,
     * separated by commas (whitespace around each is ignored), when the service runs as several instances the gateway
     * should balance over: {@code http://127.0.0.1:8081, http://127.0.0.1:9081}. Requests and WebSocket upgrades go
     * round-robin over them; one that refuses a connection (or does not accept it within {@link #connectTimeout()}) is
     * skipped for {@link #originCooldown()} and the request tried on the next. Each entry is {@code http://host[:port]}
     * (port 80 when left out, no path); a malformed one stops the gateway at startup, naming this property. One URL
     * (a Kubernetes or compose Service in front of the instances) is a single origin, as before.
     */
    Map<String, String> services();

    /**
     * How long the gateway waits for an upstream to accept a connection; past it, the connection counts as failed and
     * the request moves on to the service's next origin (if it has one).
     */
    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * How long an origin that failed to accept a connection is skipped by the requests of the event loop that saw it
     * fail (each event loop keeps its own view), before it is tried again. A skipped origin is still tried last, once
     * every other origin of the service failed too: a request is refused (502) only when no instance accepts it.
     */
    @WithDefault("5s")
    Duration originCooldown();

    /** Pooled connections per origin (instance of a service) and event loop. */
    @WithDefault("200")
    int poolSize();

    /** How long a verified token is remembered (never past its own expiry), so each request is not re-verified. */
    @WithDefault("60s")
    Duration tokenCacheTtl();

    @WithDefault("10000")
    int tokenCacheSize();

    /**
     * How many proxies in front of the gateway are trusted to append the client's address to {@code X-Forwarded-For}.
     * 0: the client is the TCP peer (the header is ignored for rate limits). 1: the last entry of the header, etc.
     */
    @WithDefault("0")
    int trustedProxyHops();

    RateLimit rateLimit();

    /** {@code livestage.gateway.web.*}: the web app served at {@code /}. */
    Web web();

    interface Web {
        /** Where the bundled app lies on the class path (the gateway's jar has web/dist there). */
        @WithDefault("META-INF/livestage-web")
        String root();

        /**
         * The OpenID provider the app signs in with, as a browser reaches it ({@code GET /web-config.json}); by default
         * the gateway's own {@code quarkus.oidc.auth-server-url}, so tokens carry the issuer the services expect.
         * Empty: sign-in is unavailable (the app stays anonymous).
         */
        Optional<String> oidcAuthority();

        /** The realm's public client for browsers (authorization code + PKCE). */
        @WithDefault("livestage-web")
        String oidcClientId();

        /**
         * The LiveKit server as browsers reach it (token-service's {@code LIVEKIT_URL}, e.g. {@code wss://media.example.org}):
         * the default Content-Security-Policy lets pages connect to it (WebSocket, and HTTP for LiveKit's connection check).
         * Empty: the app reaches only the gateway and the identity provider, and rooms report the media server unreachable.
         */
        Optional<String> mediaUrl();

        /** Replaces the default Content-Security-Policy of the app's pages. */
        Optional<String> contentSecurityPolicy();
    }

    /** {@code livestage.gateway.rate-limit.*}: token buckets per user (signed-in requests) and per IP (the rest). */
    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /**
         * A Redis shared by all gateway replicas ({@code redis://host:port}, {@code rediss://…} for TLS); unset or empty:
         * each replica counts on its own. When the Redis cannot be reached, replicas fall back to their own counts.
         */
        Optional<String> redisUrl();

        /** Prefix of the Redis keys (one key per user, IP and route quota). */
        @WithDefault("livestage:ratelimit:")
        String keyPrefix();

        /** A Redis command taking longer than this counts as an outage: the request is counted locally instead. */
        @WithDefault("250ms")
        Duration redisTimeout();

        /** How often a lost Redis is tried again. */
        @WithDefault("5s")
        Duration redisRetry();

        /** Most local buckets kept; beyond it idle ones are dropped first, then all (a flood of fresh IPs). */
        @WithDefault("100000")
        int localBuckets();

        /** The quota of each signed-in user (its token's {@code sub}), over all routes without a quota of their own. */
        Quota user();

        /** The quota of each client IP for requests without a token (and for tokens that fail verification). */
        Quota ip();

        /**
         * Quotas of single routes by route name ({@code tokens}, {@code room-channel}, …), replacing the user and IP
         * quotas there: the route has its own bucket per user and per IP. A limit of 0 turns limits off for the route.
         */
        Map<String, Quota> routes();
    }

    /** {@code limit} requests per {@code period}, refilled smoothly; a burst of up to {@code limit}. 0: unlimited. */
    interface Quota {
        int limit();

        @WithDefault("60s")
        Duration period();
    }
}
