package io.livestage.session;

import java.time.Duration;
import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** What operators and event consumers rely on: readiness, metrics, OpenAPI and the served event catalogue. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readinessCoversDatabaseKafkaAndOutbox() {
        List<String> checks = given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .extract().jsonPath().getList("checks.name");
        assertThat(checks).contains("outbox-relay", "Kafka connection health check");
        assertThat(checks).anyMatch(name -> name.contains("PostgreSQL") || name.contains("Database"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsShowSessionsByStatusApiLatencyAndOutbox() {
        String host = newUser("metrics");
        String id = createdId(host, audioRoom("Counted"));
        action(host, id, "start").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).containsPattern("livestage_sessions\\{[^}]*status=\"ACTIVE\"[^}]*} [1-9]");
            assertThat(metrics).contains("http_server_requests_seconds_bucket");
            assertThat(metrics).containsPattern("livestage_outbox_published_total(\\{[^}]*})? [1-9]");
        });
    }

    @Test
    void openApiDocumentsTheSessionsApiWithBearerAuth() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItems("/api/sessions", "/api/sessions/{id}", "/api/sessions/{id}/start",
                        "/api/sessions/by-slug/{slug}"))
                .body("components.securitySchemes.keySet().size()", Matchers.greaterThan(0));
    }

    @Test
    void eventCatalogueIsServed() {
        given().get("/asyncapi.yaml").then().statusCode(200).body(containsString("livestage.session"))
                .body(containsString("session.started"));
        given().get("/schemas/session.started.json").then().statusCode(200)
                .body("$id", equalTo("https://livestage.io/schemas/session.started.json"));
        given().get("/schemas/..%2Fapplication.properties").then().statusCode(404);
    }
}
