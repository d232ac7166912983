package io.livestage.token;

import java.time.Duration;
import java.util.UUID;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;
import io.livestage.testing.livekit.NodeLiveKitSdk;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks signed the way LiveKit signs them (by the contract stub and by the official Node SDK) are accepted once and
 * published to Kafka; forged, tampered, expired and replayed ones are refused and published nowhere.
 */
@QuarkusTest
class LiveKitWebhookTest {
    private static EventProbe events;
    /** Signs with the key pair token-service trusts (what LiveKit would use). */
    private static LiveKitStub signer;
    /** Same key name, another secret: a forger. */
    private static LiveKitStub forger;

    @TestHTTPResource("/webhooks/livekit")
    String endpoint;

    @BeforeAll
    static void setUp() {
        String key = ConfigProvider.getConfig().getValue("livekit.api-key", String.class);
        String secret = ConfigProvider.getConfig().getValue("livekit.api-secret", String.class);
        signer = LiveKitStub.start(key, secret);
        forger = LiveKitStub.start(key, "not-the-secret");
        events = EventProbe.from(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), Topics.LIVEKIT);
    }

    @AfterAll
    static void tearDown() {
        events.close();
        signer.close();
        forger.close();
    }

    private static WebhookEvent joined(String room, String identity) {
        LivekitModels.Room livekitRoom = LivekitModels.Room.newBuilder().setSid("RM_" + room.substring(0, 8)).setName(room).build();
        LivekitModels.ParticipantInfo participant = LivekitModels.ParticipantInfo.newBuilder().setSid("PA_" + identity)
                .setIdentity(identity).setName(identity).setState(LivekitModels.ParticipantInfo.State.ACTIVE).build();
        return LiveKitWebhooks.participantJoined(livekitRoom, participant);
    }

    @Test
    void signedWebhookIsPublishedOnceAndReplaysAreRefused() {
        String room = UUID.randomUUID().toString();
        WebhookEvent event = joined(room, "u-bob");
        assertThat(signer.sendWebhook(endpoint, event)).isEqualTo(200);

        ReceivedEvent published = events.await(e -> room.equals(e.subject()), Duration.ofSeconds(15));
        EventContract.assertValid(published);
        assertThat(published.type()).isEqualTo("livekit.webhook");
        assertThat(published.json().get("event").asText()).isEqualTo("participant_joined");
        assertThat(published.json().get("webhookId").asText()).isEqualTo(event.getId());
        assertThat(published.json().at("/participant/identity").asText()).isEqualTo("u-bob");
        assertThat(published.sequence()).isEqualTo(1L);

        assertThat(signer.sendWebhook(endpoint, event)).as("the same webhook again").isEqualTo(409);
        String body = LiveKitWebhooks.body(event);
        assertThat(signer.postWebhook(endpoint, body, signer.signedWebhook(body))).as("a replay with a fresh token")
                .isEqualTo(409);
        events.assertNone(e -> room.equals(e.subject()) && e.sequence() != null && e.sequence() > 1, Duration.ofSeconds(1));
    }

    @Test
    void forgedTamperedExpiredAndUnsignedWebhooksAreRefused() {
        String room = UUID.randomUUID().toString();
        String body = LiveKitWebhooks.body(joined(room, "u-eve"));
        assertThat(forger.postWebhook(endpoint, body, forger.signedWebhook(body))).as("forged").isEqualTo(401);

        String authorization = signer.signedWebhook(body);
        String tampered = body.replace("u-eve", "u-mallory");
        assertThat(signer.postWebhook(endpoint, tampered, authorization)).as("tampered body").isEqualTo(401);

        assertThat(signer.postWebhook(endpoint, body, signer.signedWebhook(body, Duration.ofMinutes(-2))))
                .as("expired").isEqualTo(401);
        assertThat(signer.postWebhook(endpoint, body, null)).as("unsigned").isEqualTo(401);
        assertThat(signer.postWebhook(endpoint, body, "Bearer " + authorization)).as("bearer-prefixed, as LiveKit never sends")
                .isEqualTo(401);
        events.assertNone(e -> room.equals(e.subject()) && e.dataAsString().contains("u-mallory"), Duration.ofSeconds(1));
    }

    @Test
    void webhooksSignedByTheOfficialNodeSdkAreAcceptedAndTamperedOnesRefused() {
        String key = ConfigProvider.getConfig().getValue("livekit.api-key", String.class);
        String secret = ConfigProvider.getConfig().getValue("livekit.api-secret", String.class);
        String room = UUID.randomUUID().toString();
        String body = LiveKitWebhooks.body(joined(room, "u-node"));
        String authorization = NodeLiveKitSdk.signWebhook(key, secret, body);
        assertThat(signer.postWebhook(endpoint, body.replace("u-node", "u-evil"), authorization)).isEqualTo(401);
        assertThat(signer.postWebhook(endpoint, body, authorization)).isEqualTo(200);
        EventContract.assertValid(events.await(e -> room.equals(e.subject()), Duration.ofSeconds(15)));
    }

    @Test
    void egressWebhooksCarryLiveKitsEgressInfo() {
        String room = UUID.randomUUID().toString();
        LivekitModels.Room livekitRoom = LivekitModels.Room.newBuilder().setSid("RM_egress").setName(room).build();
        WebhookEvent ended = LiveKitWebhooks.egressEnded(
                LiveKitWebhooks.egress(livekitRoom, livekit.LivekitEgress.EgressStatus.EGRESS_COMPLETE));
        assertThat(signer.sendWebhook(endpoint, ended)).isEqualTo(200);
        ReceivedEvent published = events.await(e -> room.equals(e.subject()), Duration.ofSeconds(15));
        EventContract.assertValid(published);
        assertThat(published.json().at("/egressInfo/status").asText()).isEqualTo("EGRESS_COMPLETE");
    }
}
