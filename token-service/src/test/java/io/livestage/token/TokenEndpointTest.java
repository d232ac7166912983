package io.livestage.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.livestage.testing.livekit.NodeLiveKitSdk;

import static io.livestage.token.Sessions.as;
import static io.livestage.token.Sessions.live;
import static io.livestage.token.Sessions.tokenRequest;
import static io.livestage.token.Sessions.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Tokens follow the caller's role in the session, least privilege, and are checked by an independent peer: the
 * official Node SDK's TokenVerifier.
 */
@QuarkusTest
class TokenEndpointTest {
    @ConfigProperty(name = "livekit.api-key")
    String apiKey;
    @ConfigProperty(name = "livekit.api-secret")
    String apiSecret;

    private JsonPath token(String user, String session) {
        return tokenRequest(user).body(Map.of("session", session)).post("/api/tokens").then().statusCode(200)
                .extract().jsonPath();
    }

    private JsonNode verifiedByNode(String token) {
        return NodeLiveKitSdk.verifyToken(token, apiKey, apiSecret);
    }

    @Test
    void audioRoomGrantsFollowRolesAndTheNodeSdkAgrees() {
        String host = user("host");
        String viewer = user("viewer");
        var session = live(host, Map.of("title", "Audio room", "kind", "AUDIO"));
        String id = session.path("id");
        String slug = session.path("slug");

        JsonPath hostToken = token(host, slug);
        assertThat(hostToken.getString("room")).isEqualTo(id);
        assertThat(hostToken.getString("identity")).isEqualTo(host);
        assertThat(hostToken.getString("role")).isEqualTo("HOST");
        assertThat(hostToken.getString("url")).startsWith("ws://");
        assertThat(hostToken.getList("grants.canPublishSources")).containsExactly("microphone");
        JsonNode hostClaims = verifiedByNode(hostToken.getString("token"));
        assertThat(hostClaims.at("/video/room").asText()).isEqualTo(id);
        assertThat(hostClaims.at("/video/roomJoin").asBoolean()).isTrue();
        assertThat(hostClaims.at("/video/canPublish").asBoolean()).isTrue();
        assertThat(hostClaims.at("/video/canPublishSources").toString()).isEqualTo("[\"microphone\"]");
        assertThat(hostClaims.path("sub").asText()).isEqualTo(host);

        JsonPath viewerToken = token(viewer, id);
        assertThat(viewerToken.getString("role")).isEqualTo("VIEWER");
        JsonNode viewerClaims = verifiedByNode(viewerToken.getString("token"));
        assertThat(viewerClaims.at("/video/canPublish").asBoolean()).isFalse();
        assertThat(viewerClaims.at("/video/canPublishData").asBoolean()).isFalse();
        assertThat(viewerClaims.at("/video/canSubscribe").asBoolean()).isTrue();
        assertThat(viewerClaims.at("/video/roomAdmin").isMissingNode()).isTrue();
        assertThat(viewerClaims.path("metadata").asText()).contains("\"role\":\"VIEWER\"");
    }

    @Test
    void videoSessionGrantsCameraToGuestsAndScreenShareToHosts() {
        String host = user("host");
        String guest = user("guest");
        String id = live(host, Map.of("title", "Video", "kind", "VIDEO")).path("id");
        assertThat(token(host, id).getList("grants.canPublishSources"))
                .containsExactly("camera", "microphone", "screen_share", "screen_share_audio");

        token(guest, id);
        String request = as(guest).post("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                .extract().path("id");
        as(host).body(Map.of("name", "Host")).post("/api/sessions/" + id + "/join").then().statusCode(200);
        as(host).post("/api/sessions/" + id + "/stage-requests/" + request + "/approve").then().statusCode(200);

        // the approval reaches tokens through the admission projection (docs/adr/0019): like the web app, ask
        // again until the token carries the new role
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                "GUEST".equals(token(guest, id).getString("role")));
        JsonPath guestToken = token(guest, id);
        assertThat(guestToken.getString("role")).isEqualTo("GUEST");
        assertThat(guestToken.getList("grants.canPublishSources")).containsExactly("camera", "microphone");
        JsonNode claims = verifiedByNode(guestToken.getString("token"));
        assertThat(claims.at("/video/canPublish").asBoolean()).isTrue();
    }

    @Test
    void anonymousViewersOnlyForPublicSessions() {
        String host = user("host");
        var open = live(host, Map.of("title", "Open", "kind", "AUDIO"));
        String slug = open.path("slug");
        JsonPath anon = given().contentType(ContentType.JSON).body(Map.of("session", slug)).post("/api/tokens")
                .then().statusCode(200).extract().jsonPath();
        assertThat(anon.getString("identity")).matches("anon-" + slug + "-[a-z0-9]{10}");
        assertThat(anon.getString("role")).isEqualTo("VIEWER");
        assertThat(verifiedByNode(anon.getString("token")).at("/video/canPublish").asBoolean()).isFalse();
        String other = given().contentType(ContentType.JSON).body(Map.of("session", slug)).post("/api/tokens")
                .then().statusCode(200).extract().path("identity");
        assertThat(other).isNotEqualTo(anon.getString("identity"));

        String unlisted = live(host, Map.of("title", "Link only", "kind", "AUDIO", "visibility", "UNLISTED")).path("id");
        given().contentType(ContentType.JSON).body(Map.of("session", unlisted)).post("/api/tokens").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void endedSessionsAnswer409AndRemovedUsersNeverGetATokenAgain() {
        String host = user("host");
        String troll = user("troll");
        String id = live(host, Map.of("title", "Moderated", "kind", "AUDIO")).path("id");
        token(troll, id);
        // in the room (what LiveKit's participant_joined would register; a token alone does not, docs/adr/0019)
        as(troll).body(Map.of("name", "Troll")).post("/api/sessions/" + id + "/join").then().statusCode(200);
        as(host).body(Map.of("name", "Host")).post("/api/sessions/" + id + "/join").then().statusCode(200);
        as(host).delete("/api/sessions/" + id + "/participants/" + troll).then().statusCode(200);
        // refused once the removal is projected (docs/adr/0019: the bound is the projection's lag), then for good
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                tokenRequest(troll).body(Map.of("session", id)).post("/api/tokens").statusCode() == 403);
        for (int attempt = 0; attempt < 3; attempt++) {
            tokenRequest(troll).body(Map.of("session", id)).post("/api/tokens").then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", matchesPattern(".*removed.*"));
        }
        String privateId = live(host, Map.of("title", "Private", "kind", "AUDIO", "visibility", "PRIVATE")).path("id");
        tokenRequest(user("stranger")).body(Map.of("session", privateId)).post("/api/tokens").then().statusCode(403);

        as(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                tokenRequest(host).body(Map.of("session", id)).post("/api/tokens").statusCode() == 409);
        tokenRequest(host).body(Map.of("session", id)).post("/api/tokens").then().statusCode(409)
                .body("type", equalTo("https://livestage.io/problems/illegal-state-transition"));
        given().contentType(ContentType.JSON).body(Map.of("session", id)).post("/api/tokens").then().statusCode(409);
    }

    @Test
    void badRequestsAreClearProblems() {
        for (Object body : List.of(Map.of(), Map.of("session", ""), Map.of("session", "NOT A SLUG"),
                Map.of("session", "abcdefgh", "name", ""), Map.of("session", "abcdefgh", "extra", 1))) {
            tokenRequest(user("u")).body(body).post("/api/tokens").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        tokenRequest(user("u")).body(Map.of("session", "zzzzzzzz")).post("/api/tokens").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{").post("/api/tokens").then().statusCode(400);
    }
}
