package io.livestage.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The gateway as a black box in front of the real services (processes, real Kafka and PostgreSQL): routing by path
 * for REST and WebSocket, the LiveKit webhook's raw body, request ids, tokens verified at the edge, CORS, the
 * aggregated OpenAPI, the event catalogue and the services' health.
 */
class GatewayIT {
    private static LiveKitStub livekit;
    private static ServiceProcess sessions;
    private static ServiceProcess tokens;
    private static ServiceProcess chat;
    private static ServiceProcess transcription;
    private static ServiceProcess recording;
    private static ServiceProcess analytics;
    private static ServiceProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        KafkaBroker.shared().createTopic("livestage.session", 6);
        // analytics-service's Kafka Streams application starts once its input topics exist
        KafkaBroker.shared().createTopic("livestage.chat", 6);
        livekit = LiveKitStub.start();
        sessions = ServiceProcess.start("session-service", Map.of());
        CompletableFuture<ServiceProcess> tokenStart = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                "token-service", Map.of("LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                        "LIVEKIT_API_KEY", livekit.apiKey(), "LIVEKIT_API_SECRET", livekit.apiSecret(),
                        "SESSION_SERVICE_URL", sessions.url())));
        CompletableFuture<ServiceProcess> transcriptionStart = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                "transcription-service", Map.of()));
        CompletableFuture<ServiceProcess> recordingStart = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                "recording-service", Map.of("LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                        "LIVEKIT_API_KEY", livekit.apiKey(), "LIVEKIT_API_SECRET", livekit.apiSecret())));
        CompletableFuture<ServiceProcess> analyticsStart = CompletableFuture.supplyAsync(() -> ServiceProcess.start(
                "analytics-service", Map.of()));
        chat = ServiceProcess.start("chat-service", Map.of());
        tokens = tokenStart.get(120, TimeUnit.SECONDS);
        transcription = transcriptionStart.get(120, TimeUnit.SECONDS);
        recording = recordingStart.get(120, TimeUnit.SECONDS);
        analytics = analyticsStart.get(120, TimeUnit.SECONDS);
        gateway = ServiceProcess.start("gateway", Map.of("SESSION_SERVICE_URL", sessions.url(),
                "TOKEN_SERVICE_URL", tokens.url(), "CHAT_SERVICE_URL", chat.url(),
                "TRANSCRIPTION_SERVICE_URL", transcription.url(), "RECORDING_SERVICE_URL", recording.url(),
                "ANALYTICS_SERVICE_URL", analytics.url()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {gateway, analytics, recording, transcription, chat, tokens, sessions, livekit}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static RequestSpecification edge() {
        return given().baseUri(gateway.url());
    }

    private static RequestSpecification as(String user) {
        return edge().auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    private static String liveSession(String host, String visibility) {
        String id = as(host).body(Map.of("title", "Through the gateway", "kind", "AUDIO", "visibility", visibility))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        as(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        return id;
    }

    @Test
    void restRoutesReachTheirServicesWithARequestId() {
        String host = "gw-host-" + System.nanoTime();
        String id = liveSession(host, "PUBLIC");
        edge().header("X-Request-Id", "test-request-0001").get("/api/sessions/" + id).then().statusCode(200)
                .header("X-Request-Id", "test-request-0001").body("id", equalTo(id));
        String generated = edge().get("/api/sessions?limit=1").then().statusCode(200).extract().header("X-Request-Id");
        assertThat(generated).hasSize(36);
        edge().header("X-Request-Id", "bad id with spaces").get("/api/sessions?limit=1").then().statusCode(200)
                .header("X-Request-Id", Matchers.not("bad id with spaces"));

        as(host).body(Map.of("session", id)).post("/api/tokens").then().statusCode(200).body("role", equalTo("HOST"))
                .body("token", notNullValue());
        edge().contentType(ContentType.JSON).body(Map.of("session", id)).post("/api/tokens").then().statusCode(200)
                .body("role", equalTo("VIEWER"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> edge()
                .get("/api/sessions/" + id + "/chat").then().statusCode(200).body("messages.size()", equalTo(0)));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> edge()
                .get("/api/sessions/" + id + "/transcript").then().statusCode(200).body("segments.size()", equalTo(0)));
        edge().get("/api/sessions/" + id + "/transcript?format=vtt").then().statusCode(200)
                .contentType(containsString("text/vtt")).body(equalTo("WEBVTT\n"));
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as(host)
                .get("/api/sessions/" + id + "/recordings").then().statusCode(200).body("size()", equalTo(0)));
        edge().get("/api/sessions/" + id + "/recordings").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void theStreamStatusAndItsServerSentEventsPassTheGatewayWithoutAToken() throws Exception {
        String host = "gw-stream-" + System.nanoTime();
        String id = liveSession(host, "PUBLIC");
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> edge()
                .get("/api/sessions/" + id + "/stream").then().statusCode(200).body("status", equalTo("live")));
        edge().get("/api/me/restream-targets").then().statusCode(401).contentType("application/problem+json");
        as(host).get("/api/me/restream-targets").then().statusCode(200).body("size()", equalTo(0));
        edge().get("/hls/" + id + "/live.m3u8").then().statusCode(404);
        // the first event arrives through the proxy at once: the stream is not buffered
        HttpClient client = HttpClient.newHttpClient();
        try {
            var events = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(gateway.url() + "/api/sessions/" + id + "/stream/events")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            List<String> first = events.body().limit(3).toList();
            assertThat(first.get(0)).isEqualTo("event: stream");
            assertThat(first.get(2)).startsWith("data: {").contains("\"status\":\"live\"");
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void aSessionsAnalyticsReachItsHostThroughTheGatewayOnly() {
        String host = "gw-analytics-" + System.nanoTime();
        String id = liveSession(host, "PUBLIC");
        // session-service's session.started reached analytics-service's topology through Kafka
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(host)
                .get("/api/sessions/" + id + "/analytics").then().statusCode(200).body("sessionId", equalTo(id))
                .body("hostId", equalTo(host)).body("live", equalTo(true)));
        edge().get("/api/sessions/" + id + "/analytics").then().statusCode(401)
                .contentType("application/problem+json");
        as("gw-stranger-" + System.nanoTime()).get("/api/sessions/" + id + "/analytics").then().statusCode(404);
        as(host).get("/api/me/analytics").then().statusCode(200).body("sessions", equalTo(0));
        as(host).get("/api/analytics/platform").then().statusCode(403);
    }

    @Test
    void podcastRoutesReachRecordingServiceAndFeedsNeedNoToken() {
        String host = "gw-podcast-" + System.nanoTime();
        as(host).body(Map.of("title", "Gateway cast")).put("/api/me/podcast").then().statusCode(200)
                .body("saved", equalTo(true));
        String feed = "/podcast/feeds/hosts/" + host + ".xml";
        String etag = edge().get(feed).then().statusCode(200).contentType(containsString("application/rss+xml"))
                .body(containsString("<title>Gateway cast</title>")).extract().header("ETag");
        edge().header("If-None-Match", etag).get(feed).then().statusCode(304);
        edge().get("/podcast/feeds/spaces/no-such-space.xml").then().statusCode(404)
                .contentType("application/problem+json");
        edge().get("/api/me/podcast").then().statusCode(401).contentType("application/problem+json");
        edge().contentType(ContentType.JSON).body(Map.of("slug", "gw-space")).post("/api/podcast/spaces").then()
                .statusCode(401);
        as(host).body(Map.of("slug", "gw-" + System.nanoTime())).post("/api/podcast/spaces").then().statusCode(201);
    }

    @Test
    void theRequestIdFollowsTheRequestIntoTheServiceItsEventsAndTheAccessLog() throws Exception {
        String host = "gw-trace-" + System.nanoTime();
        String requestId = "it-trace-" + System.nanoTime();
        try (EventProbe probe = EventProbe
                .from(KafkaBroker.shared().bootstrapServers(), "livestage.session")) {
            String id = as(host).header("X-Request-Id", requestId)
                    .body(Map.of("title", "Traced", "kind", "AUDIO", "visibility", "PUBLIC"))
                    .post("/api/sessions").then().statusCode(201).header("X-Request-Id", requestId).extract().path("id");
            ReceivedEvent created = probe.await(
                    e -> id.equals(e.subject()) && "session.created".equals(e.type()), Duration.ofSeconds(15));
            assertThat(created.header("ce_requestid")).isEqualTo(requestId);
            // an event from another request carries that request's id
            String start = as(host).post("/api/sessions/" + id + "/start").then().statusCode(200).extract()
                    .header("X-Request-Id");
            ReceivedEvent started = probe.await(
                    e -> id.equals(e.subject()) && "session.started".equals(e.type()), Duration.ofSeconds(15));
            assertThat(started.header("ce_requestid")).isEqualTo(start).isNotEqualTo(requestId);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(gateway.log())).contains("\"POST /api/sessions HTTP/1.1\" 201")
                .contains(requestId));
    }

    @Test
    void theRoomChannelIsTunnelledThroughTheGateway() throws Exception {
        String host = "gw-host-" + System.nanoTime();
        String id = liveSession(host, "PUBLIC");
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(gateway.url().replace("http://", "ws://") + "/ws/sessions/" + id),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                ws.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"auth\",\"v\":1,\"token\":\"" + TestTokens.token(host) + "\"}", true).join();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"welcome\"")));
        socket.sendText("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"gw-1\",\"text\":\"via the edge\"}", true).join();
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"chat.message\"") && f.contains("via the edge")));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        edge().get("/api/sessions/" + id + "/chat").then().statusCode(200).body("messages[0].text", equalTo("via the edge"));
    }

    @Test
    void theLiveKitWebhookReachesTokenServiceWithItsRawBodyUntouched() {
        // Odd whitespace on purpose: the signature covers these exact bytes, so any re-encoding would break it.
        String body = "{\"event\":\"room_started\",  \"id\":\"EV_gatewayraw" + System.nanoTime() % 100000
                + "\",\n \"createdAt\":\"" + System.currentTimeMillis() / 1000 + "\", \"room\":{\"sid\":\"RM_x1\",\"name\":\"r-gw\"}}";
        edge().header("Authorization", livekit.signedWebhook(body)).contentType("application/webhook+json")
                .body(body).post("/webhooks/livekit").then().statusCode(200);
        edge().header("Authorization", livekit.signedWebhook(body)).contentType("application/webhook+json")
                .body(body.replace("room_started", "room_finished")).post("/webhooks/livekit").then().statusCode(401);
        assertThat(LiveKitWebhooks.class).isNotNull();
    }

    @Test
    void tokensAreCheckedAtTheEdgeAndRefusalsAreProblems() {
        String user = "gw-user-" + System.nanoTime();
        Map<String, Object> create = Map.of("title", "x", "kind", "AUDIO");
        edge().auth().oauth2(TestTokens.tokenSignedByOtherKey(user)).contentType(ContentType.JSON).body(create)
                .post("/api/sessions").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://livestage.io/problems/unauthorized")).body("requestId", notNullValue());
        edge().auth().oauth2(TestTokens.expiredToken(user)).get("/api/sessions").then().statusCode(401)
                .contentType("application/problem+json");
        edge().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/sessions").then().statusCode(401);
        edge().contentType(ContentType.JSON).body(create).post("/api/sessions").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("bearer token"));
        edge().get("/api/sessions?host=" + user).then().statusCode(200).body("items.size()", equalTo(0));
        edge().get("/api/unknown").then().statusCode(404).contentType("application/problem+json");
        as(user).body("{\"title\":").post("/api/sessions").then().statusCode(400)
                .contentType("application/problem+json");
        as(user).body("{\"title\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").post("/api/sessions").then().statusCode(413);
        edge().get("/api/sessions?host=" + user).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void corsAllowsTheWebOrigin() {
        edge().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/sessions").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
        edge().header("Origin", "https://evil.example").get("/api/sessions?limit=1").then()
                .header("Access-Control-Allow-Origin", Matchers.nullValue());
    }

    @Test
    void openApiIsAggregatedAndTheCatalogueAndHealthAreServed() {
        // a service busy building its first OpenAPI document is reported missing until it answers
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> edge().get("/openapi")
                .then().statusCode(200).body("x-livestage-missing", Matchers.nullValue()));
        edge().get("/openapi").then().statusCode(200)
                .body("paths.'/api/sessions'", notNullValue())
                .body("paths.'/api/tokens'", notNullValue())
                .body("paths.'/api/sessions/{id}/chat'", notNullValue())
                .body("paths.'/api/sessions/{ref}/transcript'", notNullValue())
                .body("paths.'/api/sessions/{ref}/recordings'", notNullValue())
                .body("paths.'/api/sessions/{ref}/recordings/{rid}/stop'", notNullValue())
                .body("paths.'/api/sessions/{ref}/stream'", notNullValue())
                .body("paths.'/api/sessions/{ref}/stream/events'", notNullValue())
                .body("paths.'/api/me/restream-targets'", notNullValue())
                .body("paths.'/api/sessions/{id}/analytics'", notNullValue())
                .body("paths.'/api/sessions/{id}/analytics/events'", notNullValue())
                .body("paths.'/api/me/analytics'", notNullValue())
                .body("x-livestage-missing", Matchers.nullValue());
        edge().get("/q/swagger-ui/").then().statusCode(200);
        edge().get("/asyncapi.yaml").then().statusCode(200).body(containsString("livestage.chat"));
        edge().get("/schemas/chat.message.json").then().statusCode(200).body("title", equalTo("ChatMessagePosted"));
        edge().get("/schemas/..%2Fapplication.properties").then().statusCode(404);
        edge().get("/q/health/group/services").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.'session-service'", equalTo("UP"))
                .body("checks[0].data.'chat-service'", equalTo("UP"))
                .body("checks[0].data.'token-service'", equalTo("UP"))
                .body("checks[0].data.'transcription-service'", equalTo("UP"))
                .body("checks[0].data.'recording-service'", equalTo("UP"))
                .body("checks[0].data.'analytics-service'", equalTo("UP"));
        edge().get("/q/health/ready").then().statusCode(200);
    }
}
