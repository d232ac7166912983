package io.livestage.testing.keycloak;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points quarkus-oidc of a test application at the JVM's real {@link KeycloakServer}: {@code quarkus.oidc.auth-server-url}
 * = the livestage realm (quarkus-oidc discovers the issuer and the JWKS), and the local-key mode of
 * {@link io.livestage.testing.oidc.OidcTestResource} cleared ({@code quarkus.oidc.public-key} empty). Get tokens with
 * {@code KeycloakServer.shared().tokenFor("alice")}.
 * <p>
 * Init arg {@value #AUDIENCE_ARG}: {@code quarkus.oidc.token.audience} (default {@value KeycloakServer#AUDIENCE}, which
 * every livestage client puts into its access tokens; {@code none} = no audience check).
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String AUDIENCE_ARG = "audience";

    private String audience = KeycloakServer.AUDIENCE;

    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs.get(AUDIENCE_ARG);
        if (value != null && !value.isBlank()) {
            audience = value.trim();
        }
    }

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.shared();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.auth-server-url", keycloak.authServerUrl());
        // An empty value removes a public key another resource or profile set: with it quarkus-oidc would not use the provider.
        config.put("quarkus.oidc.public-key", "");
        config.put("quarkus.oidc.token.issuer", keycloak.issuer());
        config.put("quarkus.oidc.discovery-enabled", "true");
        if (!audience.equals("none")) {
            config.put("quarkus.oidc.token.audience", audience);
        }
        return config;
    }

    /** The server lives until the JVM exits (one per JVM, shared by every application start). */
    @Override
    public void stop() {
    }
}
