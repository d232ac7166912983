package io.livestage.testing.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishData;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official Node SDK (npm livekit-server-sdk) as an independent peer of the stub and of the Java SDK. */
class NodeLiveKitSdkTest {

    private static LiveKitStub livekit;
    private static WebhookReceiverServer receiver;

    @BeforeAll
    static void start() throws Exception {
        NodeLiveKitSdk.ensureInstalled();
        livekit = LiveKitStub.start();
        receiver = new WebhookReceiverServer();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (livekit != null) {
            livekit.close();
        }
    }

    @Test
    void thePinnedSdkIsInstalled() {
        assertThat(NodeLiveKitSdk.sdkVersion()).isEqualTo("2.19.2");
        assertThat(NodeLiveKitSdk.directory().resolve("package-lock.json")).exists();
    }

    @Test
    void stubWebhooksVerifyWithTheNodeSdkAndTamperingIsCaught() throws Exception {
        ParticipantInfo participant = livekit.join("r1", "u42", LiveKitStub.microphoneTrack());
        Room room = livekit.room("r1").orElseThrow();
        livekit.sendWebhook(receiver.url(), LiveKitWebhooks.participantJoined(room, participant));
        WebhookReceiverServer.Delivery delivery = receiver.next(Duration.ofSeconds(5));
        String authorization = delivery.headers().get("Authorization");

        JsonNode event = NodeLiveKitSdk.verifyWebhook("devkey", "secret", delivery.text(), authorization);

        // The Node SDK re-prints what it parsed as protojson: identical to the body LiveKit's notifier format sent.
        assertThat(event).isEqualTo(Twirp.JSON.readTree(delivery.body()));
        assertThat(event.get("participant").get("identity").asText()).isEqualTo("u42");

        String tampered = delivery.text().replace("u42", "u43");
        assertThatThrownBy(() -> NodeLiveKitSdk.verifyWebhook("devkey", "secret", tampered, authorization))
                .isInstanceOf(NodeLiveKitSdk.NodeScriptException.class)
                .hasMessageContaining("sha256 checksum of body does not match");
        assertThatThrownBy(() -> new WebhookReceiver("devkey", "secret").receive(tampered, authorization))
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> NodeLiveKitSdk.verifyWebhook("devkey", "wrong", delivery.text(), authorization))
                .isInstanceOf(NodeLiveKitSdk.NodeScriptException.class).hasMessageContaining("signature");
    }

    @Test
    void nodeSignedWebhooksVerifyWithTheJavaSdk() {
        WebhookEvent event = LiveKitWebhooks.roomStarted(livekit.createRoom("r2"));
        String body = LiveKitWebhooks.body(event);

        String authorization = NodeLiveKitSdk.signWebhook("devkey", "secret", body);

        assertThat(new WebhookReceiver("devkey", "secret").receive(body, authorization)).isEqualTo(event);
        assertThat(Hs256Jwt.decodeClaimsUnverified(authorization).get("sha256").asText())
                .isEqualTo(Hs256Jwt.decodeClaimsUnverified(livekit.signedWebhook(body)).get("sha256").asText());
        assertThatThrownBy(() -> new WebhookReceiver("devkey", "secret").receive(body.replace("r2", "r9"),
                authorization)).hasMessageContaining("sha256");
    }

    @Test
    void javaSdkTokensVerifyWithTheNodeSdkShowingTheSameGrants() throws Exception {
        AccessToken token = new AccessToken("devkey", "secret");
        token.setIdentity("u42");
        token.setName("Ann");
        token.setMetadata("{\"role\":\"speaker\"}");
        token.addGrants(new RoomJoin(true), new RoomName("r1"), new CanPublish(true), new CanSubscribe(true),
                new CanPublishData(false), new CanPublishSources(List.of("microphone", "screen_share")));
        String jwt = token.toJwt();

        JsonNode claims = NodeLiveKitSdk.verifyToken(jwt, "devkey", "secret");

        assertThat(claims).isEqualTo(Hs256Jwt.decodeClaimsUnverified(jwt));
        assertThat(claims.get("sub").asText()).isEqualTo("u42");
        assertThat(claims.get("iss").asText()).isEqualTo("devkey");
        assertThat(claims.get("name").asText()).isEqualTo("Ann");
        JsonNode video = claims.get("video");
        assertThat(video.get("roomJoin").asBoolean()).isTrue();
        assertThat(video.get("room").asText()).isEqualTo("r1");
        assertThat(video.get("canPublish").asBoolean()).isTrue();
        assertThat(video.get("canPublishData").asBoolean()).isFalse();
        assertThat(video.get("canPublishSources")).hasSize(2);
        assertThat(video.get("canPublishSources").get(1).asText()).isEqualTo("screen_share");

        assertThatThrownBy(() -> NodeLiveKitSdk.verifyToken(jwt, "devkey", "wrong"))
                .isInstanceOf(NodeLiveKitSdk.NodeScriptException.class).hasMessageContaining("invalid token");
        assertThatThrownBy(() -> NodeLiveKitSdk.verifyToken(jwt, "otherkey", "secret"))
                .isInstanceOf(NodeLiveKitSdk.NodeScriptException.class).hasMessageContaining("iss");
    }

    @Test
    void nodeSdkTokensAreAcceptedByTheStub() {
        livekit.join("r3", "u1");
        String nodeToken = NodeLiveKitSdk.createToken("devkey", "secret", null,
                Map.of("roomAdmin", true, "room", "r3"));

        Twirp.Answer answer = Twirp.post(livekit, "ListParticipants", "application/json", "{\"room\":\"r3\"}",
                nodeToken);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("participants").get(0).get("identity").asText()).isEqualTo("u1");
        RecordedCall call = livekit.calls("ListParticipants").getLast();
        assertThat(call.claims().json().has("nbf")).isTrue();
        assertThat(call.claims().grant("roomAdmin")).isTrue();
    }
}
