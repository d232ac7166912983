package io.livestage.testing.livekit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Webhooks from the stub, checked by the official Java SDK's WebhookReceiver and by hand against the notifier. */
class LiveKitWebhookTest {

    private static LiveKitStub livekit;
    private static WebhookReceiverServer receiver;

    @BeforeAll
    static void start() throws Exception {
        livekit = LiveKitStub.start();
        receiver = new WebhookReceiverServer();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        livekit.close();
    }

    @Test
    void deliveryLooksLikeLiveKitsNotifierAndVerifiesWithTheJavaSdk() throws Exception {
        ParticipantInfo participant = livekit.join("r1", "u42", LiveKitStub.microphoneTrack());
        Room room = livekit.room("r1").orElseThrow();
        WebhookEvent event = LiveKitWebhooks.participantJoined(room, participant);

        int status = livekit.sendWebhook(receiver.url(), event);

        assertThat(status).isEqualTo(200);
        WebhookReceiverServer.Delivery delivery = receiver.next(Duration.ofSeconds(5));
        assertThat(delivery.method()).isEqualTo("POST");
        assertThat(delivery.headers()).containsEntry("Content-Type", "application/webhook+json")
                .containsEntry("User-Agent", "LiveKit");
        String authorization = delivery.headers().get("Authorization");
        assertThat(authorization).doesNotStartWith("Bearer").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        JsonNode claims = Hs256Jwt.decodeClaimsUnverified(authorization);
        long now = Instant.now().getEpochSecond();
        assertThat(claims.get("iss").asText()).isEqualTo("devkey");
        assertThat(claims.get("exp").asLong()).isBetween(now + 295, now + 300);
        assertThat(claims.get("sha256").asText()).isEqualTo(LiveKitStub.sha256(delivery.text()));
        assertThat(claims.has("sub")).isFalse();

        // protojson: camelCase, zero values omitted, int64 as strings.
        JsonNode body = Twirp.JSON.readTree(delivery.body());
        assertThat(body.get("event").asText()).isEqualTo("participant_joined");
        assertThat(body.get("id").asText()).startsWith("EV_");
        assertThat(body.get("createdAt").isTextual()).isTrue();
        assertThat(body.get("room").get("emptyTimeout").asInt()).isEqualTo(300);
        assertThat(body.get("room").get("creationTime").isTextual()).isTrue();
        assertThat(body.get("participant").get("state").asText()).isEqualTo("ACTIVE");
        assertThat(body.get("participant").get("joinedAt").isTextual()).isTrue();
        assertThat(body.get("participant").has("metadata")).isFalse();
        assertThat(body.get("participant").get("tracks").get(0).has("muted")).isFalse();
        assertThat(body.has("egressInfo")).isFalse();

        WebhookEvent received = new WebhookReceiver("devkey", "secret").receive(delivery.text(), authorization);
        assertThat(received).isEqualTo(event);
    }

    @Test
    void tamperedBodiesWrongSecretsAndExpiredTokensFailTheJavaSdk() {
        String body = LiveKitWebhooks.body(LiveKitWebhooks.roomStarted(livekit.createRoom("r2")));
        String authorization = livekit.signedWebhook(body);
        WebhookReceiver javaSdk = new WebhookReceiver("devkey", "secret");
        assertThat(javaSdk.receive(body, authorization).getRoom().getName()).isEqualTo("r2");

        assertThatThrownBy(() -> javaSdk.receive(body.replace("r2", "r3"), authorization))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> javaSdk.receive(body + " ", authorization))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> new WebhookReceiver("devkey", "other-secret").receive(body, authorization))
                .hasMessageContaining("Signature");
        assertThatThrownBy(() -> new WebhookReceiver("otherkey", "secret").receive(body, authorization))
                .hasMessageContaining("iss");
        assertThatThrownBy(() -> javaSdk.receive(body, livekit.signedWebhook(body, Duration.ofMinutes(-1))))
                .hasMessageContaining("expired");
    }

    @Test
    void postWebhookSendsTamperedDeliveriesAndReturnsTheReceiversStatus() throws Exception {
        String body = LiveKitWebhooks.body(LiveKitWebhooks.roomFinished(livekit.createRoom("r4")));
        receiver.answer(401);
        try {
            int status = livekit.postWebhook(receiver.url(), body.replace("r4", "r5"), livekit.signedWebhook(body));
            assertThat(status).isEqualTo(401);
        } finally {
            receiver.answer(200);
        }
        WebhookReceiverServer.Delivery delivery = receiver.next(Duration.ofSeconds(5));
        assertThat(delivery.text()).contains("r5");
    }

    @Test
    void sha256MatchesTheNodeSdksTestVector() {
        // livekit/server-sdk-js WebhookReceiver.test.ts: note Go protojson's irregular whitespace, hashed as is.
        String body = "{\"event\":\"room_started\", \"room\":{\"sid\":\"RM_TkVjUvAqgzKz\", \"name\":\"mytestroom\", "
                + "\"emptyTimeout\":300, \"creationTime\":\"1628545903\", "
                + "\"turnPassword\":\"ICkSr2rEeslkN6e9bXL4Ji5zzMD5Z7zzr6ulOaxMj6N\", "
                + "\"enabledCodecs\":[{\"mime\":\"audio/opus\"}, {\"mime\":\"video/VP8\"}]}}";
        assertThat(LiveKitStub.sha256(body)).isEqualTo("CoEQz1chqJ9bnZRcORddjplkvpjmPujmLTR42DbefYI=");
        WebhookEvent event = new WebhookReceiver("devkey", "secret").receive(body, livekit.signedWebhook(body));
        assertThat(event.getRoom().getCreationTime()).isEqualTo(1628545903L);
    }

    @Test
    void eventBuildersHaveUniqueIdsAndLiveKitsShapes() {
        ParticipantInfo participant = livekit.join("r6", "u1");
        TrackInfo track = livekit.publishTrack("r6", "u1", LiveKitStub.cameraTrack());
        Room room = livekit.room("r6").orElseThrow();
        ParticipantInfo left = livekit.leave("r6", "u1");
        EgressInfo started = LiveKitWebhooks.egress(room, EgressStatus.EGRESS_ACTIVE);
        EgressInfo failed = LiveKitWebhooks.egress(room, started.getEgressId(), EgressStatus.EGRESS_FAILED);

        Set<String> ids = new HashSet<>();
        for (WebhookEvent event : new WebhookEvent[] { LiveKitWebhooks.roomStarted(room),
                LiveKitWebhooks.participantJoined(room, participant),
                LiveKitWebhooks.trackPublished(room, participant, track),
                LiveKitWebhooks.participantLeft(room, left), LiveKitWebhooks.egressStarted(started),
                LiveKitWebhooks.egressEnded(failed), LiveKitWebhooks.roomFinished(room) }) {
            assertThat(event.getId()).matches("EV_[0-9A-Za-z]{12}");
            assertThat(event.getCreatedAt()).isCloseTo(Instant.now().getEpochSecond(),
                    Offset.offset(5L));
            ids.add(event.getId());
        }
        assertThat(ids).hasSize(7);

        assertThat(track.getSid()).startsWith("TR_");
        assertThat(room.getNumPublishers()).isEqualTo(1);
        assertThat(LiveKitWebhooks.participantLeft(room, left).getParticipant().getState())
                .isEqualTo(ParticipantInfo.State.DISCONNECTED);
        assertThat(started.getEgressId()).startsWith("EG_");
        assertThat(started.getRoomId()).isEqualTo(room.getSid());
        assertThat(started.getStartedAt()).isPositive();
        assertThat(started.getEndedAt()).isZero();
        assertThat(failed.getEgressId()).isEqualTo(started.getEgressId());
        assertThat(failed.getEndedAt()).isPositive();
        assertThat(failed.getError()).isNotEmpty();
        String body = LiveKitWebhooks.body(LiveKitWebhooks.egressEnded(failed));
        assertThat(body).contains("\"egressInfo\":{").contains("\"status\":\"EGRESS_FAILED\"").doesNotContain("\"room\"");
    }
}
