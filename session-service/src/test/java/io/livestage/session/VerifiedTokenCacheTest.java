package io.livestage.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.TestTokens;

import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bearer token is verified once, then answered from the platform's verified-token cache
 * ({@code io.livestage.platform.security}) until its TTL or its own expiry, whichever comes first; the identity
 * answered is the token's own, and a token that fails verification is never remembered.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    MeterRegistry registry;

    @Test
    void aTokenIsVerifiedOnceThenAnsweredFromTheCacheAsItsOwnUser() {
        String alice = newUser("cache-a");
        String bob = newUser("cache-b");
        String aliceToken = TestTokens.token(alice);
        String bobToken = TestTokens.token(bob);

        double hits = count("hit");
        double misses = count("miss");
        String aliceSession = given().auth().oauth2(aliceToken).contentType(ContentType.JSON).body(audioRoom("cached"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        assertThat(count("miss") - misses).as("first use: verified").isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            List<String> aliceIds = given().auth().oauth2(aliceToken).get("/api/sessions?host=me").then().statusCode(200)
                    .extract().path("items.id");
            List<String> bobIds = given().auth().oauth2(bobToken).get("/api/sessions?host=me").then().statusCode(200)
                    .extract().path("items.id");
            assertThat(aliceIds).as("alice's own sessions").contains(aliceSession);
            assertThat(bobIds).as("bob's own sessions, never alice's").doesNotContain(aliceSession);
        }
        assertThat(count("hit") - hits).as("alice's 3 and bob's last 2 requests from the cache").isEqualTo(5);
        assertThat(count("miss") - misses).as("alice once, bob once").isEqualTo(2);
    }

    @Test
    void anEntryIsNotUsedPastTheTokensExpiry() throws InterruptedException {
        String user = newUser("cache-exp");
        long exp = Instant.now().getEpochSecond() + 3;
        String token = TestTokens.token(user, user, Map.of("exp", exp));

        given().auth().oauth2(token).get("/api/sessions?host=me").then().statusCode(200);
        double hits = count("hit");
        given().auth().oauth2(token).get("/api/sessions?host=me").then().statusCode(200);
        assertThat(count("hit") - hits).as("still valid: from the cache").isEqualTo(1);

        while (Instant.now().getEpochSecond() <= exp) {
            Thread.sleep(200);
        }
        double misses = count("miss");
        hits = count("hit");
        given().auth().oauth2(token).get("/api/sessions?host=me").then().statusCode(401);
        assertThat(count("hit") - hits).as("expired: never answered from the cache").isZero();
        assertThat(count("miss") - misses).isEqualTo(1);
    }

    @Test
    void aTokenThatFailsVerificationIsNeverRemembered() {
        String forged = TestTokens.tokenSignedByOtherKey(newUser("cache-forged"));
        double hits = count("hit");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(forged).get("/api/sessions?host=me").then().statusCode(401);
        }
        assertThat(count("hit") - hits).isZero();
    }

    private double count(String result) {
        return registry.get("livestage.auth.token_cache").tag("result", result).counter().count();
    }
}
