package io.livestage.testing.oidc;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokenSignatureVerifiesWithThePublishedPublicKey() throws Exception {
        String token = TestTokens.token("alice");

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(verifies(parts, publishedKey())).isTrue();
        assertThat(json(parts[0]).get("alg").asText()).isEqualTo("RS256");
        JsonNode claims = json(parts[1]);
        assertThat(claims.get("iss").asText()).isEqualTo("https://test.livestage.invalid");
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("preferred_username").asText()).isEqualTo("alice");
        assertThat(claims.get("name").asText()).isEqualTo("alice");
        assertThat(claims.get("jti").asText()).isNotBlank();
        long now = Instant.now().getEpochSecond();
        assertThat(claims.get("iat").asLong()).isBetween(now - 60, now + 1);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
    }

    @Test
    void extraClaimsAndDisplayNameAreCarried() throws Exception {
        String token = TestTokens.token("bob", "Bob Host", Map.of("groups", List.of("host"), "aud", "livestage"));

        JsonNode claims = json(token.split("\\.")[1]);
        assertThat(claims.get("name").asText()).isEqualTo("Bob Host");
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("host");
        assertThat(claims.get("aud").asText()).isEqualTo("livestage");
    }

    @Test
    void verifierConfiguredLikeQuarkusOidcAcceptsValidAndRejectsExpiredOrForeignTokens() throws Exception {
        JwtConsumer verifier = new JwtConsumerBuilder()
                .setVerificationKey(publishedKey())
                .setExpectedIssuer(TestTokens.issuer())
                .setRequireExpirationTime()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();

        assertThat(verifier.processToClaims(TestTokens.token("carol")).getSubject()).isEqualTo("carol");
        assertThatThrownBy(() -> verifier.processToClaims(TestTokens.expiredToken("carol")))
                .isInstanceOfSatisfying(InvalidJwtException.class, e -> assertThat(e.hasExpired()).isTrue());
        assertThatThrownBy(() -> verifier.processToClaims(TestTokens.tokenSignedByOtherKey("carol")))
                .isInstanceOf(InvalidJwtException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void expiredTokenIsCorrectlySignedButExpired() throws Exception {
        String[] parts = TestTokens.expiredToken("dave").split("\\.");

        assertThat(verifies(parts, publishedKey())).isTrue();
        assertThat(json(parts[1]).get("exp").asLong()).isLessThan(Instant.now().getEpochSecond() - 3000);
    }

    @Test
    void tokenSignedByOtherKeyDoesNotVerify() throws Exception {
        assertThat(verifies(TestTokens.tokenSignedByOtherKey("eve").split("\\."), publishedKey())).isFalse();
    }

    @Test
    void resourceConfiguresQuarkusOidcWithTheSameKeyAndIssuer() {
        assertThat(new OidcTestResource().start()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "quarkus.oidc.public-key", TestTokens.publicKeyBase64(),
                "quarkus.oidc.token.issuer", "https://test.livestage.invalid"));
        assertThat(System.getProperty(TestTokens.PUBLIC_KEY_PROPERTY)).isEqualTo(TestTokens.publicKeyBase64());
    }

    /** Plain JDK verification, independent of the library that signed. */
    private static boolean verifies(String[] parts, PublicKey key) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(key);
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    private static PublicKey publishedKey() throws Exception {
        byte[] encoded = Base64.getDecoder().decode(TestTokens.publicKeyBase64());
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(encoded));
    }

    private static JsonNode json(String base64Url) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(base64Url));
    }
}
