package io.livestage.gateway.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.OidcTestResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The web app at / (a small test bundle in src/test/resources/web-fixture stands in for web/dist): pages are
 * no-cache, hashed assets immutable, app routes fall back to index.html, and the platform's paths are untouched.
 */
@QuarkusTest
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(UpstreamStub.class)
class WebAppTest {

    private static void isIndex(Response response) {
        response.then().statusCode(200).contentType(startsWith("text/html")).header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:8180;"))
                .body(containsString("data-bundle=\"web-fixture\""));
    }

    @Test
    void rootIsIndexHtmlRevalidatedEveryTime() {
        isIndex(given().get("/"));
        String etag = given().get("/").then().extract().header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        given().header("If-None-Match", etag).get("/").then().statusCode(304).header("Cache-Control", "no-cache");
        given().head("/").then().statusCode(200).header("Content-Length", Integer::parseInt, greaterThan(100))
                .body(equalTo(""));
    }

    @Test
    void hashedAssetsAreImmutableOtherFilesNoCache() {
        given().get("/assets/index-5d41402a.js").then().statusCode(200).contentType(startsWith("text/javascript"))
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .body(containsString("web-fixture"));
        given().get("/favicon.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"))
                .header("Cache-Control", "no-cache");
    }

    @Test
    void appRoutesFallBackToIndexHtml() {
        isIndex(given().get("/sessions/abc/analytics"));
        isIndex(given().get("/sessions/abc/analytics?tab=live"));
        // /apiary is not /api
        isIndex(given().get("/apiary"));
    }

    @Test
    void aMissingFileIsA404ProblemNotTheApp() {
        given().get("/assets/gone-0000.js").then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().get("/nothing.png").then().statusCode(404).contentType(startsWith("application/problem+json"));
        given().post("/sessions/abc/analytics").then().statusCode(404);
    }

    @Test
    void apiPathsStillReachTheProxy() {
        given().get("/api/sessions").then().statusCode(200).body("from", equalTo("upstream-stub"));
        given().get("/api/nope").then().statusCode(404).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("no route for /api/nope"));
        // the analytics route needs a token: the gateway's 401, not index.html
        given().get("/api/sessions/abc/analytics").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().get("/ws/other").then().statusCode(404).contentType(startsWith("application/problem+json"));
        // recording-service's paths reach it (the stub's 404), with or without an extension
        given().get("/podcast/unknown").then().statusCode(404).contentType(startsWith("application/json")).body(equalTo("{}"));
        given().get("/hls/abc/index.m3u8").then().statusCode(404).contentType(startsWith("application/json"))
                .body(equalTo("{}"));
    }

    @Test
    void platformEndpointsAreUnaffected() {
        given().get("/q/health/live").then().statusCode(200).contentType(startsWith("application/json"))
                .body("status", equalTo("UP"));
        given().get("/q/health").then().contentType(startsWith("application/json"));
        given().get("/q/nothing-here").then().statusCode(404);
        given().get("/asyncapi.yaml").then().statusCode(200).contentType(startsWith("application/yaml"));
        given().get("/schemas/not-a-schema").then().statusCode(404);
    }

    @Test
    void webConfigNamesTheIdentityProvider() {
        given().get("/web-config.json").then().statusCode(200).contentType(startsWith("application/json"))
                .header("Cache-Control", "no-cache")
                .body("oidcAuthority", equalTo("http://localhost:8180/realms/livestage"))
                .body("oidcClientId", equalTo("livestage-web"));
    }
}
