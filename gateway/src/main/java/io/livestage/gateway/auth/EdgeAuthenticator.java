package io.livestage.gateway.auth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.livestage.gateway.config.GatewayConfig;

/**
 * Verifies bearer tokens at the edge with quarkus-oidc (signature, issuer, expiry — the same checks the services
 * make), remembering a verified token for a short while so a client's next requests are not verified again. A token
 * is never remembered past its own expiry.
 */
@ApplicationScoped
public class EdgeAuthenticator {
    private final TenantIdentityProvider identities;
    private final GatewayConfig config;
    /** Bounded (least recently used go first) and short-lived: a revoked session stops working within the TTL. */
    private final Cache<String, Verified> cache;

    /** A verified caller: the user id ({@code sub}) and when the token stops being valid. */
    public record Verified(String userId, Instant expiresAt, Instant cachedUntil) {
    }

    public EdgeAuthenticator(TenantIdentityProvider identities, GatewayConfig config) {
        this.identities = identities;
        this.config = config;
        this.cache = Caffeine.newBuilder().maximumSize(config.tokenCacheSize())
                .expireAfterWrite(config.tokenCacheTtl()).build();
    }

    /** The caller of {@code token}; fails when the token is not valid. */
    public Uni<Verified> verify(String token) {
        Instant now = Instant.now();
        Verified cached = cache.getIfPresent(token);
        if (cached != null && cached.cachedUntil().isAfter(now) && cached.expiresAt().isAfter(now)) {
            return Uni.createFrom().item(cached);
        }
        return identities.authenticate(new AccessTokenCredential(token)).map(identity -> {
            Instant expires = now.plus(config.tokenCacheTtl());
            if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
                expires = Instant.ofEpochSecond(jwt.getExpirationTime());
            }
            Instant until = now.plus(config.tokenCacheTtl());
            Verified verified = new Verified(identity.getPrincipal().getName(), expires,
                    until.isBefore(expires) ? until : expires);
            cache.put(token, verified);
            return verified;
        });
    }
}
