package io.livestage.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevIdentityTest {

    @TempDir
    Path dir;

    @Test
    void tokensVerifyWithThePublishedPublicKeyAndCarryTheDemoClaims() throws Exception {
        DevIdentity identity = DevIdentity.loadOrCreate(dir.resolve("keys"));
        Map<String, String> tokens = identity.writeDemoTokens(dir.resolve("tokens"), DevIdentity.DEMO_TOKEN_TTL);

        assertThat(tokens).containsOnlyKeys("alice", "bob", "carol", "oscar");
        assertThat(Files.readString(dir.resolve("tokens/alice.jwt")).trim()).isEqualTo(tokens.get("alice"));

        JwtClaims alice = verifier(publicKey(identity.publicKeyBase64())).processToClaims(tokens.get("alice"));
        assertThat(alice.getIssuer()).isEqualTo("livestage-devstack");
        assertThat(alice.getSubject()).isEqualTo("alice");
        assertThat(alice.getStringClaimValue("preferred_username")).isEqualTo("alice");
        assertThat(alice.getStringClaimValue("name")).isEqualTo("Alice Host");
        assertThat(alice.getClaimValue("xp", Long.class)).isEqualTo(100L);
        assertThat(alice.getExpirationTime().getValue() - alice.getIssuedAt().getValue())
                .isEqualTo(Duration.ofHours(12).toSeconds());

        JwtClaims carol = verifier(identity.publicKey()).processToClaims(tokens.get("carol"));
        assertThat(carol.getStringClaimValue("name")).isEqualTo("Carol Viewer");
        assertThat(carol.getClaimValue("xp", Long.class)).isEqualTo(10L);
        JwtClaims oscar = verifier(identity.publicKey()).processToClaims(tokens.get("oscar"));
        assertThat(oscar.getClaimValue("realm_access").toString()).contains("admin");
    }

    @Test
    void theKeyPairIsKeptSoTokensStayValidAcrossRestarts() throws Exception {
        DevIdentity first = DevIdentity.loadOrCreate(dir);
        String token = first.mint("bob", Duration.ofMinutes(5));

        DevIdentity second = DevIdentity.loadOrCreate(dir);

        assertThat(second.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
        assertThat(verifier(second.publicKey()).processToClaims(token).getStringClaimValue("name")).isEqualTo("Bob Viewer");
        assertThat(Files.readString(dir.resolve("public-key.pem"))).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void aTokenFromAnotherKeyIsRejected() {
        DevIdentity ours = DevIdentity.loadOrCreate(dir.resolve("a"));
        DevIdentity other = DevIdentity.loadOrCreate(dir.resolve("b"));

        assertThatThrownBy(() -> verifier(ours.publicKey()).processToClaims(other.mint("alice", Duration.ofMinutes(5))))
                .isInstanceOf(InvalidJwtException.class);
    }

    @Test
    void unknownUsersGetTheirNameAndNoXp() throws Exception {
        DevIdentity identity = DevIdentity.loadOrCreate(dir);
        JwtClaims dave = verifier(identity.publicKey()).processToClaims(identity.mint("dave", Duration.ofMinutes(5)));
        assertThat(dave.getStringClaimValue("name")).isEqualTo("Dave");
        assertThat(dave.getClaimValue("xp", Long.class)).isZero();
    }

    private static PublicKey publicKey(String base64) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static JwtConsumer verifier(PublicKey key) {
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setExpectedIssuer("livestage-devstack")
                .setRequireExpirationTime()
                .setRequireSubject()
                .build();
    }
}
