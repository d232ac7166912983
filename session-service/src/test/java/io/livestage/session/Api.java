package io.livestage.session;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.oidc.TestTokens;

import static io.restassured.RestAssured.given;

/** Small helpers so tests read as the user story they check. */
final class Api {
    private Api() {
    }

    static String newUser(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    static RequestSpecification as(String user, int xp) {
        return given().auth().oauth2(TestTokens.token(user, user, Map.of("xp", xp))).contentType(ContentType.JSON);
    }

    static Response join(String user, String sessionRef) {
        return as(user).body(Map.of("name", user)).post("/api/sessions/" + sessionRef + "/join");
    }

    /** Creates a session as {@code host}, starts it, and joins the host. */
    static String liveSession(String host, Map<String, Object> settings) {
        String id = createdId(host, Map.of("title", "Live stage", "kind", "AUDIO", "settings", settings));
        action(host, id, "start").then().statusCode(200);
        join(host, id).then().statusCode(200);
        return id;
    }

    static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    static Response create(String host, Map<String, Object> body) {
        return as(host).body(body).post("/api/sessions");
    }

    static String createdId(String host, Map<String, Object> body) {
        return create(host, body).then().statusCode(201).extract().path("id");
    }

    static Map<String, Object> audioRoom(String title) {
        return Map.of("title", title, "kind", "AUDIO");
    }

    static Response action(String user, String id, String action) {
        return as(user).post("/api/sessions/" + id + "/" + action);
    }

    static EventProbe sessionEvents() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        return EventProbe.from(bootstrap, Topics.SESSION);
    }
}
