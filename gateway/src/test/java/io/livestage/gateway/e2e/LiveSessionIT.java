package io.livestage.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import livekit.LivekitModels;
import livekit.LivekitRoom;
import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.RecordedCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A live session from start to end, through the gateway only, with tokens from the real Keycloak: the host goes live,
 * a viewer joins, raises a hand and is approved while both watch the room channel, LiveKit (the contract stub) is told
 * to let the new guest publish, the guest's next token can publish, chat flows both ways, and the end reaches every
 * socket. Kafka carries every step, each event valid against its schema.
 */
class LiveSessionIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LiveStack stack;

    @BeforeAll
    static void stack() {
        stack = LiveStack.shared();
    }

    @Test
    void aViewerIsBroughtOnStageChatsWithTheHostAndTheEndReachesEveryone() throws Exception {
        LiveStack.User host = stack.demo("alice");
        LiveStack.User viewer = stack.demo("bob");
        try (EventProbe events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.SESSION, Topics.CHAT)) {
            // the host creates the session and goes live; LiveKit gets its room
            String id = stack.as(host).body(Map.of("title", "End to end", "kind", "AUDIO", "visibility", "PUBLIC"))
                    .post("/api/sessions").then().statusCode(201).body("hostId", equalTo(host.id()))
                    .extract().path("id");
            stack.as(host).post("/api/sessions/" + id + "/start").then().statusCode(200).body("status", equalTo("ACTIVE"));
            stack.livekit().awaitCall("CreateRoom", c -> id.equals(c.room()), WAIT);
            JsonPath hostToken = stack.as(host).body(Map.of("session", id)).post("/api/tokens").then().statusCode(200)
                    .body("role", equalTo("HOST")).extract().jsonPath();
            assertThat(videoGrant(hostToken.getString("token")).path("canPublish").asBoolean()).isTrue();

            // the viewer's token subscribes only; the viewer is then in the LiveKit room
            JsonPath viewerToken = stack.as(viewer).body(Map.of("session", id)).post("/api/tokens").then().statusCode(200)
                    .body("role", equalTo("VIEWER")).body("identity", equalTo(viewer.id())).extract().jsonPath();
            JsonNode viewerGrant = videoGrant(viewerToken.getString("token"));
            assertThat(viewerGrant.path("room").asText()).isEqualTo(id);
            assertThat(viewerGrant.path("roomJoin").asBoolean()).isTrue();
            assertThat(viewerGrant.path("canSubscribe").asBoolean()).isTrue();
            assertThat(viewerGrant.path("canPublish").asBoolean()).as("a viewer's grant: " + viewerGrant).isFalse();
            stack.livekit().join(id, viewer.id());

            String fromGuest;
            String fromHost;
            try (RoomSocket hostRoom = RoomSocket.open(stack, id, host);
                    RoomSocket viewerRoom = RoomSocket.open(stack, id, viewer)) {
                assertThat(hostRoom.await("welcome").path("you").path("role").asText()).isEqualTo("HOST");
                assertThat(viewerRoom.await("welcome").path("you").path("role").asText()).isEqualTo("VIEWER");

                // the hand goes up; the host sees it live on the room channel
                String request = stack.as(viewer).post("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                        .body("status", equalTo("PENDING")).body("userId", equalTo(viewer.id())).extract().path("id");
                JsonNode raised = hostRoom.await(f -> "stage".equals(f.path("type").asText())
                        && "guest.requested".equals(f.path("event").asText()), "the raised hand");
                assertThat(raised.path("request").path("id").asText()).isEqualTo(request);
                assertThat(raised.path("request").path("userId").asText()).isEqualTo(viewer.id());
                assertThat(raised.path("request").path("xp").asInt()).as("bob's xp claim from Keycloak").isEqualTo(40);

                // approved: LiveKit is told to let that identity publish, without a reconnect
                stack.as(host).post("/api/sessions/" + id + "/stage-requests/" + request + "/approve").then()
                        .statusCode(200).body("status", equalTo("APPROVED"));
                RecordedCall update = stack.livekit().awaitCall("UpdateParticipant",
                        c -> id.equals(c.room()) && viewer.id().equals(c.identity()), WAIT);
                LivekitModels.ParticipantPermission permission = update.request(LivekitRoom.UpdateParticipantRequest.class)
                        .getPermission();
                assertThat(permission.getCanPublish()).isTrue();
                assertThat(permission.getCanPublishSourcesList()).containsExactly(LivekitModels.TrackSource.MICROPHONE);
                assertThat(update.succeeded()).as(update.toString()).isTrue();
                assertThat(stack.livekit().participant(id, viewer.id()).orElseThrow().getPermission().getCanPublish()).isTrue();
                assertThat(viewerRoom.await(f -> "you".equals(f.path("type").asText())
                        && "GUEST".equals(f.path("role").asText()), "the new role").path("userId").asText())
                        .isEqualTo(viewer.id());

                // the guest's next token publishes (the microphone: an AUDIO session), once the approval reached
                // token-service's admission projection (docs/adr/0019)
                JsonPath guestToken = Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> stack.as(viewer).body(Map.of("session", id)).post("/api/tokens").then()
                                .statusCode(200).extract().jsonPath(), t -> "GUEST".equals(t.getString("role")));
                JsonNode guestGrant = videoGrant(guestToken.getString("token"));
                assertThat(guestGrant.path("canPublish").asBoolean()).as("a guest's grant: " + guestGrant).isTrue();
                assertThat(guestGrant.path("canPublishSources").toString()).isEqualTo("[\"microphone\"]");

                // chat both ways
                fromGuest = viewerRoom.chat("e2e-g1", "Thanks for having me").path("id").asText();
                JsonNode atHost = hostRoom.await(f -> "chat.message".equals(f.path("type").asText())
                        && fromGuest.equals(f.path("message").path("messageId").asText()), "the guest's message");
                assertThat(atHost.path("message").path("author").path("userId").asText()).isEqualTo(viewer.id());
                assertThat(atHost.path("message").path("author").path("role").asText()).isEqualTo("GUEST");
                assertThat(atHost.path("message").path("text").asText()).isEqualTo("Thanks for having me");
                fromHost = hostRoom.chat("e2e-h1", "Welcome on stage").path("id").asText();
                JsonNode atGuest = viewerRoom.await(f -> "chat.message".equals(f.path("type").asText())
                        && fromHost.equals(f.path("message").path("messageId").asText()), "the host's message");
                assertThat(atGuest.path("message").path("author").path("role").asText()).isEqualTo("HOST");
                assertThat(atGuest.path("message").path("text").asText()).isEqualTo("Welcome on stage");

                // the end: both sockets get session.ended, then a normal close; LiveKit's room goes
                stack.as(host).post("/api/sessions/" + id + "/end").then().statusCode(200).body("status", equalTo("ENDED"));
                for (RoomSocket room : List.of(hostRoom, viewerRoom)) {
                    room.await("session.ended");
                    assertThat(room.awaitClose()).as(room + " close code").isEqualTo(1000);
                    List<String> types = room.frames().stream().map(f -> f.path("type").asText()).toList();
                    assertThat(types.getLast()).as(room + " frames " + types).isEqualTo("session.ended");
                }
                assertThat(viewerRoom.frames()).as("stage frames are for hosts and cohosts only")
                        .noneMatch(f -> "stage".equals(f.path("type").asText()));
                stack.livekit().awaitCall("DeleteRoom", c -> id.equals(c.room()), WAIT);
            }
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> stack.as(viewer)
                    .body(Map.of("session", id)).post("/api/tokens").statusCode() == 409);
            stack.as(viewer).body(Map.of("session", id)).post("/api/tokens").then().statusCode(409)
                    .contentType("application/problem+json");

            // what Kafka carried, in order for the session, every event valid; the viewer was registered (by the
            // raised hand: the stub sends no participant_joined here) before its request
            List<String> sessionFlow = List.of("session.created", "session.started", "guest.requested",
                    "guest.approved", "session.ended");
            List<ReceivedEvent> ofSession = events.awaitCount(e -> id.equals(e.subject())
                    && Topics.SESSION.equals(e.topic()) && sessionFlow.contains(e.type()), sessionFlow.size(), WAIT);
            assertThat(ofSession).extracting(ReceivedEvent::type).containsExactlyElementsOf(sessionFlow);
            assertThat(ofSession).extracting(ReceivedEvent::sequence).isSorted();
            ReceivedEvent viewerJoined = events.await(e -> id.equals(e.subject()) && "participant.joined".equals(e.type())
                    && viewer.id().equals(e.json().at("/participant/identity").asText()), WAIT);
            assertThat(viewerJoined.sequence()).isBetween(ofSession.get(1).sequence(), ofSession.get(2).sequence());
            List<ReceivedEvent> messages = events.awaitCount(e -> id.equals(e.subject()) && "chat.message".equals(e.type()),
                    2, WAIT);
            assertThat(messages).extracting(e -> e.json().path("messageId").asText()).containsExactly(fromGuest, fromHost);
            events.all().stream().filter(e -> id.equals(e.subject())).forEach(EventContract::assertValid);
        }
    }

    /** The {@code video} grant of a LiveKit token, after checking its signature with the stub's API secret. */
    private static JsonNode videoGrant(String token) throws Exception {
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(new HmacKey(stack.livekit().apiSecret().getBytes(StandardCharsets.UTF_8)))
                .setRelaxVerificationKeyValidation() // LiveKit's dev secret is shorter than HS256's 256 bits
                .setExpectedIssuer(stack.livekit().apiKey()).setRequireExpirationTime().build().processToClaims(token);
        return JSON.readTree(claims.toJson()).path("video");
    }
}
