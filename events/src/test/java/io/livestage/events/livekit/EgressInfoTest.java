package io.livestage.events.livekit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.livestage.events.livekit.EgressInfo.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LiveKit's egress JSON (protojson: zero values omitted, int64 as strings, nanosecond times) read as EgressInfo. */
class EgressInfoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code egressInfo} of an {@code egress_ended} webhook, as LiveKit 1.x / SDK 0.13.0 print it. */
    private static final String ENDED = """
            {"egressId":"EG_hNsLgWkuVF3N","roomId":"RM_nHPUfmxXrHry","status":"EGRESS_COMPLETE",
             "roomComposite":{"roomName":"r1","audioOnly":true,"fileOutputs":[{"fileType":"MP3","filepath":"/out/r1/{time}.mp3"}]},
             "startedAt":"1771351907000000000","endedAt":"1771355507000000000","roomName":"r1",
             "fileResults":[{"filename":"/out/r1/2026-02-17T181147.mp3","startedAt":"1771351908500000000","endedAt":"1771355507000000000",
                             "size":"57600123","location":"/out/r1/2026-02-17T181147.mp3","duration":"3598500000000"}],
             "updatedAt":"1771355507000000000","sourceType":"EGRESS_SOURCE_TYPE_SDK"}""";

    /** An ACTIVE egress with stream and segment outputs (no file). */
    private static final String ACTIVE = """
            {"egressId":"EG_x","status":"EGRESS_ACTIVE","roomName":"r1",
             "streamResults":[{"url":"rtmps://dc4-1.rtmp.t.me/s/{123...xyz}","startedAt":"1771351907000000000"}],
             "segmentResults":[{"playlistName":"hls/r1/index.m3u8","size":"1234567","playlistLocation":"/out/hls/r1/index.m3u8","segmentCount":"15",
               "startedAt":"1771351907000000000","livePlaylistName":"hls/r1/live.m3u8","livePlaylistLocation":"/out/hls/r1/live.m3u8"}]}""";

    private static EgressInfo read(String json) throws Exception {
        return EgressInfo.of(JSON.readValue(json, new TypeReference<Map<String, Object>>() {
        }));
    }

    @Test
    void aCompletedEgressCarriesItsFileWithNanosecondTimesAndStringSizes() throws Exception {
        EgressInfo info = read(ENDED);

        assertThat(info.egressId()).isEqualTo("EG_hNsLgWkuVF3N");
        assertThat(info.roomId()).isEqualTo("RM_nHPUfmxXrHry");
        assertThat(info.roomName()).isEqualTo("r1");
        assertThat(info.status()).isEqualTo(Status.EGRESS_COMPLETE);
        assertThat(info.status().terminal()).isTrue();
        assertThat(info.startedAt()).isEqualTo(Instant.ofEpochSecond(1_771_351_907));
        assertThat(info.endedAt()).isEqualTo(Instant.ofEpochSecond(1_771_355_507));
        assertThat(info.updatedAt()).isEqualTo(Instant.ofEpochSecond(1_771_355_507));
        assertThat(info.request()).isEqualTo("roomComposite");
        assertThat(info.fileOutputs()).containsExactly(new EgressInfo.FileOutput("MP3", "/out/r1/{time}.mp3"));
        assertThat(info.error()).isNull();
        assertThat(info.errorCode()).isZero();

        EgressInfo.FileResult file = info.file();
        assertThat(file.filename()).isEqualTo("/out/r1/2026-02-17T181147.mp3");
        assertThat(file.location()).isEqualTo("/out/r1/2026-02-17T181147.mp3");
        assertThat(file.size()).isEqualTo(57_600_123L);
        assertThat(file.duration()).isEqualTo(Duration.ofMillis(3_598_500));
        assertThat(file.startedAt()).isEqualTo(Instant.ofEpochSecond(1_771_351_908, 500_000_000));
        assertThat(file.endedAt()).isEqualTo(Instant.ofEpochSecond(1_771_355_507));
    }

    @Test
    void anActiveEgressWithoutFilesHasNoFileResultAndNoEnd() throws Exception {
        EgressInfo info = read(ACTIVE);

        assertThat(info.status()).isEqualTo(Status.EGRESS_ACTIVE);
        assertThat(info.status().terminal()).isFalse();
        assertThat(info.startedAt()).isNull();
        assertThat(info.endedAt()).isNull();
        assertThat(info.fileResults()).isEmpty();
        assertThat(info.file()).isNull();
        assertThat(info.request()).isNull();
        assertThat(info.fileOutputs()).isEmpty();
    }

    @Test
    void anOmittedStatusIsStartingAndOmittedNumbersAreZero() throws Exception {
        EgressInfo info = read("""
                {"egressId":"EG_s","roomName":"r1","updatedAt":"1771351907000000000",
                 "roomComposite":{"roomName":"r1","audioOnly":true,"fileOutputs":[{"filepath":"r1/{time}"}]},
                 "fileResults":[{"filename":"r1/a.ogg"}]}""");

        assertThat(info.status()).isEqualTo(Status.EGRESS_STARTING);
        assertThat(info.fileOutputs()).containsExactly(new EgressInfo.FileOutput("DEFAULT_FILETYPE", "r1/{time}"));
        assertThat(info.file().size()).isZero();
        assertThat(info.file().duration()).isEqualTo(Duration.ZERO);
        assertThat(info.file().startedAt()).isNull();
    }

    @Test
    void aFailedEgressCarriesLiveKitsError() throws Exception {
        EgressInfo info = read("""
                {"egressId":"EG_f","roomName":"r1","status":"EGRESS_FAILED","error":"pipeline error","errorCode":500,
                 "details":"end reason: error","track":{"roomName":"r1","trackId":"TR_1","file":{"filepath":"/out/t.ogg"}}}""");

        assertThat(info.status()).isEqualTo(Status.EGRESS_FAILED);
        assertThat(info.error()).isEqualTo("pipeline error");
        assertThat(info.errorCode()).isEqualTo(500);
        assertThat(info.details()).isEqualTo("end reason: error");
        assertThat(info.request()).isEqualTo("track");
        assertThat(info.fileOutputs()).containsExactly(new EgressInfo.FileOutput("DEFAULT_FILETYPE", "/out/t.ogg"));
    }

    @Test
    void numbersWrittenAsJsonNumbersAndEnumNumbersAreReadToo() throws Exception {
        EgressInfo info = read("""
                {"egressId":"EG_n","status":5,"endedAt":1771355507000000000,
                 "fileResults":[{"size":42,"duration":1000000000}]}""");

        assertThat(info.status()).isEqualTo(Status.EGRESS_ABORTED);
        assertThat(info.endedAt()).isEqualTo(Instant.ofEpochSecond(1_771_355_507));
        assertThat(info.file().size()).isEqualTo(42);
        assertThat(info.file().duration()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void valuesThatAreNotLiveKitsAreRefused() {
        assertThatThrownBy(() -> read("{\"egressId\":\"EG_1\",\"status\":\"EGRESS_PAUSED\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"egressId\":\"EG_1\",\"fileResults\":[{\"size\":\"big\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> EgressInfo.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamAndSegmentResultsAreRead() throws Exception {
        EgressInfo info = read(ACTIVE);
        assertThat(info.streamResults()).singleElement().satisfies(stream -> {
            assertThat(stream.url()).isEqualTo("rtmps://dc4-1.rtmp.t.me/s/{123...xyz}");
            assertThat(stream.status()).isEqualTo(EgressInfo.StreamStatus.ACTIVE);
            assertThat(stream.startedAt()).isEqualTo(Instant.ofEpochSecond(1771351907));
        });
        assertThat(info.segmentResults()).singleElement().satisfies(segments -> {
            assertThat(segments.livePlaylistName()).isEqualTo("hls/r1/live.m3u8");
            assertThat(segments.playlistLocation()).isEqualTo("/out/hls/r1/index.m3u8");
            assertThat(segments.segmentCount()).isEqualTo(15);
            assertThat(segments.size()).isEqualTo(1234567);
        });
    }

    @Test
    void aFailedStreamCarriesItsErrorAndRetries() throws Exception {
        EgressInfo info = read("""
                {"egressId":"EG_x","status":"EGRESS_ACTIVE","streamResults":[{"url":"rtmp://a/b/{k...y}",
                 "status":"FAILED","error":"connection refused","retries":3,"lastRetryAt":"1771351908000000000"}]}""");
        assertThat(info.streamResults().getFirst().status()).isEqualTo(EgressInfo.StreamStatus.FAILED);
        assertThat(info.streamResults().getFirst().error()).isEqualTo("connection refused");
        assertThat(info.streamResults().getFirst().retries()).isEqualTo(3);
    }

    @Test
    void anIngressWebhookIsReadWithoutItsStreamKeyAndOmittedStatusIsInactive() throws Exception {
        IngressInfo publishing = IngressInfo.of(JSON.readValue("""
                {"ingressId":"IN_Dx9mQ7aLkP2e","name":"obs","streamKey":"Vb3kF8sQ2wXz","url":"rtmp://ingress.example.com/x",
                 "roomName":"r1","participantIdentity":"host-obs","reusable":true,
                 "state":{"status":"ENDPOINT_PUBLISHING","roomId":"RM_n","startedAt":"1771351907000000000",
                   "video":{"mimeType":"video/h264","averageBitrate":3000000,"width":1280,"height":720,"framerate":30.0},
                   "audio":{"mimeType":"audio/opus","averageBitrate":96000,"channels":2,"sampleRate":48000}}}""",
                new TypeReference<Map<String, Object>>() {
                }));
        assertThat(publishing.publishing()).isTrue();
        assertThat(publishing.video().width()).isEqualTo(1280);
        assertThat(publishing.video().averageBitrate()).isEqualTo(3_000_000);
        assertThat(publishing.audio().sampleRate()).isEqualTo(48000);
        assertThat(publishing.toString()).doesNotContain("Vb3kF8sQ2wXz");
        IngressInfo idle = IngressInfo.of(Map.of("ingressId", "IN_1", "state", Map.of()));
        assertThat(idle.status()).isEqualTo(IngressInfo.Status.ENDPOINT_INACTIVE);
        assertThat(idle.publishing()).isFalse();
        assertThat(idle.video()).isNull();
    }
}
