package io.livestage.session;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.oidc.TestTokens;

import static io.livestage.session.Api.as;
import static io.livestage.session.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Bad input answers a clear 400/415 problem naming the field, and changes nothing. */
@QuarkusTest
class SessionInputValidationTest {
    private static final String PROBLEM = "application/problem+json";
    private static EventProbe events;
    private static final String HOST = newUser("validator");

    @BeforeAll
    static void subscribe() {
        events = Api.sessionEvents();
    }

    @AfterEach
    void nothingWasCreated() {
        as(HOST).get("/api/sessions?host=me").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @AfterAll
    static void noEventWasPublished() {
        try {
            events.assertNone(e -> e.json().at("/session/hostId").asText().equals(HOST), Duration.ofSeconds(1));
        } finally {
            events.close();
        }
    }

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                Arguments.of("{\"kind\":\"AUDIO\"}", "title"),
                Arguments.of("{\"title\":\"   \",\"kind\":\"AUDIO\"}", "title"),
                Arguments.of("{\"title\":\"" + "x".repeat(201) + "\",\"kind\":\"AUDIO\"}", "title"),
                Arguments.of("{\"title\":\"t\"}", "kind"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"RADIO\"}", "kind"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"visibility\":\"SECRET\"}", "visibility"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"settings\":{\"maxGuests\":21}}", "settings.maxGuests"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"settings\":{\"maxGuests\":-1}}", "settings.maxGuests"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"settings\":{\"maxParticipants\":5,\"maxGuests\":5}}", "settings.maxGuests"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"settings\":{\"maxParticipants\":0}}", "settings.maxParticipants"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"settings\":{\"enableChat\":\"maybe\"}}", "settings.enableChat"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"scheduledAt\":\"" + Instant.now().minusSeconds(60) + "\"}", "scheduledAt"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"scheduledAt\":\"next tuesday\"}", "scheduledAt"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"spaceId\":\"no spaces allowed\"}", "spaceId"),
                Arguments.of("{\"title\":\"t\",\"kind\":\"AUDIO\",\"colour\":\"red\"}", "colour"));
    }

    @ParameterizedTest
    @MethodSource("invalidCreates")
    void invalidCreateNamesTheField(String body, String field) {
        as(HOST).body(body).post("/api/sessions").then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("field", equalTo(field))
                .body("type", Matchers.startsWith("https://livestage.io/problems/"));
    }

    @Test
    void malformedJsonIsA400() {
        as(HOST).body("{\"title\": \"t\", ").post("/api/sessions").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("https://livestage.io/problems/malformed-request"));
        as(HOST).body("").post("/api/sessions").then().log().ifValidationFails().statusCode(400).contentType(PROBLEM);
        as(HOST).body("[1,2]").post("/api/sessions").then().log().ifValidationFails().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void wrongContentTypeIsA415() {
        given().auth().oauth2(TestTokens.token(HOST)).contentType("text/plain").body("title=t")
                .post("/api/sessions").then().statusCode(415).contentType(PROBLEM);
    }

    @Test
    void oversizedBodyIsA413Problem() {
        String huge = "{\"title\":\"t\",\"kind\":\"AUDIO\",\"description\":\"" + "y".repeat(70_000) + "\"}";
        as(HOST).body(huge).post("/api/sessions").then().statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("https://livestage.io/problems/payload-too-large")).body("status", equalTo(413))
                .body("detail", containsString("at most 65536"));
        // without a Content-Length, the limit holds while the body is read
        as(HOST).body(new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))
                .post("/api/sessions").then().statusCode(413).contentType(PROBLEM);
    }

    @Test
    void badListParametersAre400() {
        Api.anonymous().get("/api/sessions?limit=0").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("limit"));
        Api.anonymous().get("/api/sessions?limit=101").then().statusCode(400).contentType(PROBLEM);
        Api.anonymous().get("/api/sessions?cursor=garbage!").then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("cursor"));
        Api.anonymous().get("/api/sessions?status=PARTY").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("status"));
        Api.anonymous().get("/api/sessions?visibility=SECRET").then().statusCode(400).body("field", equalTo("visibility"));
    }

    @Test
    void unknownRouteAndBadIdAreProblem404s() {
        Api.anonymous().get("/api/nothing-here").then().statusCode(404).contentType(PROBLEM);
        Api.anonymous().get("/api/sessions/not-a-uuid").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void invalidUpdateChangesNothing() {
        String host = newUser("host");
        String id = Api.createdId(host, Map.of("title", "Keep me", "kind", "AUDIO"));
        as(host).body(Map.of("title", "", "settings", Map.of("maxGuests", 50))).patch("/api/sessions/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors.size()", equalTo(2));
        as(host).body(Map.of("settings", Map.of("maxParticipants", 3))).patch("/api/sessions/" + id)
                .then().statusCode(400).body("field", equalTo("settings.maxGuests"))
                .body("detail", containsString("maxParticipants"));
        Api.anonymous().get("/api/sessions/" + id).then().statusCode(200).body("title", equalTo("Keep me"))
                .body("settings.maxGuests", equalTo(10)).body("settings.maxParticipants", equalTo(500));
        as(host).delete("/api/sessions/" + id).then().statusCode(204);
    }
}
