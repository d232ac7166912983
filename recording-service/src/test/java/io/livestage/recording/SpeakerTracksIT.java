package io.livestage.recording;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.specification.RequestSpecification;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.TrackEgressRequest;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-speaker tracks as a black box: session-service, token-service (LiveKit rooms, webhooks in) and recording-service
 * as processes on real Kafka and PostgreSQL; LiveKit is the contract stub, whose track egress writes real Ogg Opus
 * files into the folder mounted at {@code /out}. Speakers' {@code track_published} webhooks go to token-service, which
 * publishes them on livestage.livekit, as LiveKit's would.
 */
class SpeakerTracksIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path recordings;

    private static RecordingStack stack;
    private static LiveKitStub livekit;
    private static ServiceProcess tokens;
    private static EventProbe events;

    @BeforeAll
    static void start() throws Exception {
        stack = RecordingStack.start(recordings, Map.of("LIVESTAGE_RECORDING_RECONCILE_EVERY", "1s"),
                Topics.RECORDING);
        livekit = stack.livekit();
        tokens = stack.tokens();
        events = stack.events();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static RequestSpecification sessionApi(String user) {
        return stack.sessionApi(user);
    }

    private static RequestSpecification recordingApi(String user) {
        return stack.recordingApi(user);
    }

    private static String user(String role) {
        return RecordingStack.user("trk", role);
    }

    /** A live AUDIO session of {@code host} with speaker tracks on and recording as given. */
    private static String liveSession(String host, boolean recordingEnabled) {
        String id = sessionApi(host).body(Map.of("title", "Podcast", "kind", "AUDIO", "visibility", "PUBLIC",
                "settings", Map.of("recordingEnabled", recordingEnabled, "speakerTracks", true)))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        return id;
    }

    /** {@code identity} joins the LiveKit room with a microphone and LiveKit reports the track (as its webhook does). */
    private static TrackInfo speak(String session, String identity, String name, ParticipantInfo.Kind kind) {
        ParticipantInfo participant = livekit.join(session, ParticipantInfo.newBuilder().setIdentity(identity)
                .setName(name).setKind(kind).addTracks(LiveKitStub.microphoneTrack()).build());
        TrackInfo mic = participant.getTracks(0);
        webhook(LiveKitWebhooks.trackPublished(room(session), participant, mic));
        return mic;
    }

    private static void webhook(WebhookEvent event) {
        assertThat(livekit.sendWebhook(tokens.url() + "/webhooks/livekit", event)).isEqualTo(200);
    }

    private static Room room(String session) {
        return livekit.room(session).orElseThrow();
    }

    private static JsonNode recordingsOf(String session, String user) {
        Awaitility.await().atMost(WAIT).until(() -> recordingApi(user).get("/api/sessions/" + session + "/recordings")
                .statusCode() == 200);
        return recordingApi(user).get("/api/sessions/" + session + "/recordings").then().statusCode(200).extract()
                .as(JsonNode.class);
    }

    private static List<JsonNode> tracksOf(String session, String user) {
        List<JsonNode> tracks = new ArrayList<>();
        JsonNode list = recordingsOf(session, user);
        if (list.size() > 0) {
            list.get(0).path("tracks").forEach(tracks::add);
        }
        return tracks;
    }

    private static List<RecordedCall> trackStarts(String session) {
        return livekit.calls("StartTrackEgress").stream().filter(c -> c.succeeded() && session.equals(c.room()))
                .toList();
    }

    @Test
    void threeSpeakersAreRecordedToATrackEachThatIsListedWithTheRecording() throws Exception {
        String host = user("host");
        String id = liveSession(host, true);
        livekit.awaitCall("StartRoomCompositeEgress", c -> c.succeeded() && id.equals(c.room()), WAIT);

        TrackInfo hostMic = speak(id, host, "Host", ParticipantInfo.Kind.STANDARD);
        TrackInfo cohostMic = speak(id, "cohost-1", "Cohost One", ParticipantInfo.Kind.STANDARD);
        TrackInfo guestMic = speak(id, "guest-1", "Guest One", ParticipantInfo.Kind.STANDARD);
        // not speakers: LiveKit's own recorder publishing audio, and a camera
        speak(id, "EG_recorder", "", ParticipantInfo.Kind.EGRESS);
        ParticipantInfo withCamera = livekit.join(id, "camera-only", LiveKitStub.cameraTrack());
        webhook(LiveKitWebhooks.trackPublished(room(id), withCamera, withCamera.getTracks(0)));

        Awaitility.await().atMost(WAIT).until(() -> trackStarts(id).size() >= 3);
        List<RecordedCall> starts = trackStarts(id);
        assertThat(starts).extracting(c -> c.request(TrackEgressRequest.class).getTrackId())
                .containsExactlyInAnyOrder(hostMic.getSid(), cohostMic.getSid(), guestMic.getSid());
        for (RecordedCall start : starts) {
            TrackEgressRequest request = start.request(TrackEgressRequest.class);
            assertThat(request.getFile().getFilepath()).matches("/out/" + id + "/[0-9a-f-]{36}-track-"
                    + request.getTrackId() + "-\\{time\\}\\.ogg");
            assertThat(start.claims().grant("roomRecord")).isTrue();
        }

        Awaitility.await().atMost(WAIT).until(() -> tracksOf(id, host).stream()
                .filter(t -> "ACTIVE".equals(t.path("status").asText())).count() == 3);

        // the guest stops publishing: its track ends on its own, the others go on
        webhook(LiveKitWebhooks.trackUnpublished(room(id), livekit.participant(id, "guest-1").orElseThrow(),
                guestMic));
        Awaitility.await().atMost(WAIT).until(() -> tracksOf(id, host).stream().anyMatch(t -> "guest-1".equals(
                t.path("participantIdentity").asText()) && "COMPLETE".equals(t.path("status").asText())));
        assertThat(tracksOf(id, host)).filteredOn(t -> !"guest-1".equals(t.path("participantIdentity").asText()))
                .allMatch(t -> "ACTIVE".equals(t.path("status").asText()));

        sessionApi(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        Awaitility.await().atMost(WAIT).until(() -> tracksOf(id, host).stream()
                .allMatch(t -> "COMPLETE".equals(t.path("status").asText())));

        JsonNode recorded = recordingsOf(id, host).get(0);
        assertThat(recorded.path("outputs")).hasSize(1);
        List<JsonNode> tracks = tracksOf(id, host);
        assertThat(tracks).extracting(t -> t.path("participantIdentity").asText())
                .containsExactlyInAnyOrder(host, "cohost-1", "guest-1");
        assertThat(tracks).extracting(t -> t.path("participantName").asText())
                .containsExactlyInAnyOrder("Host", "Cohost One", "Guest One");
        for (JsonNode track : tracks) {
            assertThat(track.path("mimeType").asText()).isEqualTo("audio/ogg");
            assertThat(track.path("egressId").asText()).startsWith("EG_");
            String location = track.path("location").asText();
            assertThat(location).startsWith("/out/" + id + "/" + recorded.path("id").asText() + "-track-"
                    + track.path("trackSid").asText() + "-").endsWith(".ogg");
            Path file = livekit.egress().hostPath(location);
            assertThat(Files.size(file)).isEqualTo(track.path("sizeBytes").asLong()).isPositive();
            assertThat(track.path("durationMillis").asLong()).isPositive();
            assertThat(Arrays.copyOf(Files.readAllBytes(file), 4)).as("an Ogg file")
                    .isEqualTo("OggS".getBytes(StandardCharsets.US_ASCII));
            EgressStatus status = livekit.egress().egress(track.path("egressId").asText()).orElseThrow().getStatus();
            assertThat(status).isEqualTo(EgressStatus.EGRESS_COMPLETE);
        }
        assertThat(trackStarts(id)).as("the recorder's audio and the camera are not speaker tracks").hasSize(3);
        // the recording.* events are the composite file's: one MP3, no per-track event
        events.await(e -> "recording.completed".equals(e.type()) && id.equals(e.subject()), WAIT);
        events.assertNone(e -> id.equals(e.subject()) && !"MP3".equals(e.json().path("format").asText()),
                Duration.ofSeconds(1));
    }

    @Test
    void aRecordingStartedWhileSpeakersTalkRecordsTheMicrophonesAlreadyPublished() {
        String host = user("host");
        String id = liveSession(host, false);
        Awaitility.await().atMost(WAIT).until(() -> livekit.room(id).isPresent());
        assertThat(recordingsOf(id, host)).as("recording-service knows the session, nothing recorded").isEmpty();
        TrackInfo hostMic = speak(id, host, "Host", ParticipantInfo.Kind.STANDARD);
        TrackInfo guestMic = speak(id, "guest-2", "Guest Two", ParticipantInfo.Kind.STANDARD);
        assertThat(trackStarts(id)).as("nothing is recording yet").isEmpty();

        Awaitility.await().atMost(WAIT).until(() -> recordingApi(host).post("/api/sessions/" + id + "/recordings")
                .statusCode() == 202);
        Awaitility.await().atMost(WAIT).until(() -> trackStarts(id).size() >= 2);
        assertThat(trackStarts(id)).extracting(c -> c.request(TrackEgressRequest.class).getTrackId())
                .containsExactlyInAnyOrder(hostMic.getSid(), guestMic.getSid());

        sessionApi(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        Awaitility.await().atMost(WAIT).until(() -> tracksOf(id, host).size() == 2 && tracksOf(id, host).stream()
                .allMatch(t -> "COMPLETE".equals(t.path("status").asText())));
    }
}
