package io.livestage.testing.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.livekit.server.IngressAdmin;
import io.livekit.server.IngressServiceClient;
import io.livekit.server.RoomRecord;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitIngress.IngressAudioEncodingPreset;
import livekit.LivekitIngress.IngressAudioOptions;
import livekit.LivekitIngress.IngressInfo;
import livekit.LivekitIngress.IngressInput;
import livekit.LivekitIngress.IngressState;
import livekit.LivekitIngress.IngressVideoEncodingPreset;
import livekit.LivekitIngress.IngressVideoOptions;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official Java SDK's {@code IngressServiceClient} (protobuf Twirp) against the stub's Ingress service, and the
 * webhooks a publishing encoder causes: what a live-streaming feature sees of LiveKit ingress.
 */
class LiveKitIngressSdkTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final WebhookReceiver VERIFIER = new WebhookReceiver("devkey", "secret");
    private static final String SHORTUUID_12 = "[23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz]{12}";
    private static LiveKitStub livekit;
    private static IngressServiceClient client;
    private WebhookReceiverServer receiver;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        client = IngressServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    @BeforeEach
    void receiveWebhooks() throws Exception {
        receiver = new WebhookReceiverServer();
        livekit.notifier().addUrl(receiver.url());
    }

    @AfterEach
    void reset() {
        livekit.notifier().removeUrl(receiver.url());
        receiver.close();
        livekit.ingress().rtmpBaseUrl(LiveKitIngress.DEFAULT_RTMP_BASE_URL);
        livekit.reset();
    }

    private record Received(WebhookEvent event, JsonNode json) {
        IngressInfo info() {
            return event.getIngressInfo();
        }
    }

    private Received nextWebhook() throws Exception {
        WebhookReceiverServer.Delivery delivery = receiver.next(WAIT);
        WebhookEvent event = VERIFIER.receive(delivery.text(), delivery.headers().get("Authorization"));
        return new Received(event, Twirp.JSON.readTree(delivery.body()));
    }

    private static IngressInfo createRtmp(String name, String room, String identity) throws Exception {
        Response<IngressInfo> response = client.createIngress(name, room, identity, "Host on OBS",
                IngressInput.RTMP_INPUT).execute();
        assertThat(response.code()).as("create: %s", response.errorBody() == null ? "" : response.errorBody().string())
                .isEqualTo(200);
        return response.body();
    }

    private static void assertTwirpError(Response<?> response, int status, String code, String msg) throws Exception {
        assertThat(response.code()).isEqualTo(status);
        assertThat(Twirp.JSON.readTree(response.errorBody().string()))
                .isEqualTo(Twirp.JSON.createObjectNode().put("code", code).put("msg", msg));
    }

    @Test
    void createListUpdateAndDeleteWithoutWebhooks() throws Exception {
        IngressInfo created = createRtmp("obs", "r1", "host-obs");

        assertThat(created.getIngressId()).matches("IN_" + SHORTUUID_12);
        assertThat(created.getStreamKey()).matches(SHORTUUID_12);
        assertThat(created.getUrl()).isEqualTo("rtmp://localhost:1935/live");
        assertThat(created.getInputType()).isEqualTo(IngressInput.RTMP_INPUT);
        assertThat(created.getReusable()).isTrue();
        assertThat(created.getEnableTranscoding()).isTrue();
        assertThat(created.getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        assertThat(created.getName()).isEqualTo("obs");
        assertThat(created.getRoomName()).isEqualTo("r1");
        assertThat(created.getParticipantIdentity()).isEqualTo("host-obs");
        assertThat(created.getParticipantName()).isEqualTo("Host on OBS");
        RecordedCall call = livekit.awaitCall("CreateIngress", WAIT);
        assertThat(call.contentType()).isEqualTo("application/protobuf");
        assertThat(call.claims().video().properties()).extracting(Map.Entry::getKey).containsExactly("ingressAdmin");

        livekit.ingress().rtmpBaseUrl("rtmp://ingress.example.com/x");
        IngressAudioOptions mono = IngressAudioOptions.newBuilder().setName("mic")
                .setPreset(IngressAudioEncodingPreset.OPUS_MONO_64KBS).build();
        IngressVideoOptions fullHd = IngressVideoOptions.newBuilder()
                .setPreset(IngressVideoEncodingPreset.H264_1080P_30FPS_3_LAYERS).build();
        IngressInfo second = client.createIngress("guest", "r2", "guest-obs", null, IngressInput.RTMP_INPUT, mono,
                fullHd).execute().body();
        assertThat(second.getUrl()).isEqualTo("rtmp://ingress.example.com/x");
        assertThat(second.getAudio()).isEqualTo(mono);
        assertThat(second.getVideo()).isEqualTo(fullHd);
        assertThat(second.getStreamKey()).isNotEqualTo(created.getStreamKey());

        assertThat(client.listIngress("r1").execute().body()).containsExactly(created);
        assertThat(client.listIngress().execute().body()).containsExactly(created, second);
        // An id wins over the room, as in LiveKit's ListIngress.
        assertThat(client.listIngress("r2", created.getIngressId()).execute().body()).containsExactly(created);
        assertThat(client.listIngress("nowhere").execute().body()).isEmpty();

        IngressInfo updated = client.updateIngress(created.getIngressId(), "obs-studio", "r3").execute().body();

        assertThat(updated.getName()).isEqualTo("obs-studio");
        assertThat(updated.getRoomName()).isEqualTo("r3");
        // Empty fields keep their value; the key and URL never change (rotation is delete + create).
        assertThat(updated.getParticipantIdentity()).isEqualTo("host-obs");
        assertThat(updated.getStreamKey()).isEqualTo(created.getStreamKey());
        assertThat(updated.getUrl()).isEqualTo(created.getUrl());
        assertThat(livekit.ingress().ingress(created.getIngressId())).contains(updated);

        IngressInfo deleted = client.deleteIngress(created.getIngressId()).execute().body();

        assertThat(deleted.getIngressId()).isEqualTo(created.getIngressId());
        assertThat(deleted.getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        assertThat(client.listIngress().execute().body()).containsExactly(second);
        for (Response<?> unknown : List.of(client.deleteIngress(created.getIngressId()).execute(),
                client.updateIngress(created.getIngressId(), "x").execute(),
                client.listIngress(null, created.getIngressId()).execute())) {
            assertTwirpError(unknown, 404, "not_found", "ingress does not exist");
        }
        assertThat(livekit.notifier().events()).isEmpty();
    }

    @Test
    void aPublishingEncoderJoinsTheRoomAndIsReportedByWebhooks() throws Exception {
        String roomSid = livekit.createRoom("r1").getSid();
        IngressInfo created = createRtmp("obs", "r1", "host-obs");

        livekit.ingress().publish(created.getIngressId());

        Received joined = nextWebhook();
        assertThat(joined.event().getEvent()).isEqualTo("participant_joined");
        ParticipantInfo participant = joined.event().getParticipant();
        assertThat(participant.getIdentity()).isEqualTo("host-obs");
        assertThat(participant.getName()).isEqualTo("Host on OBS");
        assertThat(participant.getKind()).isEqualTo(ParticipantInfo.Kind.INGRESS);
        assertThat(participant.getTracksList()).extracting(track -> track.getType())
                .containsExactly(TrackType.AUDIO, TrackType.VIDEO);
        assertThat(livekit.participant("r1", "host-obs")).isPresent();

        Received started = nextWebhook();
        assertThat(started.event().getEvent()).isEqualTo("ingress_started");
        assertThat(started.json().get("room")).isEqualTo(Twirp.JSON.readTree("{\"name\":\"r1\"}"));
        IngressState state = started.info().getState();
        assertThat(state.getStatus()).isEqualTo(IngressState.Status.ENDPOINT_PUBLISHING);
        assertThat(state.getStartedAt()).isGreaterThan(1_700_000_000_000_000_000L);
        assertThat(state.getRoomId()).isEqualTo(roomSid);
        assertThat(state.getVideo().getMimeType()).isEqualTo("video/H264");
        assertThat(state.getVideo().getWidth()).isEqualTo(1280);
        assertThat(state.getVideo().getHeight()).isEqualTo(720);
        assertThat(state.getVideo().getFramerate()).isEqualTo(30.0);
        assertThat(state.getVideo().getAverageBitrate()).isEqualTo(1_900_000);
        assertThat(state.getAudio().getMimeType()).isEqualTo("audio/aac");
        assertThat(state.getAudio().getChannels()).isEqualTo(2);
        assertThat(state.getAudio().getSampleRate()).isEqualTo(48000);
        assertThat(state.getAudio().getAverageBitrate()).isEqualTo(96000);
        assertThat(state.getTracksList()).isEqualTo(participant.getTracksList());
        JsonNode infoJson = started.json().get("ingressInfo");
        // protojson omits zero values: no inputType for RTMP_INPUT.
        assertThat(infoJson.has("inputType")).isFalse();
        assertThat(infoJson.get("state").get("status").asText()).isEqualTo("ENDPOINT_PUBLISHING");
        assertThat(infoJson.get("state").get("startedAt").isTextual()).isTrue();
        assertThat(client.listIngress(null, created.getIngressId()).execute().body().getFirst().getState())
                .isEqualTo(state);

        livekit.ingress().stopPublishing(created.getIngressId());

        Received left = nextWebhook();
        assertThat(left.event().getEvent()).isEqualTo("participant_left");
        assertThat(left.event().getParticipant().getDisconnectReason()).isEqualTo(DisconnectReason.CLIENT_INITIATED);
        assertThat(livekit.participant("r1", "host-obs")).isEmpty();
        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("ingress_ended");
        assertThat(ended.info().getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        assertThat(ended.info().getState().getEndedAt()).isGreaterThanOrEqualTo(state.getStartedAt());
        assertThat(ended.json().get("ingressInfo").get("state").has("status")).isFalse();

        // Reusable: the same key publishes again; a broken session ends in ERROR.
        livekit.ingress().publish(created.getIngressId());
        assertThat(nextWebhook().event().getEvent()).isEqualTo("participant_joined");
        assertThat(nextWebhook().info().getState().getEndedAt()).isZero();
        livekit.ingress().error(created.getIngressId(), "rtmp stream broke");
        assertThat(nextWebhook().event().getEvent()).isEqualTo("participant_left");
        Received failed = nextWebhook();
        assertThat(failed.event().getEvent()).isEqualTo("ingress_ended");
        assertThat(failed.info().getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_ERROR);
        assertThat(failed.info().getState().getError()).isEqualTo("rtmp stream broke");

        // Updating an ingress in ERROR resets it to INACTIVE first (a state change: ingress_ended).
        IngressInfo reset = client.updateIngress(created.getIngressId(), "obs-again").execute().body();
        assertThat(reset.getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        Received inactive = nextWebhook();
        assertThat(inactive.event().getEvent()).isEqualTo("ingress_ended");
        assertThat(inactive.info().getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        assertThat(livekit.notifier().events()).extracting(WebhookNotifier.Notification::name).containsExactly(
                "participant_joined", "ingress_started", "participant_left", "ingress_ended", "participant_joined",
                "ingress_started", "participant_left", "ingress_ended", "ingress_ended");
    }

    @Test
    void deletingAPublishingIngressEndsTheSessionFirst() throws Exception {
        livekit.createRoom("r1");
        IngressInfo created = createRtmp("obs", "r1", "host-obs");
        livekit.ingress().publish(created.getIngressId());
        nextWebhook();
        nextWebhook();

        IngressInfo deleted = client.deleteIngress(created.getIngressId()).execute().body();

        assertThat(deleted.getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_INACTIVE);
        assertThat(nextWebhook().event().getEvent()).isEqualTo("participant_left");
        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("ingress_ended");
        assertThat(ended.info().getIngressId()).isEqualTo(created.getIngressId());
        assertThat(livekit.ingress().ingresses()).isEmpty();
        assertThat(livekit.participants("r1")).isEmpty();
    }

    @Test
    void anIngressWithoutARoomInTheStubPublishesWithoutJoining() throws Exception {
        IngressInfo created = createRtmp("obs", "not-created", "host-obs");

        IngressInfo publishing = livekit.ingress().publish(created.getIngressId());

        assertThat(publishing.getState().getStatus()).isEqualTo(IngressState.Status.ENDPOINT_PUBLISHING);
        assertThat(publishing.getState().getRoomId()).isEmpty();
        assertThat(nextWebhook().event().getEvent()).isEqualTo("ingress_started");
        assertThat(livekit.rooms()).isEmpty();
        assertThatThrownBy(() -> livekit.ingress().publish(created.getIngressId()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestsLiveKitWouldRefuseAreRefused() throws Exception {
        assertTwirpError(client.createIngress("x", "r1", null).execute(), 400, "invalid_argument",
                "invalid ingress: no participant identity");
        assertTwirpError(client.createIngress("x", "r1", "id", null, IngressInput.URL_INPUT).execute(), 400,
                "invalid_argument", "invalid ingress: missing URL parameter");
        assertTwirpError(client.createIngress("x", "r1", "id", null, IngressInput.URL_INPUT, null, null, null, null,
                "rtmp://example.com/a/b").execute(), 400, "invalid_argument", "invalid ingress: invalid url scheme rtmp");
        assertTwirpError(client.createIngress("x", "r1", "id", null, IngressInput.RTMP_INPUT, null, null, null, false)
                .execute(), 400, "invalid_argument",
                "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type");
        assertThat(livekit.ingress().ingresses()).isEmpty();

        // URL pull ingresses are not reusable: no key, and no updates.
        IngressInfo pull = client.createIngress("file", "r1", "id", null, IngressInput.URL_INPUT, null, null, null,
                null, "https://example.com/talk.mp4").execute().body();
        assertThat(pull.getReusable()).isFalse();
        assertThat(pull.getStreamKey()).isEmpty();
        assertThat(pull.getUrl()).isEqualTo("https://example.com/talk.mp4");
        assertTwirpError(client.updateIngress(pull.getIngressId(), "renamed").execute(), 400, "invalid_argument",
                "ingress is not reusable and cannot be modified");

        // WHIP: its own base URL, no transcoding unless asked.
        IngressInfo whip = client.createIngress("browser", "r1", "web", null, IngressInput.WHIP_INPUT).execute()
                .body();
        assertThat(whip.getUrl()).isEqualTo(LiveKitIngress.DEFAULT_WHIP_BASE_URL);
        assertThat(whip.getEnableTranscoding()).isFalse();
        assertThat(whip.getBypassTranscoding()).isTrue();

        // Without the ingressAdmin grant, whatever the method: LiveKit's twirpAuthError.
        String recorder = Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomRecord(true));
        for (String method : LiveKitIngress.IMPLEMENTED_METHODS) {
            Twirp.Answer answer = Twirp.post(livekit.url() + "/twirp/livekit.Ingress/" + method, "application/json",
                    "{\"input_type\":\"RTMP_INPUT\",\"participant_identity\":\"p\"}",
                    Map.of("Authorization", "Bearer " + recorder));
            assertThat(answer.status()).as(method).isEqualTo(401);
            assertThat(answer.json()).isEqualTo(Twirp.JSON.readTree(
                    "{\"code\":\"unauthenticated\",\"msg\":\"permissions denied\"}"));
        }
        assertThat(livekit.ingress().ingresses()).hasSize(2);
    }

    @Test
    void jsonClientsGetTwirpJsonAndResetForgetsIngresses() throws Exception {
        String admin = Twirp.token(livekit.apiKey(), livekit.apiSecret(), new IngressAdmin(true));
        Twirp.Answer created = Twirp.post(livekit.url() + "/twirp/livekit.Ingress/CreateIngress", "application/json",
                "{\"name\":\"obs\",\"room_name\":\"r1\",\"participant_identity\":\"host\"}",
                Map.of("Authorization", "Bearer " + admin));

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.contentType()).isEqualTo("application/json");
        assertThat(created.json().get("ingress_id").asText()).startsWith("IN_");
        assertThat(created.json().get("input_type").asText()).isEqualTo("RTMP_INPUT");
        assertThat(created.json().get("state").get("status").asText()).isEqualTo("ENDPOINT_INACTIVE");

        livekit.reset();

        assertThat(livekit.ingress().ingresses()).isEmpty();
        assertThat(LiveKitIngress.IMPLEMENTED_METHODS).containsExactly("CreateIngress", "UpdateIngress",
                "ListIngress", "DeleteIngress");
    }
}
