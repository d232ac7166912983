package io.livestage.gateway.proxy;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.OidcTestResource;
import io.livestage.testing.oidc.TestTokens;

import static io.livestage.gateway.proxy.BalancedUpstreams.COOLDOWN_MILLIS;
import static io.livestage.gateway.proxy.BalancedUpstreams.a;
import static io.livestage.gateway.proxy.BalancedUpstreams.b;
import static io.livestage.gateway.proxy.BalancedUpstreams.c;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of services with several instances (real HTTP servers, see {@link BalancedUpstreams}):
 * round-robin for requests and WebSocket upgrades, failover when an instance is down (the request, body and all,
 * goes to the other one; the dead one is skipped for the cool-down, then used again once it is back), 502
 * problem+json when no instance accepts the connection, and a service with one URL as before.
 *
 * <p>The test's HTTP client keeps one connection to the gateway, so its requests run on one gateway event loop,
 * whose view of which instance is skipped is the one observed.
 */
@QuarkusTest
@TestProfile(BalancingTest.Upstreams.class)
class BalancingTest {
    /** A stopped instance's connections close at once, but the gateway learns it a moment later. */
    private static final Duration CLOSE_NOTICED = Duration.ofMillis(300);
    private static Vertx vertx;
    private static HttpClient client;
    private static WebSocketClient webSockets;

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    MeterRegistry metrics;

    private boolean stopped;

    @BeforeAll
    static void client() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
        webSockets = vertx.createWebSocketClient();
    }

    @AfterAll
    static void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Every instance runs again after each test; after a test that stopped one, the next starts once no event loop
     * skips it any more.
     */
    @AfterEach
    void instancesBack() throws InterruptedException {
        for (UpstreamInstance instance : List.of(a, b, c)) {
            instance.start();
        }
        if (stopped) {
            Thread.sleep(COOLDOWN_MILLIS + 200);
            stopped = false;
        }
    }

    /** Stops {@code instance} and waits until the gateway has seen its connections close. */
    private void stop(UpstreamInstance instance) throws InterruptedException {
        stopped = true;
        instance.stop();
        Thread.sleep(CLOSE_NOTICED.toMillis());
    }

    @Test
    void requestsAlternateBetweenTheInstances() {
        double before = failovers("session-service");
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Reply reply = send(HttpMethod.GET, "/api/sessions?page=" + i, null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("path")).isEqualTo("/api/sessions");
            served.add(instanceOf(reply));
        }
        assertThat(served).containsOnly("A", "B");
        assertThat(served.stream().filter("A"::equals).count()).isEqualTo(5);
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)).as("request %d after %s", i, served.get(i - 1)).isNotEqualTo(served.get(i - 1));
        }
        assertThat(failovers("session-service") - before).isZero();
    }

    @Test
    void webSocketUpgradesAlternateBetweenTheInstances() {
        List<String> greeted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            greeted.add(firstFrame("/ws/sessions/s-" + i));
        }
        assertThat(greeted).containsOnly("A", "B");
        assertThat(greeted.get(0)).isNotEqualTo(greeted.get(1));
        assertThat(greeted.get(1)).isNotEqualTo(greeted.get(2));
        assertThat(greeted.get(2)).isNotEqualTo(greeted.get(3));
    }

    @Test
    void aStoppedInstanceIsSkippedForTheCooldownAndUsedAgainOnceBack() throws InterruptedException {
        double before = failovers("session-service");
        stop(b);
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            Reply reply = send(HttpMethod.GET, "/api/sessions", null);
            assertThat(reply.status()).as("request %d with B down", i).isEqualTo(200);
            assertThat(instanceOf(reply)).isEqualTo("A");
        }
        long elapsed = millisSince(start);
        double failedOver = failovers("session-service") - before;
        if (elapsed < COOLDOWN_MILLIS) {
            // the first request that was B's turn failed over; B was skipped by the later ones
            assertThat(failedOver).as("failovers of 8 requests within the cool-down").isEqualTo(1);
        } else {
            assertThat(failedOver).as("failovers of 8 requests over %d ms", elapsed).isBetween(1.0, 1.0 + elapsed / COOLDOWN_MILLIS);
        }

        // B is back, but skipped until its cool-down ends; then it gets its turns again
        b.start();
        while (millisSince(start) < COOLDOWN_MILLIS - 500) {
            Reply reply = send(HttpMethod.GET, "/api/sessions", null);
            if (millisSince(start) < COOLDOWN_MILLIS - 500) {
                assertThat(instanceOf(reply)).as("within the cool-down").isEqualTo("A");
            }
            Thread.sleep(50);
        }
        await().atMost(Duration.ofMillis(COOLDOWN_MILLIS * 3))
                .until(() -> instanceOf(send(HttpMethod.GET, "/api/sessions", null)).equals("B"));
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(COOLDOWN_MILLIS);
        assertThat(instanceOf(send(HttpMethod.GET, "/api/sessions", null))).isEqualTo("A");
        assertThat(instanceOf(send(HttpMethod.GET, "/api/sessions", null))).isEqualTo("B");
    }

    @Test
    void webSocketUpgradesFailOverToo() throws InterruptedException {
        double before = failovers("chat-service");
        stop(a);
        for (int i = 0; i < 4; i++) {
            assertThat(firstFrame("/ws/sessions/down-" + i)).isEqualTo("B");
        }
        assertThat(failovers("chat-service") - before).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aPostBodyArrivesWholeAfterAFailover() throws InterruptedException {
        double before = failovers("token-service");
        stop(b);
        long start = System.nanoTime();
        Random random = new Random(42);
        for (int i = 0; i < 2; i++) {
            byte[] body = new byte[300_000 + i];
            random.nextBytes(body);
            Reply reply = send(HttpMethod.POST, "/api/tokens", Buffer.buffer(body));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().getString("instance")).isEqualTo("A");
            assertThat(reply.json().getString("method")).isEqualTo("POST");
            assertThat(reply.json().getInteger("bodyLength")).isEqualTo(body.length);
            assertThat(reply.json().getString("bodySha256")).isEqualTo(UpstreamInstance.sha256(body));
        }
        // one of the two POSTs was B's turn: it is the one that failed over, and its body still arrived whole
        if (millisSince(start) < COOLDOWN_MILLIS) {
            assertThat(failovers("token-service") - before).isEqualTo(1);
        } else {
            assertThat(failovers("token-service") - before).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void whenNoInstanceAcceptsTheClientGetsA502Problem() {
        double before = failovers("transcription-service");
        Reply reply = send(HttpMethod.GET, "/api/sessions/s-1/transcript", null);
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = reply.json();
        assertThat(problem.getString("type")).isEqualTo("https://livestage.io/problems/dependency-unavailable");
        assertThat(problem.getInteger("status")).isEqualTo(502);
        assertThat(problem.getString("detail")).contains("transcription-service").contains("2 instances")
                .doesNotContain("127.0.0.1");
        assertThat(problem.getString("instance")).isEqualTo("/api/sessions/s-1/transcript");
        assertThat(problem.getString("requestId")).isNotBlank().isEqualTo(reply.headers().get("X-Request-Id"));
        // the first instance failed, the request moved on to the second, which failed too
        assertThat(failovers("transcription-service") - before).isEqualTo(1);

        assertThatThrownBy(() -> firstFrame("/ws/sessions/s-1/transcription")).hasRootCauseInstanceOf(
                UpgradeRejectedException.class).rootCause().satisfies(rejected -> assertThat(
                        ((UpgradeRejectedException) rejected).getStatus()).isEqualTo(502));
    }

    @Test
    void aServiceWithOneUrlBehavesAsBefore() {
        int cBefore = c.requests();
        double before = failovers("recording-service");
        for (int i = 0; i < 4; i++) {
            Reply reply = send(HttpMethod.GET, "/hls/s-1/index.m3u8", null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(instanceOf(reply)).isEqualTo("C");
            assertThat(reply.json().getString("requestId")).isEqualTo(reply.headers().get("X-Request-Id"));
        }
        assertThat(c.requests() - cBefore).isEqualTo(4);
        assertThat(failovers("recording-service") - before).isZero();

        // its one instance down: 502 problem+json, as for a service whose every instance is down
        Reply down = send(HttpMethod.GET, "/api/me/analytics", null, TestTokens.token("analyst"));
        assertThat(down.status()).isEqualTo(502);
        assertThat(down.json().getString("detail")).isEqualTo("analytics-service did not accept a connection");
        assertThat(failovers("analytics-service")).isZero();
    }

    @Test
    void healthCountsAServiceUpWhileOneInstanceIsAndOpenApiAsksTheOther() throws InterruptedException {
        stop(a);
        Reply health = send(HttpMethod.GET, "/q/health/group/services", null);
        JsonObject data = health.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        assertThat(data.getString("session-service")).isEqualTo("UP (1 of 2 instances ready)");
        assertThat(data.getString("session-service " + a.url())).startsWith("UNREACHABLE");
        assertThat(data.getString("session-service " + b.url())).isEqualTo("UP");
        assertThat(data.getString("recording-service")).isEqualTo("UP");
        assertThat(data.containsKey("recording-service " + c.url())).isFalse();
        assertThat(data.getString("transcription-service")).isEqualTo("DOWN (0 of 2 instances ready)");
        assertThat(data.getString("analytics-service")).startsWith("UNREACHABLE");
        // transcription- and analytics-service have no instance up
        assertThat(health.status()).isEqualTo(503);

        JsonObject openApi = send(HttpMethod.GET, "/openapi", null).json();
        assertThat(openApi.getJsonObject("paths").fieldNames()).contains("/api/from-B", "/api/from-C")
                .doesNotContain("/api/from-A");
        assertThat(openApi.getJsonArray("x-livestage-missing"))
                .isEqualTo(new JsonArray().add("analytics-service").add("transcription-service"));
    }

    private double failovers(String service) {
        Counter counter = metrics.find("livestage.gateway.failovers").tag("service", service).counter();
        assertThat(counter).as("livestage.gateway.failovers{service=%s}", service).isNotNull();
        return counter.count();
    }

    private static long millisSince(long nanoStart) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoStart);
    }

    private static String instanceOf(Reply reply) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(200);
        return reply.json().getString("instance");
    }

    private Reply send(HttpMethod method, String path, Buffer body) {
        return send(method, path, body, null);
    }

    private Reply send(HttpMethod method, String path, Buffer body, String token) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI(path);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        return result(client.request(options).compose(request -> (body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.headers(), b)))));
    }

    /** Opens a WebSocket through the gateway and returns the first frame (the instance's name), then closes it. */
    private String firstFrame(String path) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI(path);
        // the handler is set on the socket's event loop as soon as it is open, before any frame can be missed
        return result(webSockets.connect(options).compose(socket -> {
            Promise<String> first = Promise.promise();
            socket.textMessageHandler(first::tryComplete);
            return first.future().eventually(v -> socket.close());
        }));
    }

    private static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This test's services only: the module's global test resources (another stand-in on session- and
     * recording-service) stay out, and {@link BalancedUpstreams} stays out of the other tests.
     */
    public static class Upstreams implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcTestResource.class), new TestResourceEntry(BalancedUpstreams.class));
        }
    }

    private record Reply(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return new JsonObject(body.toString());
        }
    }
}
