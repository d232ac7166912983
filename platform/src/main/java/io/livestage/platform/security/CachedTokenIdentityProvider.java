package io.livestage.platform.security;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Asked before quarkus-oidc (a higher priority than any provider Quarkus registers): answers a bearer token from
 * {@link VerifiedTokenCache} with the identity verified for it before, carrying this request's RoutingContext; for
 * any other token it answers nothing, and OIDC verifies as usual ({@link VerifiedTokenRecorder} then remembers it).
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final VerifiedTokenCache cache;

    public CachedTokenIdentityProvider(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return SYSTEM_FIRST + 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        SecurityIdentity known = cache.lookup(request.getToken().getToken(), Instant.now());
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        return Uni.createFrom().item(routing == null ? known
                : QuarkusSecurityIdentity.builder(known).addAttribute(RoutingContext.class.getName(), routing).build());
    }
}
