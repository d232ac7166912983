package io.livestage.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.restassured.response.Response;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.redis.TestRedis;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rate limits at the edge, as a black box: gateways A and B share one real Redis, C has none configured, D is given a
 * Redis that does not answer. The upstream is a plain HTTP server counting what reaches it (the services are not the
 * subject here), so a refused request is also proven not to have been forwarded.
 */
class RateLimitIT {
    private static final int USER_LIMIT = 5;
    private static final int IP_LIMIT = 3;
    private static final int TOKENS_LIMIT = 2;
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private static HttpServer upstream;
    private static final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;
    private static ServiceProcess d;

    @BeforeAll
    static void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setExecutor(Executors.newFixedThreadPool(4));
        upstream.createContext("/", exchange -> {
            String caller = exchange.getRequestHeaders().getFirst("Authorization");
            forwarded.computeIfAbsent(caller == null ? "anonymous:" + exchange.getRequestHeaders().getFirst("X-Forwarded-For")
                    : "user:" + subject(caller), k -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort();
        String prefix = TestRedis.uniquePrefix("gateway");
        Map<String, String> common = Map.of("SESSION_SERVICE_URL", url, "TOKEN_SERVICE_URL", url, "CHAT_SERVICE_URL", url,
                "TRANSCRIPTION_SERVICE_URL", url,
                "LIVESTAGE_RATE_LIMIT_USER", Integer.toString(USER_LIMIT),
                "LIVESTAGE_RATE_LIMIT_IP", Integer.toString(IP_LIMIT),
                "LIVESTAGE_RATE_LIMIT_TOKENS", Integer.toString(TOKENS_LIMIT),
                "LIVESTAGE_TRUSTED_PROXY_HOPS", "1",
                "LIVESTAGE_GATEWAY_RATE_LIMIT_KEY_PREFIX", prefix);
        String redis = TestRedis.shared().url();
        CompletableFuture<ServiceProcess> startA = gateway("a", common, redis);
        CompletableFuture<ServiceProcess> startB = gateway("b", common, redis);
        CompletableFuture<ServiceProcess> startC = gateway("c", common, "");
        CompletableFuture<ServiceProcess> startD = gateway("d", common, "redis://127.0.0.1:" + closedPort());
        a = startA.get(120, TimeUnit.SECONDS);
        b = startB.get(120, TimeUnit.SECONDS);
        c = startC.get(120, TimeUnit.SECONDS);
        d = startD.get(120, TimeUnit.SECONDS);
    }

    private static CompletableFuture<ServiceProcess> gateway(String name, Map<String, String> common, String redis) {
        return CompletableFuture.supplyAsync(() -> ServiceProcess.builder("gateway").env(common)
                .env("LIVESTAGE_REDIS_URL", redis)
                .log(Path.of("target", "gateway-ratelimit-" + name + ".log")).start());
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess process : new ServiceProcess[] {a, b, c, d}) {
            if (process != null) {
                process.close();
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A documentation address (RFC 5737) per test, sent as the trusted proxy's X-Forwarded-For. */
    private static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "203.0." + (113 + n / 250) + "." + (n % 250 + 1);
    }

    private static Response get(ServiceProcess gateway, String user, String address) {
        var spec = given().baseUri(gateway.url()).header("X-Forwarded-For", address);
        if (user != null) {
            spec = spec.auth().oauth2(TestTokens.token(user));
        }
        return spec.get("/api/sessions");
    }

    /** The {@code sub} of a bearer token (already verified by the gateway). */
    private static String subject(String authorization) {
        if (!authorization.startsWith("Bearer ")) {
            return "not a bearer token";
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher sub = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        return sub.find() ? sub.group(1) : "?";
    }

    private static int forwardedFor(String user) {
        AtomicInteger count = forwarded.get("user:" + user);
        return count == null ? 0 : count.get();
    }

    private static void assertRefused(Response response, String scopeWord) {
        response.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("https://livestage.io/problems/rate-limited"))
                .body("status", equalTo(429))
                .body("detail", containsString(scopeWord))
                .header("RateLimit-Remaining", "0");
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertThat(retryAfter).as("Retry-After").isBetween(1L, 60L);
    }

    @Test
    void aUsersQuotaHoldsAcrossReplicasSharingRedis() {
        String user = "rl-user-" + System.nanoTime();
        String address = freshAddress();
        for (int i = 0; i < USER_LIMIT; i++) {
            Response response = get(i % 2 == 0 ? a : b, user, address);
            response.then().statusCode(200).header("RateLimit-Limit", Integer.toString(USER_LIMIT))
                    .header("RateLimit-Policy", USER_LIMIT + ";w=60");
            assertThat(Integer.parseInt(response.header("RateLimit-Remaining"))).as("remaining after request " + (i + 1))
                    .isEqualTo(USER_LIMIT - 1 - i);
        }
        assertRefused(get(a, user, address), "user");
        assertRefused(get(b, user, address), "user");
        assertThat(forwardedFor(user)).as("requests that reached the service").isEqualTo(USER_LIMIT);
        // another user, same address: their own quota
        get(b, "rl-other-" + System.nanoTime(), address).then().statusCode(200);
    }

    @Test
    void anonymousRequestsAreLimitedPerAddressAcrossReplicas() {
        String address = freshAddress();
        for (int i = 0; i < IP_LIMIT; i++) {
            get(i % 2 == 0 ? b : a, null, address).then().statusCode(200);
        }
        assertRefused(get(a, null, address), "address");
        assertThat(forwarded.get("anonymous:" + address + ", 127.0.0.1").get()).isEqualTo(IP_LIMIT);
        get(a, null, freshAddress()).then().statusCode(200);
    }

    @Test
    void tokensThatFailVerificationCountAgainstTheAddress() {
        String address = freshAddress();
        for (int i = 0; i < IP_LIMIT; i++) {
            given().baseUri(a.url()).header("X-Forwarded-For", address).auth().oauth2("not-a-jwt-" + i)
                    .get("/api/sessions").then().statusCode(401).contentType("application/problem+json");
        }
        Response guessing = given().baseUri(b.url()).header("X-Forwarded-For", address).auth()
                .oauth2(TestTokens.tokenSignedByOtherKey("someone")).get("/api/sessions");
        assertRefused(guessing, "address");
    }

    @Test
    void aRouteWithItsOwnQuotaHasItsOwnBucket() {
        String user = "rl-tokens-" + System.nanoTime();
        String address = freshAddress();
        for (int i = 0; i < TOKENS_LIMIT; i++) {
            given().baseUri(a.url()).header("X-Forwarded-For", address).auth().oauth2(TestTokens.token(user))
                    .contentType("application/json").body("{\"session\":\"x\"}").post("/api/tokens").then()
                    .statusCode(200).header("RateLimit-Limit", Integer.toString(TOKENS_LIMIT));
        }
        assertRefused(given().baseUri(b.url()).header("X-Forwarded-For", address).auth().oauth2(TestTokens.token(user))
                .contentType("application/json").body("{\"session\":\"x\"}").post("/api/tokens"), "user");
        // the user's general quota is untouched by the token route
        get(a, user, address).then().statusCode(200).header("RateLimit-Remaining", Integer.toString(USER_LIMIT - 1));
    }

    @Test
    void signedWebhooksAreNotLimited() {
        String address = freshAddress();
        for (int i = 0; i < IP_LIMIT * 3; i++) {
            given().baseUri(a.url()).header("X-Forwarded-For", address).header("Authorization", "livekit-signature")
                    .contentType("application/webhook+json").body("{}").post("/webhooks/livekit").then().statusCode(200)
                    .header("RateLimit-Limit", Matchers.nullValue());
        }
    }

    @Test
    void withoutRedisEachInstanceCountsOnItsOwn() {
        String user = "rl-local-" + System.nanoTime();
        String address = freshAddress();
        for (int i = 0; i < USER_LIMIT; i++) {
            get(a, user, address).then().statusCode(200);
        }
        assertRefused(get(a, user, address), "user");
        // C has no shared store: A's count does not reach it, its own does
        for (int i = 0; i < USER_LIMIT; i++) {
            get(c, user, address).then().statusCode(200).header("RateLimit-Remaining", Integer.toString(USER_LIMIT - 1 - i));
        }
        assertRefused(get(c, user, address), "user");
    }

    @Test
    void anUnreachableRedisFallsBackToLocalLimitsWithoutRefusingService() {
        String user = "rl-down-" + System.nanoTime();
        String address = freshAddress();
        for (int i = 0; i < USER_LIMIT; i++) {
            get(d, user, address).then().statusCode(200);
        }
        assertRefused(get(d, user, address), "user");
        given().baseUri(d.url()).get("/q/metrics").then().statusCode(200)
                .body(containsString("livestage_gateway_ratelimit_shared 0.0"));
        given().baseUri(a.url()).get("/q/metrics").then().statusCode(200)
                .body(containsString("livestage_gateway_ratelimit_shared 1.0"));
    }
}
