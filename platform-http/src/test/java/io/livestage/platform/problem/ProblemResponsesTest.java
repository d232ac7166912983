package io.livestage.platform.problem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.platform.http.RequestIdHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** The problem writer on a real Vert.x server, read by a plain HTTP client. */
class ProblemResponsesTest {
    private static final int LIMIT = 1024;
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/id/*").handler(RequestIdHandler::handle);
        router.route().handler(rc -> PayloadTooLargeHandler.handle(rc, LIMIT));
        router.route("/id/refused").handler(rc -> ProblemResponses.refuse(rc, ProblemType.RATE_LIMITED, "quota used up"));
        router.route("/plain/refused").handler(rc -> ProblemResponses.refuse(rc, ProblemType.NOT_FOUND, "no such thing"));
        router.post("/id/upload").handler(rc -> rc.request().body().onSuccess(body -> rc.response().end("read " + body.length())));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
    }

    @Test
    void aRefusalIsProblemJsonWithTheRequestIdInBodyAndHeader() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/id/refused").header("X-Request-Id", "test-request-0001")
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("X-Request-Id")).contains("test-request-0001");
        // member for member, in this order, what the gateway has always answered
        assertThat(response.body()).isEqualTo("{\"type\":\"https://livestage.io/problems/rate-limited\","
                + "\"title\":\"Too many requests\",\"status\":429,\"detail\":\"quota used up\",\"instance\":\"/id/refused\","
                + "\"requestId\":\"test-request-0001\"}");
    }

    @Test
    void anInsaneRequestIdIsReplacedAndTheProblemNamesTheReplacement() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/id/refused").header("X-Request-Id", "bad id!").build(),
                BodyHandlers.ofString());

        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(UUID.fromString(id)).hasToString(id);
        assertThat(response.body()).endsWith(",\"requestId\":\"" + id + "\"}");
    }

    @Test
    void withoutARequestIdTheProblemHasNone() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/plain/refused").build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("X-Request-Id")).isEmpty();
        assertThat(response.body()).isEqualTo("{\"type\":\"https://livestage.io/problems/not-found\",\"title\":\"Not found\","
                + "\"status\":404,\"detail\":\"no such thing\",\"instance\":\"/plain/refused\"}");
    }

    @Test
    void aRefusalWithAnUnreadBodyClosesTheConnection() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/id/refused").POST(BodyPublishers.ofString("x".repeat(100)))
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Connection")).contains("close");
    }

    @Test
    void aDeclaredBodyOverTheLimitIsA413ProblemThatKeepsTheConnection() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/id/upload").header("X-Request-Id", "test-request-0413")
                .POST(BodyPublishers.ofString("x".repeat(4096))).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Connection")).isEmpty();
        assertThat(response.body()).isEqualTo("{\"type\":\"https://livestage.io/problems/payload-too-large\","
                + "\"title\":\"Request body too large\",\"status\":413,"
                + "\"detail\":\"The body is 4096 bytes; at most 1024 are accepted\",\"instance\":\"/id/upload\","
                + "\"requestId\":\"test-request-0413\"}");
        HttpResponse<String> next = CLIENT.send(request("/id/upload").POST(BodyPublishers.ofString("y".repeat(LIMIT)))
                .build(), BodyHandlers.ofString());
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("read 1024");
    }

    @Test
    void aClientWaitingFor100ContinueGetsThe413AndAClosedConnection() throws Exception {
        HttpResponse<String> response = CLIENT.send(request("/id/upload").expectContinue(true)
                .POST(BodyPublishers.ofString("x".repeat(4096))).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Connection")).contains("close");
    }
}
