package io.livestage.platform.security;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers, in {@link VerifiedTokenCache}, the identity quarkus-oidc verified for a bearer access token. Runs first
 * among the augmentors, so what is remembered is the verified identity before any augmentation (augmentors run again
 * on a remembered identity); the request's RoutingContext is not kept.
 */
@ApplicationScoped
public class VerifiedTokenRecorder implements SecurityIdentityAugmentor {
    private final VerifiedTokenCache cache;

    public VerifiedTokenRecorder(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (cache.enabled() && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
            if (credential != null && credential.getToken() != null) {
                Instant expiresAt = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
                cache.remember(credential.getToken(),
                        QuarkusSecurityIdentity.builder(identity).addAttribute(RoutingContext.class.getName(), null).build(),
                        expiresAt, Instant.now());
            }
        }
        return Uni.createFrom().item(identity);
    }
}
