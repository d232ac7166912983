package io.livestage.testing.keycloak;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.livestage.testing.keycloak.KeycloakServer.DemoUser;
import io.livestage.testing.keycloak.KeycloakServer.TokenResponse;
import io.livestage.testing.oidc.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The realm file on a real Keycloak: what its tokens carry, who gets one, and that they verify against its keys only. */
class KeycloakServerTest {

    private static final String REDIRECT = "http://localhost:8080/callback";
    private final KeycloakServer keycloak = KeycloakServer.shared();

    @Test
    void demoUsersGetTokensWithTheirFixedIdNameAndNumericXp() {
        for (DemoUser user : KeycloakServer.DEMO_USERS) {
            JsonNode claims = KeycloakServer.claims(keycloak.tokenFor(user.username(), user.password()));

            assertThat(claims.path("sub").asText()).isEqualTo(user.id()).isEqualTo(user.username());
            assertThat(claims.path("preferred_username").asText()).isEqualTo(user.username());
            assertThat(claims.path("name").asText()).isEqualTo(user.name());
            assertThat(claims.path("xp").isIntegralNumber()).as("xp is a JSON number: " + claims).isTrue();
            assertThat(claims.path("xp").asInt()).isEqualTo(user.xp());
            assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
            assertThat(claims.path("azp").asText()).isEqualTo(KeycloakServer.CLI_CLIENT);
            assertThat(claims.path("aud").toString()).contains("\"" + KeycloakServer.AUDIENCE + "\"");
            assertThat(claims.path("realm_access").path("roles").toString()).contains("\"" + user.role() + "\"");
            assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).as("access token lifespan").isEqualTo(1800);
        }
        assertThat(KeycloakServer.DEMO_USERS).extracting(DemoUser::name)
                .containsExactly("Alice Host", "Bob Viewer", "Carol Viewer");
    }

    @Test
    void tokensVerifyAgainstTheRealmKeysAndNothingElseDoes() throws Exception {
        JwtConsumer consumer = consumer(null);
        String token = keycloak.tokenFor("alice");

        JwtClaims verified = consumer.processToClaims(token);
        assertThat(verified.getSubject()).isEqualTo("alice");
        assertThat(verified.getClaimValue("xp", Long.class)).isEqualTo(100L);

        assertThatThrownBy(() -> consumer.processToClaims(withXp(token, 9999)))
                .as("payload changed, Keycloak's signature kept").isInstanceOf(InvalidJwtException.class);
        assertThatThrownBy(() -> consumer.processToClaims(TestTokens.token("alice")))
                .as("signed by another key").isInstanceOf(InvalidJwtException.class);
        NumericDate afterExpiry = NumericDate.fromSeconds(verified.getExpirationTime().getValue() + 120);
        assertThatThrownBy(() -> consumer(afterExpiry).processToClaims(token))
                .as("the same token once expired").isInstanceOf(InvalidJwtException.class)
                .hasMessageContaining("no longer valid");
    }

    @Test
    void aWrongPasswordOrAnUnknownUserGetsNoToken() {
        TokenResponse wrong = keycloak.passwordGrant(KeycloakServer.CLI_CLIENT, "alice", "not-alice");
        assertThat(wrong.status()).isIn(400, 401);
        assertThat(wrong.error()).isEqualTo("invalid_grant");
        assertThat(wrong.accessToken()).isEmpty();

        TokenResponse unknown = keycloak.passwordGrant(KeycloakServer.CLI_CLIENT, "mallory", "mallory");
        assertThat(unknown.error()).isEqualTo("invalid_grant");
        assertThat(unknown.accessToken()).isEmpty();

        assertThatThrownBy(() -> keycloak.tokenFor("alice", "not-alice")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("invalid_grant");
    }

    @Test
    void theServicesClientGetsServiceAccountTokensWithItsSecretOnly() {
        JsonNode claims = KeycloakServer.claims(keycloak.clientCredentialsToken());
        assertThat(claims.path("azp").asText()).isEqualTo(KeycloakServer.SERVICES_CLIENT);
        assertThat(claims.path("preferred_username").asText()).isEqualTo("service-account-livestage-services");
        assertThat(claims.path("aud").toString()).contains("\"" + KeycloakServer.AUDIENCE + "\"");

        TokenResponse wrongSecret = keycloak.clientCredentials(KeycloakServer.SERVICES_CLIENT, "guess");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.accessToken()).isEmpty();
        TokenResponse publicClient = keycloak.clientCredentials(KeycloakServer.CLI_CLIENT, "");
        assertThat(publicClient.accessToken()).as("a public client has no service account").isEmpty();
    }

    @Test
    void theWebClientRequiresPkceS256AndNoPasswordGrant() throws Exception {
        Browser browser = new Browser();

        // no code_challenge: refused, back to the app with an error
        HttpResponse<String> noPkce = get(browser, authorize(Map.of()));
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(location(noPkce)).startsWith(REDIRECT).contains("error=invalid_request");
        // plain is not S256
        HttpResponse<String> plain = get(browser, authorize(Map.of("code_challenge", "x".repeat(43), "code_challenge_method", "plain")));
        assertThat(location(plain)).startsWith(REDIRECT).contains("error=invalid_request");

        // S256: the login page; alice signs in; a code comes back
        String verifier = randomVerifier();
        String challenge = s256(verifier);
        Map<String, String> pkce = Map.of("code_challenge", challenge, "code_challenge_method", "S256");
        HttpResponse<String> loginPage = get(browser, authorize(pkce));
        assertThat(loginPage.statusCode()).as(loginPage.body()).isEqualTo(200);
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"")
                .matcher(loginPage.body());
        assertThat(action.find()).as("login form in " + loginPage.body()).isTrue();
        String formUrl = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
        HttpResponse<String> signedIn = browser.post(formUrl,
                KeycloakServer.form("username", "alice", "password", "alice", "credentialId", ""));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        String code = query(location(signedIn)).get("code");
        assertThat(code).isNotBlank();

        // the code without the verifier is refused
        TokenResponse withoutVerifier = keycloak.tokenRequest(KeycloakServer.form("grant_type", "authorization_code",
                "client_id", KeycloakServer.WEB_CLIENT, "code", code, "redirect_uri", REDIRECT));
        assertThat(withoutVerifier.accessToken()).isEmpty();
        assertThat(withoutVerifier.error()).isEqualTo("invalid_grant");

        // a new code (the SSO session signs alice in without the form) with the right verifier gives her token
        String verifier2 = randomVerifier();
        HttpResponse<String> again = get(browser, authorize(Map.of("code_challenge", s256(verifier2), "code_challenge_method", "S256")));
        assertThat(again.statusCode()).isEqualTo(302);
        String code2 = query(location(again)).get("code");
        TokenResponse wrongVerifier = keycloak.tokenRequest(KeycloakServer.form("grant_type", "authorization_code",
                "client_id", KeycloakServer.WEB_CLIENT, "code", code2, "redirect_uri", REDIRECT, "code_verifier", verifier));
        assertThat(wrongVerifier.accessToken()).as("another login's verifier").isEmpty();

        String code3 = query(location(get(browser, authorize(Map.of("code_challenge", s256(verifier2),
                "code_challenge_method", "S256"))))).get("code");
        TokenResponse tokens = keycloak.tokenRequest(KeycloakServer.form("grant_type", "authorization_code",
                "client_id", KeycloakServer.WEB_CLIENT, "code", code3, "redirect_uri", REDIRECT, "code_verifier", verifier2));
        JsonNode claims = KeycloakServer.claims(tokens.requireAccessToken());
        assertThat(claims.path("sub").asText()).isEqualTo("alice");
        assertThat(claims.path("azp").asText()).isEqualTo(KeycloakServer.WEB_CLIENT);
        assertThat(claims.path("xp").asInt()).isEqualTo(100);
        assertThat(consumer(null).processToClaims(tokens.requireAccessToken()).getSubject()).isEqualTo("alice");

        // a redirect outside the registered ones is refused outright (no redirect to it)
        HttpResponse<String> foreign = get(browser, authorize(pkce).replace(URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8),
                URLEncoder.encode("http://evil.example/cb", StandardCharsets.UTF_8)));
        assertThat(foreign.statusCode()).isEqualTo(400);

        // the browser client cannot take passwords
        TokenResponse password = keycloak.passwordGrant(KeycloakServer.WEB_CLIENT, "alice", "alice");
        assertThat(password.accessToken()).isEmpty();
        assertThat(password.error()).isEqualTo("unauthorized_client");
    }

    @Test
    void testUsersAndShortLivedClientsAreMadeThroughTheAdminApi() throws Exception {
        String username = "kst-" + Long.toString(System.nanoTime(), 36);
        KeycloakServer.TestUser user = keycloak.createUser(username, 77);
        String token = keycloak.tokenFor(user);
        consumer(null).processToClaims(token); // signed by the realm, for the livestage audience
        JsonNode claims = KeycloakServer.claims(token);
        assertThat(claims.path("sub").asText()).isEqualTo(user.id()).isNotEqualTo(username);
        assertThat(claims.path("preferred_username").asText()).isEqualTo(username);
        assertThat(claims.path("xp").asInt()).isEqualTo(77);
        assertThat(claims.path("name").asText()).isEqualTo(user.name());
        assertThatThrownBy(() -> keycloak.createUser(username, 1)).hasMessageContaining("409");

        String client = "kst-short-" + Long.toString(System.nanoTime(), 36);
        keycloak.createPasswordClient(client, Duration.ofSeconds(5));
        JsonNode shortLived = KeycloakServer.claims(keycloak.passwordGrant(client, user.username(), user.password())
                .requireAccessToken());
        assertThat(shortLived.path("exp").asLong() - shortLived.path("iat").asLong()).isEqualTo(5);
        assertThat(shortLived.path("aud").toString()).contains("\"" + KeycloakServer.AUDIENCE + "\"");
        assertThat(shortLived.path("xp").asInt()).isEqualTo(77);
    }

    private JwtConsumer consumer(NumericDate evaluationTime) throws Exception {
        String jwks = keycloak.get(keycloak.jwksUri(), Map.of()).body();
        JwtConsumerBuilder b = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(keycloak.issuer())
                .setExpectedAudience(KeycloakServer.AUDIENCE)
                .setRequireExpirationTime()
                .setRequireSubject();
        if (evaluationTime != null) {
            b.setEvaluationTime(evaluationTime);
        }
        return b.build();
    }

    private static String withXp(String jwt, int xp) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"xp\":\\d+", "\"xp\":" + xp);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private String authorize(Map<String, String> extra) {
        Map<String, String> q = new LinkedHashMap<>(KeycloakServer.form("client_id", KeycloakServer.WEB_CLIENT,
                "response_type", "code", "scope", "openid", "redirect_uri", REDIRECT, "state", "st-1"));
        q.putAll(extra);
        return keycloak.authorizationEndpoint() + "?" + KeycloakServer.encode(q);
    }

    private static HttpResponse<String> get(Browser browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * A browser's cookie behaviour for one origin: Keycloak marks its login cookies {@code Secure}, which browsers send
     * to {@code http://localhost}/{@code 127.0.0.1} (a secure context) but {@link CookieManager} never sends over HTTP.
     */
    private static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(KeycloakServer.encode(form))));
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .reduce((a, b) -> a + "; " + b).orElseThrow());
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : r.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return r;
        }
    }

    private static String location(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: HTTP "
                + r.statusCode() + " " + r.body()));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String randomVerifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
