package io.livestage.session;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.TestTokens;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.as;
import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Only the host changes a session; PRIVATE and UNLISTED sessions stay out of others' lists. */
@QuarkusTest
class SessionAccessTest {

    @Test
    void writesNeedAValidToken() {
        Api.anonymous().body(audioRoom("x")).post("/api/sessions").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(TestTokens.expiredToken("someone")).contentType(ContentType.JSON).body(audioRoom("x"))
                .post("/api/sessions").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.tokenSignedByOtherKey("someone")).contentType(ContentType.JSON)
                .body(audioRoom("x")).post("/api/sessions").then().statusCode(401);
        given().auth().oauth2("not.a.jwt").contentType(ContentType.JSON).body(audioRoom("x"))
                .post("/api/sessions").then().statusCode(401);
    }

    @Test
    void onlyTheHostChangesASession() {
        String host = newUser("host");
        String other = newUser("viewer");
        String id = createdId(host, audioRoom("Mine"));
        for (String act : new String[] { "start", "end", "cancel" }) {
            action(other, id, act).then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("https://livestage.io/problems/forbidden"));
            Api.anonymous().post("/api/sessions/" + id + "/" + act).then().statusCode(401);
        }
        as(other).body(Map.of("title", "Hijacked")).patch("/api/sessions/" + id).then().statusCode(403);
        as(other).delete("/api/sessions/" + id).then().statusCode(403);
        Api.anonymous().get("/api/sessions/" + id).then().statusCode(200).body("title", equalTo("Mine"))
                .body("status", equalTo("SCHEDULED"));
    }

    @Test
    void privateSessionsAreInvisibleToOthers() {
        String host = newUser("host");
        String other = newUser("viewer");
        var created = Api.create(host, Map.of("title", "Secret", "kind", "VIDEO", "visibility", "PRIVATE"))
                .then().statusCode(201).extract();
        String id = created.path("id");
        String slug = created.path("slug");
        as(other).get("/api/sessions/" + id).then().statusCode(404);
        Api.anonymous().get("/api/sessions/by-slug/" + slug).then().statusCode(404);
        action(other, id, "start").then().statusCode(404);
        as(host).get("/api/sessions/" + id).then().statusCode(200);
        as(other).get("/api/sessions?limit=100").then().statusCode(200).body("items.id", not(hasItem(id)));
        as(other).get("/api/sessions?host=" + host).then().statusCode(200).body("items.size()", equalTo(0));
        as(host).get("/api/sessions?host=me").then().statusCode(200).body("items.id", hasItem(id));
    }

    @Test
    void unlistedSessionsOpenByLinkButAreNotListed() {
        String host = newUser("host");
        var created = Api.create(host, Map.of("title", "By link", "kind", "AUDIO", "visibility", "UNLISTED"))
                .then().statusCode(201).extract();
        String id = created.path("id");
        Api.anonymous().get("/api/sessions/by-slug/" + (String) created.path("slug")).then().statusCode(200);
        Api.anonymous().get("/api/sessions/" + id).then().statusCode(200);
        Api.anonymous().get("/api/sessions?limit=100").then().statusCode(200).body("items.id", not(hasItem(id)));
        as(host).get("/api/sessions?host=me&visibility=UNLISTED").then().statusCode(200).body("items.id", hasItem(id));
        Api.anonymous().get("/api/sessions?host=me").then().statusCode(401);
    }
}
