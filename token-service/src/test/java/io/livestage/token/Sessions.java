package io.livestage.token;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.livestage.testing.oidc.TestTokens;

import static io.restassured.RestAssured.given;

/** Drives the real session-service process the tests run beside token-service. */
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

    /** Creates and starts a session; returns its JSON (id, slug, ...). */
    static Response live(String host, Map<String, Object> body) {
        Response created = as(host).body(body).post("/api/sessions");
        created.then().statusCode(201);
        as(host).post("/api/sessions/" + created.path("id") + "/start").then().statusCode(200);
        return created;
    }

    static RequestSpecification tokenRequest(String user) {
        return given().auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }
}
