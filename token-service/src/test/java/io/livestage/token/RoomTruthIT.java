package io.livestage.token;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * LiveKit's view of the room reaches session-service end to end: webhooks signed by the LiveKit stub are posted to
 * token-service's real endpoint, published on livestage.livekit over the test Kafka and applied by session-service
 * (both packaged, as processes). Graces are shortened: leave 4 s, room finished 6 s.
 */
class RoomTruthIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEAVE_GRACE = Duration.ofSeconds(4);
    private static LiveKitStub livekit;
    private static ServiceProcess sessionService;
    private static ServiceProcess tokenService;
    private static EventProbe events;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        sessionService = ServiceProcess.start("session-service", Map.of(
                "LIVESTAGE_STAGE_LEAVE_GRACE", LEAVE_GRACE.toSeconds() + "s",
                "LIVESTAGE_STAGE_ROOM_FINISHED_GRACE", "6s",
                "LIVESTAGE_STAGE_SWEEP_EVERY", "500ms"));
        tokenService = ServiceProcess.start("token-service", Map.of(
                "LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                "LIVEKIT_API_KEY", livekit.apiKey(),
                "LIVEKIT_API_SECRET", livekit.apiSecret(),
                "SESSION_SERVICE_URL", sessionService.url()));
        events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.SESSION);
    }

    @AfterAll
    static void stop() {
        events.close();
        tokenService.close();
        sessionService.close();
        livekit.close();
    }

    @Test
    void aGuestWhoClosesTheTabLeavesTheStageAfterTheGrace() {
        Stage stage = Stage.open();
        ParticipantInfo guest = livekit.join(stage.id, stage.guest, LiveKitStub.microphoneTrack());
        webhook(LiveKitWebhooks.participantJoined(stage.room(), guest));
        assertThat(stage.participant(stage.guest).path("onStage").asBoolean()).isTrue();

        webhook(LiveKitWebhooks.participantLeft(stage.room(), livekit.leave(stage.id, stage.guest)));
        long leftAt = System.nanoTime();
        ReceivedEvent left = events.await(e -> stage.id.equals(e.subject()) && "participant.left".equals(e.type())
                && stage.guest.equals(e.json().at("/participant/identity").asText()), WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - leftAt)).as("not before the grace")
                .isGreaterThanOrEqualTo(LEAVE_GRACE.minusSeconds(1));
        EventContract.assertValid(left);
        assertThat(left.json().path("reason").asText()).isEqualTo("DISCONNECTED");
        assertThat(left.json().at("/participant/role").asText()).isEqualTo("VIEWER");
        long spoken = left.json().at("/participant/speakingSeconds").asLong();
        assertThat(stage.participantOrNull(stage.guest)).as("gone from the room").isNull();
        assertThat(stage.onStage()).as("the stage slot is free").doesNotContain(stage.guest);

        sleep(Duration.ofSeconds(2));
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, stage.guest)));
        ReceivedEvent back = events.await(e -> stage.id.equals(e.subject()) && e.sequence() > left.sequence()
                && "participant.joined".equals(e.type())
                && stage.guest.equals(e.json().at("/participant/identity").asText()), WAIT);
        assertThat(back.json().path("rejoin").asBoolean()).isTrue();
        assertThat(back.json().at("/participant/role").asText()).as("back as a viewer").isEqualTo("VIEWER");
        assertThat(back.json().at("/participant/speakingSeconds").asLong()).as("no time accrued while away")
                .isEqualTo(spoken);
    }

    @Test
    void aRejoinWithinTheGraceKeepsTheStage() {
        Stage stage = Stage.open();
        ParticipantInfo guest = livekit.join(stage.id, stage.guest, LiveKitStub.microphoneTrack());
        webhook(LiveKitWebhooks.participantJoined(stage.room(), guest));
        webhook(LiveKitWebhooks.participantLeft(stage.room(), livekit.leave(stage.id, stage.guest)));
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, stage.guest)));

        events.assertNone(e -> stage.id.equals(e.subject()) && "participant.left".equals(e.type()),
                LEAVE_GRACE.plusSeconds(3));
        assertThat(stage.onStage()).contains(stage.guest);
    }

    @Test
    void microphoneAndCameraStateFollowsLiveKit() {
        Stage stage = Stage.open();
        TrackInfo microphone = LiveKitStub.microphoneTrack().toBuilder().setMuted(true).build();
        ParticipantInfo guest = livekit.join(stage.id, stage.guest, microphone);
        webhook(LiveKitWebhooks.participantJoined(stage.room(), guest));
        webhook(LiveKitWebhooks.trackPublished(stage.room(), guest, guest.getTracks(0)));
        ReceivedEvent muted = awaitMedia(stage, "MICROPHONE", true, 0);
        EventContract.assertValid(muted);
        assertThat(stage.participant(stage.guest).path("audioMuted").asBoolean()).isTrue();

        TrackInfo unmuted = guest.getTracks(0).toBuilder().setMuted(false).build();
        webhook(LiveKitWebhooks.trackPublished(stage.room(), guest, unmuted));
        ReceivedEvent talking = awaitMedia(stage, "MICROPHONE", false, muted.sequence());
        assertThat(stage.participant(stage.guest).path("audioMuted").asBoolean()).isFalse();

        webhook(LiveKitWebhooks.trackUnpublished(stage.room(), guest, unmuted));
        awaitMedia(stage, "MICROPHONE", true, talking.sequence());
        assertThat(stage.participant(stage.guest).path("audioMuted").asBoolean()).as("nothing published").isTrue();
    }

    @Test
    void anEgressIsNotAPerson() {
        Stage stage = Stage.open();
        ParticipantInfo guest = livekit.join(stage.id, stage.guest);
        webhook(LiveKitWebhooks.participantJoined(stage.room(), guest));
        // A recorder under the guest's identity: were it taken for a person, the guest would leave after the grace.
        ParticipantInfo recorder = livekit.join("recorder-" + stage.id, ParticipantInfo.newBuilder()
                .setIdentity(stage.guest).setKind(ParticipantInfo.Kind.EGRESS).build());
        webhook(LiveKitWebhooks.participantLeft(stage.room(), recorder));
        webhook(LiveKitWebhooks.trackPublished(stage.room(), recorder,
                LiveKitStub.microphoneTrack().toBuilder().setSid("TR_egress").setMuted(true).build()));
        // A person's change after them on the same partition: once it is applied, the recorder's were too.
        webhook(LiveKitWebhooks.trackPublished(stage.room(), guest,
                LiveKitStub.cameraTrack().toBuilder().setSid("TR_camera").setMuted(true).build()));
        awaitMedia(stage, "CAMERA", true, 0);

        events.assertNone(e -> stage.id.equals(e.subject()) && "participant.left".equals(e.type()),
                LEAVE_GRACE.plusSeconds(3));
        JsonNode record = stage.participant(stage.guest);
        assertThat(record.path("onStage").asBoolean()).isTrue();
        assertThat(record.path("audioMuted").asBoolean()).as("the recorder's track is not the guest's").isFalse();
    }

    @Test
    void aFinishedRoomEndsTheLiveSessionWhenNobodyComesBack() {
        Stage stage = Stage.open();
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, stage.host)));
        webhook(LiveKitWebhooks.roomFinished(stage.room()));

        ReceivedEvent hostLeft = events.await(e -> stage.id.equals(e.subject()) && "participant.left".equals(e.type())
                && stage.host.equals(e.json().at("/participant/identity").asText()), WAIT);
        assertThat(hostLeft.json().path("reason").asText()).isEqualTo("DISCONNECTED");
        ReceivedEvent ended = events.await(e -> stage.id.equals(e.subject()) && "session.ended".equals(e.type()), WAIT);
        EventContract.assertValid(ended);
        as(stage.host).get("/api/sessions/" + stage.id).then().statusCode(200)
                .body("status", equalTo("ENDED"));
        livekit.awaitCall("DeleteRoom", c -> stage.id.equals(c.room()), WAIT);
    }

    @Test
    void aRejoinAfterTheRoomFinishedKeepsTheSessionLive() {
        Stage stage = Stage.open();
        webhook(LiveKitWebhooks.roomFinished(stage.room()));
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, stage.host)));

        events.assertNone(e -> stage.id.equals(e.subject()) && "session.ended".equals(e.type()), Duration.ofSeconds(9));
        as(stage.host).get("/api/sessions/" + stage.id).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void onlyHostsAndCohostsAskForAnUnmute() {
        Stage stage = Stage.open();
        String viewer = user("viewer");
        as(viewer).body(Map.of("name", "V")).post("/api/sessions/" + stage.id + "/join").then().statusCode(200);
        String path = "/api/sessions/" + stage.id + "/participants/" + stage.guest + "/unmute-request";

        as(viewer).body(Map.of("audio", true)).post(path).then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        as(stage.host).body(Map.of()).post(path).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("field", equalTo("audio"));
        as(stage.host).body(Map.of("audio", true)).post(path).then().statusCode(200);

        ReceivedEvent asked = events.await(e -> stage.id.equals(e.subject())
                && "participant.unmute-requested".equals(e.type()), WAIT);
        EventContract.assertValid(asked);
        assertThat(asked.json().path("requestedBy").asText()).isEqualTo(stage.host);
        assertThat(asked.json().at("/participant/identity").asText()).isEqualTo(stage.guest);
        assertThat(asked.json().path("audio").asBoolean()).isTrue();
        assertThat(asked.json().path("video").asBoolean()).isFalse();
    }

    @Test
    void someoneLiveKitSaysJoinedIsRegisteredAndAnonymousViewersAreNot() {
        Stage stage = Stage.open();
        String listener = user("listener");
        ParticipantInfo joined = livekit.join(stage.id, ParticipantInfo.newBuilder().setIdentity(listener)
                .setName("Lis").build());
        webhook(LiveKitWebhooks.participantJoined(stage.room(), joined));
        ReceivedEvent registered = events.await(e -> stage.id.equals(e.subject())
                && "participant.joined".equals(e.type())
                && listener.equals(e.json().at("/participant/identity").asText()), WAIT);
        EventContract.assertValid(registered);
        assertThat(registered.json().path("rejoin").asBoolean()).isFalse();
        assertThat(registered.json().at("/participant/role").asText()).isEqualTo("VIEWER");
        assertThat(stage.participant(listener).path("name").asText()).isEqualTo("Lis");

        String anonymous = "anon-abcdefgh-" + UUID.randomUUID().toString().substring(0, 10);
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, anonymous)));
        // a later change on the same partition: once applied, the anonymous join was too
        webhook(LiveKitWebhooks.trackPublished(stage.room(), joined,
                LiveKitStub.microphoneTrack().toBuilder().setMuted(true).build()));
        awaitMedia(stage, "MICROPHONE", true, registered.sequence());
        assertThat(stage.participantOrNull(anonymous)).as("anonymous viewers are not participants").isNull();
    }

    @Test
    void aRemovedParticipantIsRefusedOnceProjectedAndRemovedAgainIfItJoinsAnyway() {
        Stage stage = Stage.open();
        as(stage.host).delete("/api/sessions/" + stage.id + "/participants/" + stage.guest).then().statusCode(200);
        long removedAt = System.nanoTime();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> tokenStatus(stage.guest,
                stage.id) == 403);
        System.out.printf("removal -> token refused: %.0f ms%n", (System.nanoTime() - removedAt) / 1e6);
        livekit.awaitCall("RemoveParticipant", c -> stage.guest.equals(c.identity()), WAIT);

        // a token minted inside the bound: the guest connects anyway, and LiveKit is told to remove them again
        webhook(LiveKitWebhooks.participantJoined(stage.room(), livekit.join(stage.id, stage.guest)));
        Awaitility.await().atMost(WAIT).until(() -> livekit.calls("RemoveParticipant").stream()
                .filter(c -> stage.guest.equals(c.identity())).count() == 2);
        Awaitility.await().atMost(WAIT).until(() -> livekit.participant(stage.id, stage.guest).isEmpty());
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(tokenStatus(stage.guest, stage.id)).as("never again").isEqualTo(403);
        }
    }

    private static int tokenStatus(String user, String sessionId) {
        return given().baseUri(tokenService.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON)
                .body(Map.of("session", sessionId)).post("/api/tokens").then().extract().statusCode();
    }

    /** The session's next participant.media-changed after event sequence {@code after} with that source and state. */
    private static ReceivedEvent awaitMedia(Stage stage, String source, boolean muted, long after) {
        String flag = "MICROPHONE".equals(source) ? "/participant/audioMuted" : "/participant/videoMuted";
        return events.await(e -> stage.id.equals(e.subject()) && e.sequence() > after
                && "participant.media-changed".equals(e.type())
                && source.equals(e.json().path("source").asText()) && e.json().at(flag).asBoolean() == muted, WAIT);
    }

    private static void webhook(WebhookEvent event) {
        assertThat(livekit.sendWebhook(tokenService.url() + "/webhooks/livekit", event)).isEqualTo(200);
    }

    private static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification as(String user) {
        return given().baseUri(sessionService.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    private static void sleep(Duration duration) {
        Awaitility.await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }

    /** A live session with its host joined and a guest on stage who got a token through token-service. */
    private record Stage(String id, String host, String guest) {
        static Stage open() {
            String host = user("host");
            String guest = user("guest");
            String id = as(host).body(Map.of("title", "Room truth", "kind", "VIDEO")).post("/api/sessions").then()
                    .statusCode(201).extract().path("id");
            as(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
            as(host).body(Map.of("name", "Host")).post("/api/sessions/" + id + "/join").then().statusCode(200);
            given().baseUri(tokenService.url()).auth().oauth2(TestTokens.token(guest)).contentType(ContentType.JSON)
                    .body(Map.of("session", id)).post("/api/tokens").then().statusCode(200);
            String request = as(guest).post("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                    .extract().path("id");
            as(host).post("/api/sessions/" + id + "/stage-requests/" + request + "/approve").then().statusCode(200);
            livekit.awaitCall("CreateRoom", c -> id.equals(c.room()), WAIT);
            return new Stage(id, host, guest);
        }

        Room room() {
            return livekit.room(id).orElseThrow();
        }

        List<String> onStage() {
            return as(host).get("/api/sessions/" + id + "/participants?onStage=true").then().statusCode(200)
                    .extract().jsonPath().getList("identity", String.class);
        }

        JsonNode participantOrNull(String identity) {
            JsonNode all = as(host).get("/api/sessions/" + id + "/participants").then().statusCode(200).extract()
                    .as(JsonNode.class);
            for (JsonNode p : all) {
                if (identity.equals(p.path("identity").asText())) {
                    return p;
                }
            }
            return null;
        }

        JsonNode participant(String identity) {
            JsonNode p = participantOrNull(identity);
            assertThat(p).as(identity + " present").isNotNull();
            return p;
        }
    }
}
