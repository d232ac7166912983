package io.livestage.token;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import livekit.LivekitModels;
import livekit.LivekitRoom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stage flow end to end on real Kafka and PostgreSQL, with the packaged session-service and token-service running
 * as processes and the LiveKit contract stub standing in for the SFU: decisions taken in session-service reach
 * LiveKit through Kafka, live, idempotently, with retries and a dead-letter topic when LiveKit stays down.
 */
class StageEnforcementIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LiveKitStub livekit;
    private static ServiceProcess sessionService;
    private static ServiceProcess tokenService;
    private static EventProbe deadLetters;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        sessionService = ServiceProcess.start("session-service", Map.of());
        tokenService = ServiceProcess.start("token-service", Map.of(
                "LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                "LIVEKIT_API_KEY", livekit.apiKey(),
                "LIVEKIT_API_SECRET", livekit.apiSecret(),
                "SESSION_SERVICE_URL", sessionService.url(),
                "LIVEKIT_CALLS_MAX_ATTEMPTS", "3",
                "LIVEKIT_CALLS_INITIAL_BACKOFF", "100ms"));
        deadLetters = EventProbe.from(KafkaBroker.shared().bootstrapServers(), "livestage.session.dlq.token-service");
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
        tokenService.close();
        sessionService.close();
        livekit.close();
    }

    @BeforeEach
    void healthyLiveKit() {
        livekit.setUnavailable(false);
    }

    private static RequestSpecification session(String user) {
        return given().baseUri(sessionService.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    private static String liveSession(String host, String kind) {
        String id = session(host).body(Map.of("title", "Stage", "kind", kind, "settings", Map.of("maxParticipants", 250)))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        session(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        session(host).body(Map.of("name", "Host")).post("/api/sessions/" + id + "/join").then().statusCode(200);
        return id;
    }

    private static void token(String user, String sessionId, int status) {
        given().baseUri(tokenService.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON)
                .body(Map.of("session", sessionId)).post("/api/tokens").then().statusCode(status);
    }

    @Test
    void stageDecisionsReachLiveKitLive() {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        String viewer = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String id = liveSession(host, "AUDIO");

        RecordedCall created = livekit.awaitCall("CreateRoom", c -> id.equals(c.room()), WAIT);
        LivekitRoom.CreateRoomRequest room = created.request(LivekitRoom.CreateRoomRequest.class);
        assertThat(room.getMaxParticipants()).isEqualTo(250);
        assertThat(room.getEmptyTimeout()).isPositive();
        assertThat(room.getMetadata()).contains("\"kind\":\"AUDIO\"");

        token(viewer, id, 200);
        livekit.join(id, viewer);
        String request = session(viewer).post("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                .extract().path("id");
        long approvedAt = System.nanoTime();
        session(host).post("/api/sessions/" + id + "/stage-requests/" + request + "/approve").then().statusCode(200);

        RecordedCall update = livekit.awaitCall("UpdateParticipant", c -> viewer.equals(c.identity()), WAIT);
        LivekitModels.ParticipantPermission permission = update.request(LivekitRoom.UpdateParticipantRequest.class)
                .getPermission();
        assertThat(permission.getCanPublish()).isTrue();
        assertThat(permission.getCanPublishSourcesList()).containsExactly(LivekitModels.TrackSource.MICROPHONE);
        assertThat(livekit.participant(id, viewer).orElseThrow().getPermission().getCanPublish()).isTrue();
        System.out.printf("approve -> UpdateParticipant at the stub: %.1f ms%n", (update.receivedNanos() - approvedAt) / 1e6);

        LivekitModels.TrackInfo microphone = livekit.publishTrack(id, viewer, LiveKitStub.microphoneTrack());
        session(host).body(Map.of("audio", true)).post("/api/sessions/" + id + "/participants/" + viewer + "/mute")
                .then().statusCode(200);
        RecordedCall mute = livekit.awaitCall("MutePublishedTrack", c -> viewer.equals(c.identity()), WAIT);
        assertThat(mute.request(LivekitRoom.MuteRoomTrackRequest.class).getTrackSid()).isEqualTo(microphone.getSid());

        session(host).delete("/api/sessions/" + id + "/participants/" + viewer).then().statusCode(200);
        livekit.awaitCall("RemoveParticipant", c -> viewer.equals(c.identity()), WAIT);
        assertThat(livekit.participant(id, viewer)).isEmpty();
        // refused once the removal reaches token-service's admission projection (docs/adr/0019)
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> given()
                .baseUri(tokenService.url()).auth().oauth2(TestTokens.token(viewer)).contentType(ContentType.JSON)
                .body(Map.of("session", id)).post("/api/tokens").statusCode() == 403);
        token(viewer, id, 403);

        session(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        livekit.awaitCall("DeleteRoom", c -> id.equals(c.room()), WAIT);
        assertThat(livekit.room(id)).isEmpty();
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() throws Exception {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        try (EventProbe events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.SESSION)) {
            String id = liveSession(host, "VIDEO");
            livekit.awaitCall("CreateRoom", c -> id.equals(c.room()), WAIT);
            ReceivedEvent started = events.await(e -> id.equals(e.subject()) && "session.started".equals(e.type()), WAIT);

            Properties props = KafkaBroker.shared().clientProperties();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer())) {
                RecordHeaders headers = new RecordHeaders();
                started.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(Topics.SESSION, null, started.key(), started.data(), headers)).get();
            }
            // A later event of the same session proves the duplicate was consumed before it.
            session(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
            livekit.awaitCall("DeleteRoom", c -> id.equals(c.room()), WAIT);
            assertThat(livekit.calls("CreateRoom")).filteredOn(c -> id.equals(c.room())).hasSize(1);
        }
    }

    @Test
    void transientFailuresAreRetriedAndAPersistentOutageIsDeadLettered() {
        String host = "host-" + UUID.randomUUID().toString().substring(0, 8);
        livekit.failNext("CreateRoom", 2, 503);
        String retried = liveSession(host, "AUDIO");
        Awaitility.await().atMost(WAIT).until(() -> livekit.room(retried).isPresent());
        assertThat(livekit.calls("CreateRoom")).filteredOn(c -> retried.equals(c.room())).hasSize(3);

        livekit.setUnavailable(true);
        String lost = liveSession(host, "AUDIO");
        ReceivedEvent dead = deadLetters.await(e -> lost.equals(e.subject()), WAIT);
        assertThat(dead.type()).isEqualTo("session.started");
        assertThat(livekit.calls("CreateRoom")).filteredOn(c -> lost.equals(c.room())).hasSize(3);
        given().baseUri(tokenService.url()).get("/q/health/group/livekit").then().statusCode(503);
        given().baseUri(tokenService.url()).get("/q/health/ready").then().statusCode(200);

        livekit.setUnavailable(false);
        session(host).post("/api/sessions/" + lost + "/end").then().statusCode(200);
        livekit.awaitCall("DeleteRoom", c -> lost.equals(c.room()), WAIT);
        given().baseUri(tokenService.url()).get("/q/health/group/livekit").then().statusCode(200);
        String metrics = given().baseUri(tokenService.url()).get("/q/metrics").then().extract().asString();
        assertThat(metrics).containsPattern("livestage_enforcement_events_total\\{[^}]*outcome=\"dead-lettered\"[^}]*} [1-9]");
    }
}
