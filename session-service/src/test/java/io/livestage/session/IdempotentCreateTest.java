package io.livestage.session;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.TestTokens;

import static io.livestage.session.Api.as;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** A create retried with the same Idempotency-Key answers the first session; never a second one. */
@QuarkusTest
class IdempotentCreateTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String BODY = "{\"title\":\"Retried AMA\",\"kind\":\"AUDIO\"}";

    @Inject
    AgroalDataSource dataSource;

    private static Response create(String host, String key, String body) {
        return as(host).header("Idempotency-Key", key).body(body).post("/api/sessions");
    }

    @Test
    void aRetryAfterALostResponseGetsTheSameSession() {
        String host = newUser("retrier");
        String key = UUID.randomUUID().toString();
        sendAndHangUp(host, key, BODY, true);
        List<String> created = sessionsOf(host);
        assertThat(created).hasSize(1);

        Response retry = create(host, key, BODY);
        retry.then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(created.get(0)));
        assertThat(retry.header("Location")).endsWith("/api/sessions/" + created.get(0));
        assertThat(sessionsOf(host)).isEqualTo(created);
    }

    @Test
    void aRetryAfterAnAbandonedRequestCreatesOneSession() {
        String host = newUser("abandoner");
        String key = UUID.randomUUID().toString();
        sendAndHangUp(host, key, BODY, false);
        // The abandoned request may still be running, have committed, or have been cancelled: one session either way.
        String id = create(host, key, BODY).then().statusCode(201).extract().path("id");
        assertThat(sessionsOf(host)).containsExactly(id);
    }

    @Test
    void theReplayRepeatsTheFirstAnswer() {
        String host = newUser("replayed");
        String key = UUID.randomUUID().toString();
        Response first = create(host, key, BODY);
        first.then().statusCode(201);
        Response second = create(host, key, "{ \"kind\": \"AUDIO\", \"title\": \"Retried AMA\" }");
        second.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(second.jsonPath().getString("slug")).isEqualTo(first.jsonPath().getString("slug"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(sessionsOf(host)).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String host = newUser("reuser");
        String key = UUID.randomUUID().toString();
        create(host, key, BODY).then().statusCode(201);
        create(host, key, "{\"title\":\"Another AMA\",\"kind\":\"AUDIO\"}").then().statusCode(422).contentType(PROBLEM)
                .body("type", equalTo("https://livestage.io/problems/idempotency-key-reused"))
                .body("field", equalTo("Idempotency-Key"));
        assertThat(sessionsOf(host)).hasSize(1);
    }

    @Test
    void keysAreScopedToTheCaller() {
        String key = UUID.randomUUID().toString();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String hers = create(alice, key, BODY).then().statusCode(201).extract().path("id");
        String his = create(bob, key, BODY).then().statusCode(201).extract().path("id");
        assertThat(his).isNotEqualTo(hers);
    }

    @Test
    void badKeysAre400NamingTheHeader() {
        String host = newUser("badkey");
        for (String key : List.of("", "k".repeat(256), "with space", "caf\u00e9")) {
            Response r = create(host, key, BODY);
            assertThat(r.statusCode()).as("key '" + key + "': " + r.body().asString()).isEqualTo(400);
            r.then().contentType(PROBLEM).body("field", equalTo("Idempotency-Key"));
        }
        create(host, "k".repeat(255), BODY).then().statusCode(201);
        assertThat(sessionsOf(host)).hasSize(1);
    }

    @Test
    void concurrentRetriesCreateOneSession() throws Exception {
        String host = newUser("racer");
        String key = UUID.randomUUID().toString();
        int clients = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return create(host, key, BODY);
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.statusCode()).as(response.body().asString()).isEqualTo(201);
                ids.add(response.jsonPath().getString("id"));
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(sessionsOf(host)).containsExactly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredKeyCreatesANewSession() throws Exception {
        String host = newUser("expired");
        String key = UUID.randomUUID().toString();
        String first = create(host, key, BODY).then().statusCode(201).extract().path("id");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update idempotency_keys set expires_at = now() - interval '1 second' where user_id = ?")) {
            s.setString(1, host);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        String second = create(host, key, "{\"title\":\"Next week's AMA\",\"kind\":\"AUDIO\"}").then().statusCode(201)
                .extract().path("id");
        assertThat(second).isNotEqualTo(first);
        create(host, key, "{\"title\":\"Next week's AMA\",\"kind\":\"AUDIO\"}").then().statusCode(201)
                .body("id", equalTo(second));
    }

    @Test
    void withoutAKeyEveryPostCreates() {
        String host = newUser("nokey");
        as(host).body(BODY).post("/api/sessions").then().statusCode(201);
        as(host).body(BODY).post("/api/sessions").then().statusCode(201);
        assertThat(sessionsOf(host)).hasSize(2);
    }

    @Test
    void theHeaderIsInTheOpenApiDocument() {
        RestAssured.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/sessions'.post.parameters.find { it.name == 'Idempotency-Key' }.in", equalTo("header"))
                .body("paths.'/api/sessions'.post.responses.'422'", notNullValue());
    }

    /**
     * Sends the create over a raw connection and hangs up without reading the answer: once its first byte arrived
     * ({@code afterAnswer}, the response lost on the way back), or at once (the request abandoned in flight).
     */
    private static void sendAndHangUp(String user, String key, String body, boolean afterAnswer) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestTokens.token(user)
                + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + key + "\r\nContent-Length: "
                + content.length + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            if (afterAnswer) {
                assertThat(socket.getInputStream().read()).as("first byte of the answer").isNotNegative();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids of the sessions {@code host} hosts, read from the database. */
    private List<String> sessionsOf(String host) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id from sessions where host_id = ?")) {
            s.setString(1, host);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
