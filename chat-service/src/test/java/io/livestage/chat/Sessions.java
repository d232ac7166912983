package io.livestage.chat;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matchers;

import io.livestage.testing.oidc.TestTokens;

import static io.restassured.RestAssured.given;

/** Drives the real session-service process running beside chat-service in the tests. */
final class Sessions {
    private Sessions() {
    }

    static String url() {
        return System.getProperty("livestage.test.session-service.url");
    }

    static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification as(String user) {
        return given().baseUri(url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    /** Creates and starts a session; returns its id. */
    static String live(String host, String visibility) {
        return live(host, Map.of("title", "Chat test", "kind", "AUDIO", "visibility", visibility));
    }

    static String live(String host, Map<String, Object> body) {
        Response created = as(host).body(body).post("/api/sessions");
        created.then().statusCode(201);
        String id = created.path("id");
        as(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        return id;
    }

    static void join(String session, String user) {
        as(user).body(Map.of("name", "N " + user)).post("/api/sessions/" + session + "/join").then().statusCode(200);
    }

    /** The viewer raises a hand and the host approves: the viewer is a GUEST on stage. */
    static String bringOnStage(String session, String host, String viewer) {
        join(session, viewer);
        String request = as(viewer).post("/api/sessions/" + session + "/stage-requests").then()
                .statusCode(Matchers.anyOf(Matchers.is(200), Matchers.is(201)))
                .extract().path("id");
        as(host).post("/api/sessions/" + session + "/stage-requests/" + request + "/approve").then().statusCode(200);
        return request;
    }

    static void promote(String session, String host, String user, String role) {
        as(host).body(Map.of("role", role)).post("/api/sessions/" + session + "/participants/" + user + "/role")
                .then().statusCode(200);
    }

    /** Joins and is promoted to COHOST by the host (session-service). */
    static void cohost(String session, String host, String user) {
        join(session, user);
        promote(session, host, user, "COHOST");
    }

    /** PATCH the session's settings in session-service, e.g. {@code enableChat=false}. */
    static void updateSettings(String session, String host, Map<String, Object> settings) {
        as(host).body(Map.of("settings", settings)).patch("/api/sessions/" + session).then().statusCode(200);
    }

    /** The host removes a participant for good (session-service). */
    static void remove(String session, String host, String user) {
        as(host).delete("/api/sessions/" + session + "/participants/" + user).then().statusCode(200);
    }

    static void end(String session, String host) {
        as(host).post("/api/sessions/" + session + "/end").then().statusCode(200);
    }

    static String token(String user) {
        return TestTokens.token(user);
    }

    static RequestSpecification chatAs(String user) {
        return given().auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }
}
