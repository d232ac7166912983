package io.livestage.gateway.e2e;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.livestage.testing.keycloak.KeycloakServer;
import io.livestage.testing.oidc.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input through the gateway, on every route: bodies over the gateway's 1 MiB and over a service's own smaller
 * limit, malformed JSON, wrong content types, unknown routes and methods, invalid tokens (garbage, a forged
 * signature, another issuer's key, another audience) and expired ones (signed by Keycloak). Each answer must be a
 * clear 4xx with an RFC 9457 problem+json body, never a 5xx; and nothing may change: the session, its participants,
 * the stage queue, invites, the chat history and chat settings read the same before and after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
    private static final Duration SHORT_LIFESPAN = Duration.ofSeconds(10);
    private static LiveStack stack;
    private static LiveStack.User host;
    private static String id;
    private static RoomSocket hostSocket;
    /** A Keycloak token of a client whose tokens live 10 s, checked valid once; expired when used again (the last test). */
    private static String shortLived;
    private static Instant shortLivedExpiry;

    private final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void session() {
        stack = LiveStack.shared();
        host = stack.demo("alice");
        List<LiveStack.User> people = stack.users("demo:alice", "demo:carol", "target-1");
        LiveStack.User viewer = people.get(1);
        LiveStack.User waiting = people.get(2);
        id = stack.as(host).body(Map.of("title", "Bad input", "kind", "VIDEO", "visibility", "PUBLIC"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        stack.as(host).post(path("/start")).then().statusCode(200);
        for (LiveStack.User user : List.of(host, viewer, waiting)) {
            stack.as(user).body(Map.of("name", user.name())).post(path("/join")).then().statusCode(200);
        }
        stack.as(waiting).post(path("/stage-requests")).then().statusCode(200);
        stack.as(host).put(path("/invites/someone")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> stack.as(host).get(path("/chat/settings")).then()
                .statusCode(200));
        hostSocket = RoomSocket.open(stack, id, host);
        hostSocket.chat("bad-1", "before the bad input");

        String client = "bad-input-" + UUID.randomUUID().toString().substring(0, 8);
        stack.keycloak().createPasswordClient(client, SHORT_LIFESPAN);
        KeycloakServer.DemoUser carol = KeycloakServer.DEMO_USERS.get(2);
        shortLived = stack.keycloak().passwordGrant(client, carol.username(), carol.password()).requireAccessToken();
        shortLivedExpiry = Instant.ofEpochSecond(KeycloakServer.claims(shortLived).path("exp").asLong());
        // valid while it lives: the 401s below are for its expiry, nothing else
        stack.edge().auth().oauth2(shortLived).get("/api/sessions?host=me").then().statusCode(200);
        expected = state();
    }

    @AfterAll
    static void close() {
        if (hostSocket != null) {
            hostSocket.close();
        }
    }

    private static String path(String rest) {
        return "/api/sessions/" + id + rest;
    }

    /** The state every test must leave as it found it (each one's "after" is the next one's "before"). */
    private static Map<String, String> expected;

    /** Everything the bad requests could have touched, as the host reads it through the gateway. */
    private static Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("session", stack.as(host).get(path("")).then().statusCode(200).extract().asString());
        state.put("the host's sessions", stack.as(host).get("/api/sessions?host=me&limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items.id").toString());
        JsonNode participants = stack.as(host).get(path("/participants")).then().statusCode(200).extract().as(JsonNode.class);
        List<String> people = new ArrayList<>();
        // speakingSeconds grows while someone is on stage: every other field must stay
        participants.forEach(p -> people.add(((ObjectNode) p.deepCopy())
                .without("speakingSeconds").toString()));
        state.put("participants", people.toString());
        state.put("stage queue", stack.as(host).get(path("/stage-requests")).then().statusCode(200).extract().asString());
        state.put("invites", stack.as(host).get(path("/invites")).then().statusCode(200).extract().asString());
        state.put("chat history", stack.as(host).get(path("/chat?limit=200")).then().statusCode(200).extract().asString());
        state.put("chat settings", stack.as(host).get(path("/chat/settings")).then().statusCode(200).extract().asString());
        state.put("chat bans", stack.as(host).get(path("/chat/bans")).then().statusCode(200).extract().asString());
        state.put("chat moderation", stack.as(host).get(path("/chat/moderation")).then().statusCode(200).extract().asString());
        return state;
    }

    /** Expects the status and a complete problem+json; never a 5xx. */
    private void expect(String what, Response response, int status) {
        int got = response.statusCode();
        if (got != status) {
            failures.add(what + ": expected " + status + ", got " + got + " " + Problems.abbreviated(response.asString()));
            return;
        }
        String problem = Problems.violation(response);
        if (problem != null) {
            failures.add(what + ": " + problem);
        }
    }

    private void assertAllClearAndNothingChanged() {
        Map<String, String> now = state();
        Map<String, String> before = expected;
        expected = now; // a change fails this test only, not the ones after it
        assertThat(failures).as("bad requests answered wrongly:\n" + String.join("\n", failures)).isEmpty();
        assertThat(now).as("state after the bad requests").isEqualTo(before);
    }

    private RequestSpecification asHost() {
        return stack.as(host);
    }

    private static String json(int bytes) {
        // a valid body of about this size: the limit, not the parser, must refuse it
        return "{\"title\":\"big\",\"kind\":\"AUDIO\",\"description\":\"" + "x".repeat(Math.max(0, bytes - 50)) + "\"}";
    }

    @Test
    void oversizedBodiesAre413() {
        int overGateway = 1024 * 1024 + 1024;
        expect("POST /api/sessions over the gateway's 1 MiB", asHost().body(json(overGateway)).post("/api/sessions"), 413);
        expect("PATCH session over 1 MiB", asHost().body(json(2 * overGateway)).patch(path("")), 413);
        expect("POST /api/tokens over 1 MiB", asHost().body(json(overGateway)).post("/api/tokens"), 413);
        expect("PATCH chat settings over 1 MiB", asHost().body(json(overGateway)).patch(path("/chat/settings")), 413);
        expect("POST /api/sessions over 1 MiB, waiting for 100-continue", asHost().config(RestAssured.config()
                .httpClient(HttpClientConfig.httpClientConfig().setParam("http.protocol.expect-continue", true)))
                .body(json(overGateway)).post("/api/sessions"), 413);
        expect("POST /api/sessions over 1 MiB, chunked (no Content-Length)", asHost()
                .body(new ByteArrayInputStream(json(overGateway).getBytes(StandardCharsets.UTF_8))).post("/api/sessions"), 413);
        // under the gateway's limit, over the service's own
        expect("POST /api/sessions over session-service's 64 KiB", asHost().body(json(80 * 1024)).post("/api/sessions"), 413);
        expect("PATCH session over 64 KiB", asHost().body(json(80 * 1024)).patch(path("")), 413);
        expect("POST /api/tokens over token-service's 256 KiB", asHost().body(json(300 * 1024)).post("/api/tokens"), 413);
        expect("PATCH chat settings over chat-service's 64 KiB", asHost().body(json(80 * 1024)).patch(path("/chat/settings")), 413);
        expect("POST chat bans over 64 KiB", asHost().body(json(80 * 1024)).post(path("/chat/bans")), 413);
        assertAllClearAndNothingChanged();
    }

    @Test
    void malformedJsonIs400() {
        Map<String, String> sessions = new LinkedHashMap<>();
        sessions.put("truncated", "{\"title\":");
        sessions.put("not JSON", "title=x");
        sessions.put("empty", "");
        sessions.put("null", "null");
        sessions.put("an array", "[]");
        sessions.put("an unknown enum value", "{\"title\":\"x\",\"kind\":\"RADIO\"}");
        sessions.put("an unknown field", "{\"title\":\"x\",\"kind\":\"AUDIO\",\"admin\":true}");
        sessions.put("a number too large", "{\"title\":\"x\",\"kind\":\"AUDIO\",\"settings\":{\"maxGuests\":99999999999999999999}}");
        sessions.put("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000));
        sessions.forEach((what, body) -> expect("POST /api/sessions with " + what, asHost().body(body).post("/api/sessions"), 400));
        expect("PATCH session, maxGuests a string", asHost().body("{\"settings\":{\"maxGuests\":\"many\"}}").patch(path("")), 400);
        expect("PATCH session, maxGuests out of range", asHost().body("{\"settings\":{\"maxGuests\":999}}").patch(path("")), 400);
        expect("PATCH session, truncated", asHost().body("{\"title\": ").patch(path("")), 400);
        expect("POST join, no name", asHost().body("{\"name\":\"\"}").post(path("/join")), 400);
        expect("POST join, truncated", asHost().body("{\"name\":").post(path("/join")), 400);
        expect("POST mute, nothing to mute", asHost().body("{}").post(path("/participants/carol/mute")), 400);
        expect("POST role, an unknown role", asHost().body("{\"role\":\"KING\"}").post(path("/participants/carol/role")), 400);
        expect("POST role HOST", asHost().body("{\"role\":\"HOST\"}").post(path("/participants/carol/role")), 400);
        expect("POST /api/tokens, truncated", asHost().body("{\"session\":").post("/api/tokens"), 400);
        expect("POST /api/tokens, not a session reference", asHost().body("{\"session\":\"../../etc\"}").post("/api/tokens"), 400);
        expect("POST /api/tokens, an unknown field", asHost().body("{\"session\":\"" + id + "\",\"role\":\"HOST\"}")
                .post("/api/tokens"), 400);
        expect("PATCH chat settings, truncated", asHost().body("{\"slowModeSeconds\":").patch(path("/chat/settings")), 400);
        expect("PATCH chat settings, a string for a number", asHost().body("{\"slowModeSeconds\":\"x\"}")
                .patch(path("/chat/settings")), 400);
        expect("PATCH chat settings, out of range", asHost().body("{\"slowModeSeconds\":-1}").patch(path("/chat/settings")), 400);
        expect("PATCH chat settings, a string for a list", asHost().body("{\"blockedTerms\":\"a\"}")
                .patch(path("/chat/settings")), 400);
        expect("POST chat bans, no user", asHost().body("{}").post(path("/chat/bans")), 400);
        expect("POST chat timeouts, no duration", asHost().body("{\"userId\":\"carol\"}").post(path("/chat/timeouts")), 400);
        expect("POST chat timeouts, truncated", asHost().body("{\"userId\":").post(path("/chat/timeouts")), 400);
        assertAllClearAndNothingChanged();
    }

    @Test
    void wrongContentTypesAre415() {
        String session = "{\"title\":\"x\",\"kind\":\"AUDIO\"}";
        expect("POST /api/sessions as text/plain", asHost().contentType(ContentType.TEXT).body(session).post("/api/sessions"), 415);
        expect("POST /api/sessions as a form", asHost().contentType(ContentType.URLENC).body("title=x&kind=AUDIO")
                .post("/api/sessions"), 415);
        expect("POST /api/sessions as XML", asHost().contentType(ContentType.XML).body("<session/>").post("/api/sessions"), 415);
        expect("POST /api/sessions without a Content-Type", stack.edge().auth().oauth2(host.token())
                .body(session.getBytes(StandardCharsets.UTF_8)).post("/api/sessions"), 415);
        expect("PATCH session as text/plain", asHost().contentType(ContentType.TEXT).body("{\"title\":\"y\"}").patch(path("")), 415);
        expect("POST join as a form", asHost().contentType(ContentType.URLENC).body("name=x").post(path("/join")), 415);
        expect("POST /api/tokens as text/plain", asHost().contentType(ContentType.TEXT).body("{\"session\":\"" + id + "\"}")
                .post("/api/tokens"), 415);
        expect("POST /api/tokens as a form", asHost().contentType(ContentType.URLENC).body("session=" + id).post("/api/tokens"), 415);
        expect("PATCH chat settings as text/plain", asHost().contentType(ContentType.TEXT).body("{\"slowModeSeconds\":5}")
                .patch(path("/chat/settings")), 415);
        expect("POST chat bans as a form", asHost().contentType(ContentType.URLENC).body("userId=carol").post(path("/chat/bans")), 415);
        expect("GET a session as XML only", asHost().accept(ContentType.XML).get(path("")), 406);
        assertAllClearAndNothingChanged();
    }

    @Test
    void unknownRoutesAndMethodsAre404And405() {
        expect("GET /api/nothing (no route at the gateway)", asHost().get("/api/nothing"), 404);
        // an extension-less path outside the platform's prefixes is the web app's (index.html): a missing file is a 404
        expect("GET /nothing.txt (outside the API, no such file)", asHost().get("/nothing.txt"), 404);
        expect("GET /ws/nothing", asHost().get("/ws/nothing"), 404);
        expect("POST /webhooks/other", asHost().body("{}").post("/webhooks/other"), 404);
        expect("GET a session's unknown sub-resource", asHost().get(path("/nothing")), 404);
        expect("GET a session by a malformed id", asHost().get("/api/sessions/not-a-uuid"), 404);
        expect("GET a session that does not exist", asHost().get("/api/sessions/" + UUID.randomUUID()), 404);
        expect("POST start of a session that does not exist", asHost().post("/api/sessions/" + UUID.randomUUID() + "/start"), 404);
        expect("approve a stage request that does not exist", asHost()
                .post(path("/stage-requests/" + UUID.randomUUID() + "/approve")), 404);
        expect("approve a stage request by a malformed id", asHost().post(path("/stage-requests/nope/approve")), 404);
        expect("GET a chat sub-resource that does not exist", asHost().get(path("/chat/nothing")), 404);
        expect("delete a chat message that does not exist", asHost().delete(path("/chat/messages/" + UUID.randomUUID())), 404);
        expect("GET /api/tokens", asHost().get("/api/tokens"), 405);
        expect("PUT start", asHost().put(path("/start")), 405);
        expect("DELETE chat settings", asHost().delete(path("/chat/settings")), 405);
        expect("GET /webhooks/livekit", stack.edge().get("/webhooks/livekit"), 405);
        assertAllClearAndNothingChanged();
    }

    @Test
    void invalidTokensAre401OnEveryRoute() {
        String real = host.token();
        Map<String, String> authorizations = new LinkedHashMap<>();
        authorizations.put("garbage", "Bearer garbage");
        authorizations.put("three dots", "Bearer a.b.c");
        authorizations.put("an empty bearer", "Bearer ");
        authorizations.put("Basic credentials", "Basic " + Base64.getEncoder().encodeToString("alice:alice".getBytes(StandardCharsets.UTF_8)));
        authorizations.put("Keycloak's token with a changed payload", "Bearer " + forged(real));
        authorizations.put("a token signed by another key and issuer", "Bearer " + TestTokens.tokenSignedByOtherKey(host.id()));
        authorizations.put("Keycloak's ID token (audience livestage-cli)", "Bearer " + idToken());
        authorizations.put("a token with alg none", "Bearer " + unsigned(real));
        sendEverywhere(authorizations);
        assertAllClearAndNothingChanged();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void expiredTokensAre401OnEveryRoute() {
        // waits for time to pass (if the tests before took less than 10 s), not for a result
        await().atMost(SHORT_LIFESPAN.plusSeconds(10)).until(() -> Instant.now().isAfter(shortLivedExpiry.plusSeconds(1)));
        Map<String, String> authorizations = new LinkedHashMap<>();
        authorizations.put("an expired Keycloak token", "Bearer " + shortLived);
        authorizations.put("an expired token of another issuer", "Bearer " + TestTokens.expiredToken(host.id()));
        sendEverywhere(authorizations);
        assertAllClearAndNothingChanged();
    }

    /** Each authorization on a read, a write and the token route of every service, and in the room channel's first frame. */
    private void sendEverywhere(Map<String, String> authorizations) {
        Map<String, Function<RequestSpecification, Response>> routes = new LinkedHashMap<>();
        routes.put("GET session (a read anonymous callers may do)", r -> r.get(path("")));
        routes.put("PATCH session", r -> r.body("{\"title\":\"taken over\"}").patch(path("")));
        routes.put("POST end", r -> r.post(path("/end")));
        routes.put("POST /api/tokens (anonymous allowed)", r -> r.body("{\"session\":\"" + id + "\"}").post("/api/tokens"));
        routes.put("GET chat history (a read anonymous callers may do)", r -> r.get(path("/chat")));
        routes.put("PATCH chat settings", r -> r.body("{\"slowModeSeconds\":3600}").patch(path("/chat/settings")));
        authorizations.forEach((token, authorization) -> routes.forEach((route, call) -> expect(route + " with " + token,
                call.apply(stack.edge().header("Authorization", authorization).contentType(ContentType.JSON)), 401)));
        for (Map.Entry<String, String> entry : authorizations.entrySet()) {
            String value = entry.getValue();
            if (!value.startsWith("Bearer ") || value.length() <= 7) {
                continue;
            }
            int code = RoomSocket.refused(stack, id, value.substring(7));
            if (code != 4401) {
                failures.add("room channel auth frame with " + entry.getKey() + ": expected close 4401, got " + code);
            }
        }
    }

    private static String forged(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"xp\":\\d+", "\"xp\":9999");
        assertThat(payload).contains("\"xp\":9999");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static String unsigned(String jwt) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + jwt.split("\\.")[1] + ".";
    }

    /** Alice's ID token: signed by the realm, for the audience livestage-cli only. */
    private static String idToken() {
        KeycloakServer.TokenResponse r = stack.keycloak().passwordGrant(KeycloakServer.CLI_CLIENT, "alice", "alice");
        String token = r.body().path("id_token").asText();
        assertThat(KeycloakServer.claims(token).path("aud").toString()).doesNotContain("\"" + KeycloakServer.AUDIENCE + "\"");
        return token;
    }
}
