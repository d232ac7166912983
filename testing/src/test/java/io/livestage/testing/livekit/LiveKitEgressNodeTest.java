package io.livestage.testing.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.livekit.server.RoomRecord;
import livekit.LivekitEgress.EgressStatus;

/**
 * The official Node SDK's {@code EgressClient} (JSON Twirp, its own error parsing) and {@code WebhookReceiver}
 * against the stub's Egress service: a second, independent client of the same wire.
 */
class LiveKitEgressNodeTest {

    /** Starts an audio-only MP3 composite, waits for ACTIVE, stops it, waits for COMPLETE, then provokes errors. */
    private static final String RECORD = """
            import { EgressClient, EgressStatus, EncodedFileOutput, EncodedFileType } from 'livekit-server-sdk';
            import { main } from './lib.mjs';

            const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
            const error = async (call) => {
              try {
                await call();
                return null;
              } catch (e) {
                return { status: e.status, code: e.code, message: e.message };
              }
            };
            const until = async (client, egressId, status) => {
              for (let i = 0; i < 100; i++) {
                const [info] = await client.listEgress({ egressId });
                if (info.status === status) {
                  return info;
                }
                await sleep(50);
              }
              throw new Error(`${egressId} never reached ${status}`);
            };

            await main(async ({ url, key, secret }) => {
              const client = new EgressClient(url, key, secret);
              const output = new EncodedFileOutput({ fileType: EncodedFileType.MP3, filepath: '/out/{room_name}/node' });
              const started = await client.startRoomCompositeEgress('r1', output, { audioOnly: true });
              await until(client, started.egressId, EgressStatus.EGRESS_ACTIVE);
              const stopping = await client.stopEgress(started.egressId);
              const complete = await until(client, started.egressId, EgressStatus.EGRESS_COMPLETE);
              return {
                started: started.toJson(),
                stopping: stopping.toJson(),
                complete: complete.toJson(),
                listedInRoom: (await client.listEgress({ roomName: 'r1' })).length,
                listedActive: (await client.listEgress({ active: true })).length,
                stopAgain: await error(() => client.stopEgress(started.egressId)),
                unknown: await error(() => client.stopEgress('EG_unknown00000')),
                noRoom: await error(() => client.startRoomCompositeEgress('nowhere', output, { audioOnly: true })),
                withoutGrant: await error(() => new EgressClient(url, key, 'wrong-secret').listEgress({})),
              };
            });
            """;

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static LiveKitStub livekit;
    private static WebhookReceiverServer receiver;

    @TempDir
    static Path recordings;

    @BeforeAll
    static void start() throws Exception {
        NodeLiveKitSdk.ensureInstalled();
        livekit = LiveKitStub.start();
        receiver = new WebhookReceiverServer();
        livekit.notifier().addUrl(receiver.url());
        livekit.egress().mount("/out", recordings);
    }

    @AfterAll
    static void stop() {
        receiver.close();
        livekit.close();
    }

    @Test
    void theNodeSdkRecordsThroughTheStubAndReadsItsErrors() throws Exception {
        livekit.createRoom("r1");

        JsonNode result = NodeLiveKitSdk.runModule(RECORD, Map.of("url", livekit.url(), "key", livekit.apiKey(),
                "secret", livekit.apiSecret()));

        // The Node SDK prints protojson: the zero status EGRESS_STARTING is absent.
        assertThat(result.get("started").has("status")).isFalse();
        assertThat(result.get("started").get("roomName").asText()).isEqualTo("r1");
        assertThat(result.get("stopping").get("status").asText()).isEqualTo("EGRESS_ENDING");
        JsonNode file = result.get("complete").get("fileResults").get(0);
        assertThat(file.get("location").asText()).isEqualTo("/out/r1/node.mp3");
        Path onDisk = recordings.resolve("r1/node.mp3");
        assertThat(file.get("size").asText()).isEqualTo(Long.toString(Files.size(onDisk)));
        assertThat(file.get("duration").asText())
                .isEqualTo(Long.toString(AudioFileStructure.mp3(onDisk).durationNanos()));
        assertThat(result.get("listedInRoom").asInt()).isEqualTo(1);
        assertThat(result.get("listedActive").asInt()).isZero();
        assertThat(livekit.calls("StartRoomCompositeEgress").getFirst().contentType())
                .isEqualTo("application/json;charset=UTF-8");

        // Its TwirpError carries the stub's code and message: the error bodies are exactly application/json.
        assertThat(result.get("stopAgain")).isEqualTo(Twirp.JSON.readTree("{\"status\":412,"
                + "\"code\":\"failed_precondition\",\"message\":\"egress with status EGRESS_COMPLETE cannot be stopped\"}"));
        assertThat(result.get("unknown")).isEqualTo(Twirp.JSON.readTree(
                "{\"status\":404,\"code\":\"not_found\",\"message\":\"egress does not exist\"}"));
        assertThat(result.get("noRoom")).isEqualTo(Twirp.JSON.readTree(
                "{\"status\":404,\"code\":\"not_found\",\"message\":\"requested room does not exist\"}"));
        // The auth middleware's plain-text 401: no Twirp code, the text as message.
        assertThat(result.get("withoutGrant").get("status").asInt()).isEqualTo(401);
        assertThat(result.get("withoutGrant").get("message").asText())
                .isEqualTo("invalid authorization token: token signature is invalid: signature is invalid");
    }

    @Test
    void egressWebhooksVerifyWithTheNodeSdkAndKeepEveryField() throws Exception {
        livekit.createRoom("r2");
        livekit.egress().recordedDuration(Duration.ofMillis(500));
        Map<String, String> auth = Map.of("Authorization", "Bearer "
                + Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomRecord(true)));
        String egressId = Twirp.post(livekit.url() + "/twirp/livekit.Egress/StartRoomCompositeEgress",
                "application/json", "{\"room_name\":\"r2\",\"audio_only\":true,\"file_outputs\":[{\"file_type\":\"OGG\","
                + "\"filepath\":\"/out/{room_name}/webhook\"}]}", auth).json().get("egress_id").asText();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);
        Twirp.post(livekit.url() + "/twirp/livekit.Egress/StopEgress", "application/json",
                "{\"egress_id\":\"" + egressId + "\"}", auth);

        WebhookNotifier.Notification ended = livekit.notifier().await(LiveKitWebhooks.EGRESS_ENDED,
                event -> event.getEgressInfo().getEgressId().equals(egressId), WAIT);
        WebhookReceiverServer.Delivery delivery;
        do {
            delivery = receiver.next(WAIT);
        } while (!delivery.text().equals(ended.body()));

        JsonNode parsed = NodeLiveKitSdk.verifyWebhook(livekit.apiKey(), livekit.apiSecret(), delivery.text(),
                delivery.headers().get("Authorization"));

        assertThat(parsed).isEqualTo(Twirp.JSON.readTree(delivery.body()));
        assertThat(parsed.get("event").asText()).isEqualTo("egress_ended");
        assertThat(parsed.get("room").get("name").asText()).isEqualTo("r2");
        assertThat(parsed.get("egressInfo").get("status").asText()).isEqualTo("EGRESS_COMPLETE");
        JsonNode file = parsed.get("egressInfo").get("fileResults").get(0);
        assertThat(file.get("location").asText()).isEqualTo("/out/r2/webhook.ogg");
        assertThat(file.get("duration").asText()).isEqualTo("500000000");
        assertThat(file.get("size").asText()).isEqualTo(Long.toString(Files.size(recordings.resolve("r2/webhook.ogg"))));
    }
}
