package io.livestage.testing.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.livekit.server.EgressServiceClient;
import io.livekit.server.RoomServiceClient;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressSourceType;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.EncodingOptions;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitModels.AudioCodec;
import livekit.LivekitWebhook.WebhookEvent;
import retrofit2.Response;

/**
 * The official Java SDK's {@code EgressServiceClient} (protobuf Twirp) against the stub's Egress service: the
 * recording-service's view of LiveKit egress, files and webhooks included.
 */
class LiveKitEgressSdkTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final WebhookReceiver VERIFIER = new WebhookReceiver("devkey", "secret");
    private static LiveKitStub livekit;
    private static EgressServiceClient client;
    private WebhookReceiverServer receiver;

    @TempDir
    Path recordings;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        client = EgressServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    /** A receiver per test, so that no test sees webhooks another one caused. */
    @BeforeEach
    void receiveWebhooksAndMountTheEgressFolder() throws Exception {
        receiver = new WebhookReceiverServer();
        livekit.notifier().addUrl(receiver.url());
        livekit.egress().mount("/out", recordings);
    }

    @AfterEach
    void reset() {
        livekit.notifier().removeUrl(receiver.url());
        receiver.close();
        livekit.reset();
    }

    private static EncodedFileOutput mp3(String filepath) {
        return EncodedFileOutput.newBuilder().setFileType(EncodedFileType.MP3).setFilepath(filepath).build();
    }

    private static EgressInfo startMp3(String room, String filepath) throws Exception {
        Response<EgressInfo> response = client.startRoomCompositeEgress(room, mp3(filepath), "", null, null, true)
                .execute();
        assertThat(response.code()).as("start: %s", response.errorBody() == null ? "" : response.errorBody().string())
                .isEqualTo(200);
        return response.body();
    }

    /** The next webhook, verified with the Java SDK's WebhookReceiver, and its raw JSON. */
    private record Received(WebhookEvent event, JsonNode json) {
    }

    private Received nextWebhook() throws Exception {
        WebhookReceiverServer.Delivery delivery = receiver.next(WAIT);
        WebhookEvent event = VERIFIER.receive(delivery.text(), delivery.headers().get("Authorization"));
        return new Received(event, Twirp.JSON.readTree(delivery.body()));
    }

    @Test
    void audioOnlyCompositeRecordsAnMp3ThatTheWebhooksDescribe() throws Exception {
        livekit.createRoom("r1");
        livekit.egress().recordedDuration(Duration.ofSeconds(3));

        EgressInfo started = startMp3("r1", "/out/{room_name}/{time}.mp3");

        assertThat(started.getEgressId()).matches("EG_[0-9A-Za-z]{12}");
        assertThat(started.getStatus()).isEqualTo(EgressStatus.EGRESS_STARTING);
        assertThat(started.getRoomName()).isEqualTo("r1");
        assertThat(started.getRoomId()).isEqualTo(livekit.room("r1").orElseThrow().getSid());
        assertThat(started.getSourceType()).isEqualTo(EgressSourceType.EGRESS_SOURCE_TYPE_SDK);
        assertThat(started.getRoomComposite().getAudioOnly()).isTrue();
        assertThat(started.getRoomComposite().getFileOutputs(0).getFilepath()).isEqualTo("/out/{room_name}/{time}.mp3");
        assertThat(started.getStartedAt()).isGreaterThan(1_700_000_000_000_000_000L);
        String filename = started.getFileResults(0).getFilename();
        assertThat(filename).matches("/out/r1/\\d{4}-\\d{2}-\\d{2}T\\d{6}\\.mp3");
        assertThat(started.getFile().getFilename()).isEqualTo(filename);

        RecordedCall call = livekit.awaitCall("StartRoomCompositeEgress", WAIT);
        assertThat(call.contentType()).isEqualTo("application/protobuf");
        assertThat(call.room()).isEqualTo("r1");
        // The SDK signs each egress call with roomRecord alone.
        assertThat(call.claims().video().properties()).extracting(Map.Entry::getKey)
                .containsExactly("roomRecord");

        Received egressStarted = nextWebhook();
        assertThat(egressStarted.event().getEvent()).isEqualTo("egress_started");
        assertThat(egressStarted.event().getEgressInfo().getStatus()).isEqualTo(EgressStatus.EGRESS_STARTING);
        assertThat(egressStarted.event().getRoom().getName()).isEqualTo("r1");
        // protojson omits the zero enum: a receiver must read a missing status as EGRESS_STARTING.
        assertThat(egressStarted.json().get("egressInfo").has("status")).isFalse();
        assertThat(egressStarted.json().get("egressInfo").get("startedAt").isTextual()).isTrue();

        Received active = nextWebhook();
        assertThat(active.event().getEvent()).isEqualTo("egress_updated");
        assertThat(active.event().getEgressInfo().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        long fileStartedAt = active.event().getEgressInfo().getFileResults(0).getStartedAt();
        assertThat(fileStartedAt).isGreaterThanOrEqualTo(started.getStartedAt());

        EgressInfo stopping = client.stopEgress(started.getEgressId()).execute().body();
        assertThat(stopping.getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        assertThat(stopping.getDetails()).isEqualTo("End reason: StopEgress API");
        assertThat(nextWebhook().event().getEgressInfo().getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);

        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("egress_ended");
        EgressInfo info = ended.event().getEgressInfo();
        assertThat(info.getStatus()).isEqualTo(EgressStatus.EGRESS_COMPLETE);
        assertThat(info.getEndedAt()).isGreaterThanOrEqualTo(info.getStartedAt());
        FileInfo file = info.getFileResults(0);
        assertThat(file.getFilename()).isEqualTo(filename);
        assertThat(file.getLocation()).isEqualTo(filename);
        assertThat(info.getFile()).isEqualTo(file);
        assertThat(file.getStartedAt()).isEqualTo(fileStartedAt);
        assertThat(file.getEndedAt() - file.getStartedAt()).isEqualTo(file.getDuration());
        assertThat(file.getDuration()).isCloseTo(3_000_000_000L, within(26_200_000L));
        JsonNode fileJson = ended.json().get("egressInfo").get("fileResults").get(0);
        assertThat(fileJson.get("size").asText()).isEqualTo(Long.toString(file.getSize()));

        Path onDisk = recordings.resolve("r1").resolve(Path.of(filename).getFileName());
        assertThat(livekit.egress().hostPath(file.getLocation())).isEqualTo(onDisk);
        assertThat(Files.size(onDisk)).isEqualTo(file.getSize());
        AudioFileStructure.Mp3 mp3 = AudioFileStructure.mp3(onDisk);
        assertThat(mp3.durationNanos()).isEqualTo(file.getDuration());
        assertThat(mp3.sampleRate()).isEqualTo(44100);
        assertThat(mp3.bitrateKbps()).isEqualTo(128);
        assertThat(mp3.frames()).isEqualTo(115);

        // The egress manifest beside the file (no disable_manifest).
        assertThat(info.getManifestLocation()).isEqualTo("/out/r1/" + info.getEgressId() + ".json");
        JsonNode manifest = Twirp.JSON.readTree(recordings.resolve("r1/" + info.getEgressId() + ".json").toFile());
        assertThat(manifest.get("files").get(0).get("location").asText()).isEqualTo(filename);

        List<EgressInfo> listed = client.listEgress(null, started.getEgressId()).execute().body();
        assertThat(listed).containsExactly(info);
    }

    @Test
    void theFileLastsAsLongAsTheEgressWasActive() throws Exception {
        livekit.createRoom("r1");
        EncodingOptions lowBitrate = EncodingOptions.newBuilder().setAudioCodec(AudioCodec.AC_MP3)
                .setAudioBitrate(64).setAudioFrequency(48000).build();
        EgressInfo started = client.startRoomCompositeEgress("r1", mp3("/out/talks/"), "", null, lowBitrate, true)
                .execute().body();
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        long activeFrom = System.nanoTime();
        Thread.sleep(400);
        client.stopEgress(started.getEgressId()).execute();
        long activeFor = System.nanoTime() - activeFrom;

        EgressInfo done = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);

        FileInfo file = done.getFileResults(0);
        assertThat(file.getFilename()).matches("/out/talks/r1-\\d{4}-\\d{2}-\\d{2}T\\d{6}\\.mp3");
        // Rounded to whole 24 ms frames; the upper bound leaves room for the wake-up after ACTIVE.
        assertThat(file.getDuration()).isBetween(400_000_000L - 12_000_000L, activeFor + 200_000_000L);
        AudioFileStructure.Mp3 mp3 = AudioFileStructure.mp3(livekit.egress().hostPath(file.getLocation()));
        assertThat(mp3.sampleRate()).isEqualTo(48000);
        assertThat(mp3.bitrateKbps()).isEqualTo(64);
        assertThat(mp3.bytes()).isEqualTo(file.getSize());
        assertThat(mp3.durationNanos()).isEqualTo(file.getDuration());
    }

    @Test
    void stoppingAnEgressThatEndedIsAFailedPrecondition() throws Exception {
        livekit.createRoom("r1");
        EgressInfo started = startMp3("r1", "/out/r1.mp3");
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        client.stopEgress(started.getEgressId()).execute();
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);

        Response<EgressInfo> again = client.stopEgress(started.getEgressId()).execute();

        assertThat(again.code()).isEqualTo(412);
        assertThat(Twirp.JSON.readTree(again.errorBody().string())).isEqualTo(Twirp.JSON.readTree(
                "{\"code\":\"failed_precondition\",\"msg\":\"egress with status EGRESS_COMPLETE cannot be stopped\"}"));
    }

    @Test
    void unknownEgressIdsAreNotFound() throws Exception {
        for (Response<?> response : List.of(client.stopEgress("EG_unknown00000").execute(),
                client.listEgress(null, "EG_unknown00000").execute(),
                client.updateLayout("EG_unknown00000", "speaker").execute())) {
            assertThat(response.code()).isEqualTo(404);
            assertThat(Twirp.JSON.readTree(response.errorBody().string())).isEqualTo(
                    Twirp.JSON.readTree("{\"code\":\"not_found\",\"msg\":\"egress does not exist\"}"));
        }
    }

    @Test
    void aRoomThatDoesNotExistCannotBeRecorded() throws Exception {
        Response<EgressInfo> response = client.startRoomCompositeEgress("nowhere", mp3("/out/x.mp3"), "", null,
                null, true).execute();

        assertThat(response.code()).isEqualTo(404);
        assertThat(response.errorBody().string()).contains("requested room does not exist");
        assertThat(livekit.egress().egresses()).isEmpty();
    }

    @Test
    void aWrongSecretIsRefusedBeforeTheEgressService() throws Exception {
        livekit.createRoom("r1");
        Response<EgressInfo> response = EgressServiceClient.createClient(livekit.url(), "devkey", "not-the-secret")
                .startRoomCompositeEgress("r1", mp3("/out/x.mp3"), "", null, null, true).execute();

        assertThat(response.code()).isEqualTo(401);
        assertThat(response.errorBody().string())
                .isEqualTo("invalid authorization token: token signature is invalid: signature is invalid");
        assertThat(livekit.egress().egresses()).isEmpty();
    }

    @Test
    void listEgressFiltersByRoomByIdAndByActivity() throws Exception {
        livekit.createRoom("r1");
        livekit.createRoom("r2");
        EgressInfo done = startMp3("r1", "/out/a.mp3");
        livekit.egress().awaitStatus(done.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        client.stopEgress(done.getEgressId()).execute();
        livekit.egress().awaitStatus(done.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);
        EgressInfo running = startMp3("r1", "/out/b.mp3");
        EgressInfo other = startMp3("r2", "/out/c.mp3");

        assertThat(ids(client.listEgress("r1").execute().body())).containsExactly(done.getEgressId(),
                running.getEgressId());
        assertThat(ids(client.listEgress("r1", null, true).execute().body())).containsExactly(running.getEgressId());
        assertThat(ids(client.listEgress().execute().body())).containsExactly(done.getEgressId(),
                running.getEgressId(), other.getEgressId());
        assertThat(ids(client.listEgress(null, null, true).execute().body())).containsExactly(running.getEgressId(),
                other.getEgressId());
        // An id wins over the other filters, as in LiveKit's IOInfoService.ListEgress.
        assertThat(ids(client.listEgress("r2", done.getEgressId(), true).execute().body()))
                .containsExactly(done.getEgressId());
        assertThat(client.listEgress("empty-room").execute().body()).isEmpty();
    }

    private static List<String> ids(List<EgressInfo> infos) {
        return infos.stream().map(EgressInfo::getEgressId).toList();
    }

    @Test
    void trackEgressWritesTheTrackAsOggOpus() throws Exception {
        String trackSid = livekit.join("r1", "u42", LiveKitStub.microphoneTrack()).getTracks(0).getSid();
        livekit.egress().recordedDuration(Duration.ofMillis(1500));
        DirectFileOutput output = DirectFileOutput.newBuilder()
                .setFilepath("/out/{room_name}/{publisher_identity}-{track_source}").build();

        EgressInfo started = client.startTrackEgress("r1", output, trackSid).execute().body();

        assertThat(started.getStatus()).isEqualTo(EgressStatus.EGRESS_STARTING);
        assertThat(started.getTrack().getTrackId()).isEqualTo(trackSid);
        assertThat(started.getSourceType()).isEqualTo(EgressSourceType.EGRESS_SOURCE_TYPE_SDK);
        // The file type follows the track's codec, known once egress subscribed to it.
        assertThat(started.getFileResults(0).getFilename()).isEqualTo("/out/r1/{publisher_identity}-{track_source}");
        EgressInfo active = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        assertThat(active.getFileResults(0).getFilename()).isEqualTo("/out/r1/u42-microphone.ogg");

        client.stopEgress(started.getEgressId()).execute();
        EgressInfo done = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);

        FileInfo file = done.getFileResults(0);
        assertThat(file.getLocation()).isEqualTo("/out/r1/u42-microphone.ogg");
        assertThat(file.getDuration()).isEqualTo(1_500_000_000L);
        Path onDisk = recordings.resolve("r1/u42-microphone.ogg");
        AudioFileStructure.OggOpus ogg = AudioFileStructure.oggOpus(onDisk);
        assertThat(ogg.bytes()).isEqualTo(file.getSize());
        assertThat(ogg.durationNanos()).isEqualTo(file.getDuration());
        assertThat(ogg.channels()).isEqualTo(2);
        assertThat(ogg.pages()).isEqualTo(2 + 2);
    }

    @Test
    void aTrackThatIsNotPublishedFailsTheEgress() throws Exception {
        livekit.join("r1", "u42");

        EgressInfo started = client.startTrackEgress("r1", DirectFileOutput.newBuilder().setFilepath("/out/t").build(),
                "TR_notpublished0").execute().body();

        EgressInfo failed = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_FAILED, WAIT);
        assertThat(failed.getError()).isEqualTo("track TR_notpublished0 not found");
        assertThat(failed.getErrorCode()).isEqualTo(404);
    }

    @Test
    void failNextEndsTheNextEgressFailedWithoutAFile() throws Exception {
        livekit.createRoom("r1");
        livekit.egress().failNext("could not connect to the room");

        EgressInfo started = startMp3("r1", "/out/failed.mp3");

        assertThat(nextWebhook().event().getEvent()).isEqualTo("egress_started");
        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("egress_ended");
        EgressInfo info = ended.event().getEgressInfo();
        assertThat(info.getEgressId()).isEqualTo(started.getEgressId());
        assertThat(info.getStatus()).isEqualTo(EgressStatus.EGRESS_FAILED);
        assertThat(info.getError()).isEqualTo("could not connect to the room");
        assertThat(info.getErrorCode()).isEqualTo(500);
        assertThat(info.getDetails()).isEqualTo("End reason: Failure");
        assertThat(info.getFileResults(0).getLocation()).isEmpty();
        assertThat(info.getFileResults(0).getSize()).isZero();
        assertThat(recordings.resolve("failed.mp3")).doesNotExist();

        // Only the next one: the following egress records normally.
        EgressInfo next = startMp3("r1", "/out/fine.mp3");
        livekit.egress().awaitStatus(next.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
    }

    @Test
    void aRunningEgressCanBeFailed() throws Exception {
        livekit.createRoom("r1");
        EgressInfo started = startMp3("r1", "/out/broken.mp3");
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);

        livekit.egress().fail(started.getEgressId(), "pipeline frozen");

        EgressInfo failed = client.listEgress(null, started.getEgressId()).execute().body().getFirst();
        assertThat(failed.getStatus()).isEqualTo(EgressStatus.EGRESS_FAILED);
        assertThat(failed.getError()).isEqualTo("pipeline frozen");
        assertThat(client.stopEgress(started.getEgressId()).execute().code()).isEqualTo(412);
        assertThat(recordings.resolve("broken.mp3")).doesNotExist();
    }

    @Test
    void aLostEgressEndedWebhookLeavesListEgressAsTheOnlyWitness() throws Exception {
        livekit.createRoom("r1");
        livekit.notifier().dropNext(LiveKitWebhooks.EGRESS_ENDED);
        EgressInfo started = startMp3("r1", "/out/lost.mp3");
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        client.stopEgress(started.getEgressId()).execute();
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);

        List<String> received = List.of(nextWebhook().event().getEvent(), nextWebhook().event().getEvent(),
                nextWebhook().event().getEvent());
        assertThat(received).containsExactly("egress_started", "egress_updated", "egress_updated");
        WebhookNotifier.Notification lost = livekit.notifier().await(LiveKitWebhooks.EGRESS_ENDED,
                event -> event.getEgressInfo().getEgressId().equals(started.getEgressId()), WAIT);
        assertThat(lost.dropped()).isTrue();
        assertThat(lost.deliveries()).isEmpty();
        assertThatThrownBy(() -> receiver.next(Duration.ofMillis(300))).hasMessageContaining("no webhook delivery");

        EgressInfo reconciled = client.listEgress("r1", started.getEgressId()).execute().body().getFirst();
        assertThat(reconciled.getStatus()).isEqualTo(EgressStatus.EGRESS_COMPLETE);
        assertThat(reconciled.getFileResults(0).getLocation()).isEqualTo("/out/lost.mp3");
        assertThat(Files.size(recordings.resolve("lost.mp3"))).isEqualTo(reconciled.getFileResults(0).getSize());
    }

    @Test
    void aHeldEgressStaysStartingAndAbortsWhenStopped() throws Exception {
        livekit.createRoom("r1");
        livekit.egress().holdNextStarting();
        EgressInfo held = startMp3("r1", "/out/held.mp3");
        EgressInfo normal = startMp3("r1", "/out/normal.mp3");

        livekit.egress().awaitStatus(normal.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        Thread.sleep(150);
        assertThat(client.listEgress(null, held.getEgressId()).execute().body().getFirst().getStatus())
                .isEqualTo(EgressStatus.EGRESS_STARTING);

        EgressInfo aborted = client.stopEgress(held.getEgressId()).execute().body();

        assertThat(aborted.getStatus()).isEqualTo(EgressStatus.EGRESS_ABORTED);
        assertThat(aborted.getError()).isEqualTo("Stop called before pipeline could start");
        assertThat(aborted.getErrorCode()).isEqualTo(412);
        WebhookNotifier.Notification ended = livekit.notifier().await(LiveKitWebhooks.EGRESS_ENDED,
                event -> event.getEgressInfo().getEgressId().equals(held.getEgressId()), WAIT);
        assertThat(ended.event().getEgressInfo().getStatus()).isEqualTo(EgressStatus.EGRESS_ABORTED);
        assertThat(recordings.resolve("held.mp3")).doesNotExist();

        livekit.egress().holdNextStarting();
        EgressInfo activated = startMp3("r1", "/out/activated.mp3");
        livekit.egress().activate(activated.getEgressId());
        assertThat(livekit.egress().egress(activated.getEgressId()).orElseThrow().getStatus())
                .isEqualTo(EgressStatus.EGRESS_ACTIVE);
    }

    @Test
    void deletingTheRoomCompletesItsEgresses() throws Exception {
        livekit.createRoom("r1");
        EgressInfo started = startMp3("r1", "/out/{room_name}.mp3");
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);

        RoomServiceClient rooms = RoomServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
        assertThat(rooms.deleteRoom("r1").execute().code()).isEqualTo(200);

        EgressInfo done = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);
        assertThat(done.getDetails()).isEqualTo("End reason: Source closed");
        assertThat(done.getFileResults(0).getLocation()).isEqualTo("/out/r1.mp3");
        assertThat(recordings.resolve("r1.mp3")).exists();
    }

    @Test
    void aPathOutsideTheMountsStaysInsideTheEgressContainer() throws Exception {
        livekit.createRoom("r1");
        livekit.egress().recordedDuration(Duration.ofMillis(100));
        EgressInfo started = startMp3("r1", "recordings/{room_name}");
        assertThat(started.getFileResults(0).getFilename()).isEqualTo("recordings/r1.mp3");
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);
        client.stopEgress(started.getEgressId()).execute();

        EgressInfo done = livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);

        // Local storage writes relative to the handler's working directory, /.
        assertThat(done.getFileResults(0).getLocation()).isEqualTo("/recordings/r1.mp3");
        assertThat(livekit.egress().containerRoot().resolve("recordings/r1.mp3")).exists();
        try (Stream<Path> files = Files.list(recordings)) {
            assertThat(files).isEmpty();
        }
    }
}
