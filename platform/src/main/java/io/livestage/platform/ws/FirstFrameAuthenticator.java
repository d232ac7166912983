package io.livestage.platform.ws;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.smallrye.mutiny.Uni;

import io.livestage.platform.http.BearerTokens;

/**
 * Authenticates a socket the way every livestage channel does: with the token of its first frame, or, when that frame
 * has none, the upgrade request's {@code Authorization: Bearer} header (clients that can set headers). Browsers cannot
 * set headers on a WebSocket and a token in the URL would end up in access logs, hence the frame. The token is
 * verified as an OIDC access token by the default tenant; an empty one is no token.
 *
 * <p>Verification uses {@link TenantIdentityProvider} rather than {@code IdentityProviderManager}: behind the manager,
 * OIDC resolves its tenant from the HTTP request's RoutingContext, which a socket frame does not have.
 */
@ApplicationScoped
public class FirstFrameAuthenticator {
    private final TenantIdentityProvider identities;

    public FirstFrameAuthenticator(TenantIdentityProvider identities) {
        this.identities = identities;
    }

    /**
     * @param frameToken the first frame's token, null when the frame carries none
     * @param authorization the upgrade request's {@code Authorization} header, null when absent
     */
    public Uni<FirstFrameIdentity> authenticate(String frameToken, String authorization) {
        String token = frameToken != null ? frameToken : BearerTokens.fromAuthorization(authorization).orElse(null);
        if (token == null || token.isEmpty()) {
            return Uni.createFrom().item(new FirstFrameIdentity.Anonymous());
        }
        return identities.authenticate(new AccessTokenCredential(token))
                .map(identity -> identity == null ? new FirstFrameIdentity.Invalid()
                        : (FirstFrameIdentity) new FirstFrameIdentity.Authenticated(identity))
                .onFailure().recoverWithItem(new FirstFrameIdentity.Invalid());
    }
}
