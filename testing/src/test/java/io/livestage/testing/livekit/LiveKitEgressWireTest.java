package io.livestage.testing.livekit;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomName;
import io.livekit.server.RoomRecord;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.FileInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Egress service as a JSON Twirp client (the Node SDK, curl) sees it: encodings, grants, refusals. */
class LiveKitEgressWireTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static LiveKitStub livekit;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    @BeforeEach
    void reset() {
        livekit.reset();
        livekit.createRoom("r1");
    }

    private static String recorder() {
        return Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomRecord(true));
    }

    private static Twirp.Answer call(String method, String body, String token) {
        return Twirp.post(livekit.url() + "/twirp/livekit.Egress/" + method, "application/json", body,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    private static void assertTwirpError(Twirp.Answer answer, int status, String code, String msg) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        // Exactly application/json: the Node SDK reads error bodies only then.
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.json()).isEqualTo(Twirp.JSON.createObjectNode().put("code", code).put("msg", msg));
    }

    @Test
    void jsonRequestsGetSnakeCaseAnswersAndAudioOnlyDefaultsToOgg() throws Exception {
        Twirp.Answer started = call("StartRoomCompositeEgress",
                "{\"roomName\":\"r1\",\"audioOnly\":true,\"fileOutputs\":[{\"filepath\":\"rec/\"}]}", recorder());

        assertThat(started.status()).isEqualTo(200);
        assertThat(started.contentType()).isEqualTo("application/json");
        JsonNode info = started.json();
        String egressId = info.get("egress_id").asText();
        assertThat(info.get("status").asText()).isEqualTo("EGRESS_STARTING");
        assertThat(info.get("room_name").asText()).isEqualTo("r1");
        assertThat(info.get("source_type").asText()).isEqualTo("EGRESS_SOURCE_TYPE_SDK");
        assertThat(info.get("started_at").isTextual()).isTrue();
        assertThat(info.get("room_composite").get("audio_only").asBoolean()).isTrue();
        assertThat(info.get("file_results").get(0).get("filename").asText())
                .matches("rec/r1-\\d{4}-\\d{2}-\\d{2}T\\d{6}\\.ogg");
        RecordedCall recorded = livekit.calls("StartRoomCompositeEgress").getFirst();
        assertThat(recorded.room()).isEqualTo("r1");
        assertThat(recorded.json().get("file_outputs").get(0).get("file_type").asText()).isEqualTo("DEFAULT_FILETYPE");

        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);
        Twirp.Answer stopping = call("StopEgress", "{\"egress_id\":\"" + egressId + "\"}", recorder());
        assertThat(stopping.json().get("status").asText()).isEqualTo("EGRESS_ENDING");

        String location = livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT)
                .getFileResults(0).getLocation();
        assertThat(location).startsWith("/rec/r1-").endsWith(".ogg");
        AudioFileStructure.OggOpus ogg = AudioFileStructure.oggOpus(livekit.egress().containerRoot()
                .resolve(location.substring(1)));
        assertThat(ogg.channels()).isEqualTo(2);

        JsonNode listed = call("ListEgress", "{\"room_name\":\"r1\"}", recorder()).json();
        assertThat(listed.get("items").get(0).get("status").asText()).isEqualTo("EGRESS_COMPLETE");
        assertThat(listed.get("items").get(0).get("file_results").get(0).get("location").asText()).isEqualTo(location);
    }

    @Test
    void everyEgressMethodNeedsTheRoomRecordGrant() {
        String admin = Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomAdmin(true), new RoomName("r1"));
        String start = "{\"room_name\":\"r1\",\"audio_only\":true,\"file_outputs\":[{\"file_type\":\"MP3\"}]}";

        for (String token : new String[] { admin, null }) {
            assertTwirpError(call("StartRoomCompositeEgress", start, token), 401, "unauthenticated",
                    "permissions denied");
            assertTwirpError(call("StartTrackEgress", "{\"room_name\":\"r1\",\"track_id\":\"TR_x\"}", token), 401,
                    "unauthenticated", "permissions denied");
            assertTwirpError(call("ListEgress", "{}", token), 401, "unauthenticated", "permissions denied");
            assertTwirpError(call("StopEgress", "{\"egress_id\":\"EG_x\"}", token), 401, "unauthenticated",
                    "permissions denied");
            assertTwirpError(call("UpdateLayout", "{\"egress_id\":\"EG_x\"}", token), 401, "unauthenticated",
                    "permissions denied");
        }
        assertThat(livekit.egress().egresses()).isEmpty();
        assertThat(livekit.calls("StartRoomCompositeEgress").getFirst().claims().grant("roomAdmin")).isTrue();
    }

    @Test
    void requestsEgressWouldRefuseAreRefused() {
        String token = recorder();
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,"
                + "\"file_outputs\":[{\"file_type\":\"MP3\"},{\"file_type\":\"OGG\"}]}", token), 400,
                "invalid_argument", "request has missing or invalid field: multiple file outputs");
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true}", token), 400,
                "invalid_argument", "request has missing or invalid field: output");
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,"
                + "\"video_only\":true,\"file_outputs\":[{\"file_type\":\"MP3\"}]}", token), 400,
                "invalid_argument", "request has missing or invalid field: audio_only and video_only");
        // OGG holds Opus only (egress pkg/types CodecCompatibility); with the codec fixed egress names both.
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,"
                + "\"advanced\":{\"audio_codec\":\"AAC\"},\"file_outputs\":[{\"file_type\":\"OGG\"}]}", token), 400,
                "invalid_argument", "format audio/ogg incompatible with codec audio/aac");
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,"
                + "\"file_outputs\":[{\"file_type\":\"OGG\"}],\"segment_outputs\":[{\"playlist_name\":\"x.m3u8\"}]}",
                token), 400, "invalid_argument", "no supported codec is compatible with all outputs");
        assertTwirpError(call("StartTrackEgress", "{\"room_name\":\"r1\",\"file\":{\"filepath\":\"x\"}}", token),
                400, "invalid_argument", "request has missing or invalid field: track_id");
        assertTwirpError(call("StartTrackEgress", "{\"room_name\":\"nowhere\",\"track_id\":\"TR_x\"}", token), 404,
                "not_found", "requested room does not exist");
        assertTwirpError(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",", token), 400, "malformed",
                "the json request could not be decoded");
        assertThat(livekit.egress().egresses()).isEmpty();
    }

    @Test
    void whatTheStubDoesNotSimulateIsUnimplementedNotSilentlyIgnored() {
        String token = recorder();
        assertThat(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,\"stream_outputs\":"
                + "[{\"urls\":[\"srt://example.invalid:9000\"]}]}", token).json().get("code").asText())
                .isEqualTo("unimplemented");
        assertThat(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"image_outputs\":"
                + "[{\"capture_interval\":5}]}", token).json().get("code").asText()).isEqualTo("unimplemented");
        assertThat(call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,\"file_outputs\":"
                + "[{\"file_type\":\"MP3\",\"s3\":{\"bucket\":\"b\"}}]}", token).status()).isEqualTo(501);
        assertTwirpError(call("StartWebEgress", "{\"url\":\"https://example.invalid\"}", token), 501,
                "unimplemented", "the LiveKit stub does not implement StartWebEgress");
        assertThat(LiveKitEgress.IMPLEMENTED_METHODS).containsExactly("StartRoomCompositeEgress", "StartTrackEgress",
                "UpdateLayout", "UpdateStream", "ListEgress", "StopEgress");
        assertThat(livekit.egress().egresses()).isEmpty();
    }

    @Test
    void mp4RecordsAacAtTheRequestedFrequency() throws Exception {
        livekit.egress().recordedDuration(Duration.ofSeconds(2));
        Twirp.Answer started = call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"audio_only\":true,"
                + "\"advanced\":{\"audio_codec\":\"AAC\",\"audio_frequency\":48000},"
                + "\"file_outputs\":[{\"file_type\":\"MP4\",\"filepath\":\"/out/episode.m4a\"}]}", recorder());
        String egressId = started.json().get("egress_id").asText();
        // The extension is forced to the type's, and .m4a is not one egress knows: no .m4a file from egress.
        assertThat(started.json().get("file_results").get(0).get("filename").asText())
                .isEqualTo("/out/episode.m4a.mp4");
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);

        call("StopEgress", "{\"egress_id\":\"" + egressId + "\"}", recorder());

        FileInfo file = livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT).getFileResults(0);
        AudioFileStructure.Mp4 mp4 = AudioFileStructure.mp4(livekit.egress().hostPath(file.getLocation()));
        assertThat(mp4.sampleRate()).isEqualTo(48000);
        assertThat(mp4.durationNanos()).isEqualTo(file.getDuration()).isEqualTo(2_005_333_333L);
        assertThat(mp4.bytes()).isEqualTo(file.getSize());
    }

    @Test
    void updateLayoutAnswersTheEgressWhileItRecords() {
        String egressId = call("StartRoomCompositeEgress", "{\"room_name\":\"r1\",\"layout\":\"grid\","
                + "\"file_outputs\":[{\"file_type\":\"MP3\"}]}", recorder()).json().get("egress_id").asText();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);

        Twirp.Answer updated = call("UpdateLayout", "{\"egress_id\":\"" + egressId + "\",\"layout\":\"speaker\"}",
                recorder());

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("egress_id").asText()).isEqualTo(egressId);
        // With a layout the room is composed in Chrome: a web source.
        assertThat(updated.json().get("source_type").asText()).isEqualTo("EGRESS_SOURCE_TYPE_WEB");
        livekit.egress().fail(egressId, "chrome crashed");
        assertTwirpError(call("UpdateLayout", "{\"egress_id\":\"" + egressId + "\",\"layout\":\"grid\"}", recorder()),
                404, "not_found", "participant does not exist");
    }
}
