package io.livestage.token.livekit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishData;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our minter writes what the official SDK writes, signed so that a standard HS256 verifier accepts it. */
class TokenMinterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenMinter minter = new TokenMinter("devkey", "secret");

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void claimsMatchTheSdksAccessTokenAndTheSignatureVerifies() throws Exception {
        Instant now = Instant.now();
        LiveKitPermissions.Rights rights = LiveKitPermissions.of(ParticipantRole.HOST, SessionKind.VIDEO);
        String ours = minter.mint("u-alice", "Alice", "{\"role\":\"HOST\"}", "room-1", rights, now, 3600);

        AccessToken sdk = new AccessToken("devkey", "secret");
        sdk.setIdentity("u-alice");
        sdk.setName("Alice");
        sdk.setMetadata("{\"role\":\"HOST\"}");
        sdk.setTtl(3_600_000);
        sdk.addGrants(new RoomJoin(true), new RoomName("room-1"), new CanPublish(true), new CanSubscribe(true),
                new CanPublishData(true), new CanPublishSources(rights.sources()));
        JsonNode expected = payload(sdk.toJwt());
        JsonNode actual = payload(ours);

        for (String claim : List.of("iss", "sub", "name", "metadata", "video")) {
            assertThat(actual.get(claim)).as(claim).isEqualTo(expected.get(claim));
        }
        assertThat(actual.get("exp").asLong()).isCloseTo(expected.get("exp").asLong(), Offset.offset(2L));
        assertThat(actual.get("nbf").asLong()).isEqualTo(now.getEpochSecond());

        JWT.require(Algorithm.HMAC256("secret")).withIssuer("devkey").withSubject("u-alice").build().verify(ours);
        assertThatThrownBy(() -> JWT.require(Algorithm.HMAC256("other")).build().verify(ours))
                .isInstanceOf(SignatureVerificationException.class);
    }

    @Test
    void namesWithQuotesControlCharactersAndUnicodeStayValidJson() throws Exception {
        String name = "Zoë \"the\" \\ host\n\t\u0001 🎙";
        String jwt = minter.mint("u-1", name, null, "r", LiveKitPermissions.of(ParticipantRole.VIEWER, SessionKind.AUDIO),
                Instant.now(), 60);
        JsonNode claims = payload(jwt);
        assertThat(claims.get("name").asText()).isEqualTo(name);
        assertThat(claims.has("metadata")).isFalse();
        assertThat(claims.at("/video/canPublishSources").isMissingNode()).isTrue();
        assertThat(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    }

    @Test
    void theClaimsAreTheUtf8OfTheStringBuilderEncodingForAnyText() throws Exception {
        java.util.Random random = new java.util.Random(7);
        List<String> tricky = new java.util.ArrayList<>(List.of("", "plain", "Zoë", "\u2028\u2029", "lone \uD83C end",
                "\uDC00first", "emoji 🎙🎧", "ctl \u0000\u001f\u007f", "\"\\\"", "日本語のホスト"));
        for (int i = 0; i < 200; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            }
            tricky.add(new String(chars));
        }
        LiveKitPermissions.Rights rights = LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.VIDEO);
        Instant now = Instant.now();
        long nbf = now.getEpochSecond();
        for (String text : tricky) {
            String jwt = minter.mint("u-" + text, text, "{\"n\":\"" + text.length() + "\"}", "room", rights, now, 60);
            StringBuilder expected = new StringBuilder("{\"iss\":\"devkey\",\"sub\":");
            TokenMinter.quote(expected, "u-" + text);
            expected.append(",\"name\":");
            TokenMinter.quote(expected, text);
            expected.append(",\"metadata\":");
            TokenMinter.quote(expected, "{\"n\":\"" + text.length() + "\"}");
            expected.append(",\"nbf\":").append(nbf).append(",\"exp\":").append(nbf + 60).append(",\"video\":");
            TokenMinter.videoGrant(expected, "room", rights).append('}');
            String[] parts = jwt.split("\\.");
            assertThat(Base64.getUrlDecoder().decode(parts[1])).as("claims for %s", text)
                    .isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
            JWT.require(Algorithm.HMAC256("secret")).build().verify(jwt);
        }
    }

    @Test
    void base64UrlMatchesTheJdkForEveryRemainder() {
        java.util.Random random = new java.util.Random(11);
        for (int length = 0; length < 70; length++) {
            byte[] src = new byte[length];
            random.nextBytes(src);
            byte[] dst = new byte[length * 2 + 8];
            int end = TokenMinter.base64Url(src, length, dst, 3);
            assertThat(new String(dst, 3, end - 3, StandardCharsets.US_ASCII))
                    .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(src));
        }
    }

    @Test
    void refusesToRunWithoutCredentials() {
        assertThatThrownBy(() -> new TokenMinter("", "secret")).hasMessageContaining("LIVEKIT_API_KEY");
    }
}
