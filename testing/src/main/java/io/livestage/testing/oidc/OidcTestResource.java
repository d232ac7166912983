package io.livestage.testing.oidc;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes quarkus-oidc verify {@link TestTokens} locally: with {@code quarkus.oidc.public-key} set and
 * {@code quarkus.oidc.auth-server-url} unset, quarkus-oidc never contacts an identity provider.
 */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {

    /** Hands quarkus-oidc the JVM's test public key and issuer; {@code auth-server-url} stays unset on purpose. */
    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.oidc.public-key", TestTokens.publicKeyBase64(),
                "quarkus.oidc.token.issuer", TestTokens.issuer());
    }

    /** Nothing runs: the keys live in the JVM until it exits. */
    @Override
    public void stop() {
    }
}
