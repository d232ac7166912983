package io.livestage.recording.streaming;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.recording.livekit.StreamRequests;
import io.livestage.recording.streaming.model.Quality;
import io.livestage.recording.streaming.model.Restream;
import io.livestage.recording.streaming.model.StreamRow;
import io.livestage.recording.streaming.model.StreamStatus;
import io.livestage.recording.streaming.model.TargetKind;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream status made of a stored row (pure), and what the stream egress and ingress ask LiveKit for. */
class StreamStatusTest {
    private static final UUID SESSION = UUID.fromString("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    private static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");
    private static final String BASE = "http://localhost:8080/hls/" + SESSION + "/";

    private static StreamRow row(String sessionStatus, String visibility, String broadcast, Instant ended,
            StreamRow.Ingress ingress, boolean recording, List<Restream> restreams) {
        return new StreamRow(SESSION, "alice", "VIDEO", visibility, sessionStatus, STARTED, ended, 7, Quality.P1080,
                128, broadcast, null, null, null, 12, ingress, 40, 2, recording, restreams);
    }

    @Test
    void aLiveSessionWithHlsHasItsLivePlaylistItsCountsAndItsQuality() {
        StreamStatus s = StreamStatus.of(row("ACTIVE", "PUBLIC", "ACTIVE", null, null, false, List.of()), false, BASE,
                STARTED.plusSeconds(90));
        assertThat(s.status()).isEqualTo("live");
        assertThat(s.liveDurationSeconds()).isEqualTo(90);
        assertThat(s.viewerCount()).isEqualTo(40);
        assertThat(s.guestCount()).isEqualTo(2);
        assertThat(s.playbackUrl()).isEqualTo(BASE + "live.m3u8");
        assertThat(s.hls().status()).isEqualTo("live");
        assertThat(s.quality().preset()).isEqualTo("1080p");
        assertThat(s.quality().width()).isEqualTo(1920);
        assertThat(s.obs().configured()).isFalse();
        assertThat(s.targets()).as("targets are the host's").isNull();
        assertThat(s.version()).isEqualTo(7);
    }

    @Test
    void anEndedSessionIsProcessingWhileARecordingFinishesThenOfflineWithItsPlaylistAsVod() {
        Instant ended = STARTED.plusSeconds(600);
        StreamStatus processing = StreamStatus.of(row("ENDED", "PUBLIC", "ENDING", ended, null, true, List.of()),
                false, BASE, ended.plusSeconds(5));
        assertThat(processing.status()).isEqualTo("processing");
        assertThat(processing.liveDurationSeconds()).isEqualTo(600);
        StreamStatus done = StreamStatus.of(row("ENDED", "PUBLIC", "COMPLETE", ended, null, false, List.of()), false,
                BASE, ended.plusSeconds(60));
        assertThat(done.status()).isEqualTo("offline");
        assertThat(done.hls().vod()).isTrue();
        assertThat(done.playbackUrl()).isEqualTo(BASE + "index.m3u8");
    }

    @Test
    void aPrivateSessionHasNoPublicPlaybackUrl() {
        assertThat(StreamStatus.of(row("ACTIVE", "PRIVATE", "ACTIVE", null, null, false, List.of()), true, BASE,
                STARTED).playbackUrl()).isNull();
    }

    @Test
    void theHostSeesTargetsAndHealthCountsFailuresAndRetriesAndTheIngestBitrate() {
        StreamRow.Ingress obs = new StreamRow.Ingress("IN_1", "ENDPOINT_PUBLISHING", null, 3_000_000L, 96_000L, 1280,
                720, 30.0, STARTED, 1);
        List<Restream> restreams = List.of(
                new Restream(SESSION, UUID.randomUUID(), "Telegram", TargetKind.TELEGRAM, Restream.FAILED,
                        "connection refused", 2, STARTED, null, "rtmps://dc4-1.rtmp.t.me/s/{123...xyz}"),
                new Restream(SESSION, UUID.randomUUID(), "YouTube", TargetKind.YOUTUBE, Restream.ACTIVE, null, 0,
                        null, STARTED, "rtmp://a.rtmp.youtube.com/live2/{abc...xyz}"));
        StreamStatus s = StreamStatus.of(row("ACTIVE", "PUBLIC", "ACTIVE", null, obs, false, restreams), true, BASE,
                STARTED);
        assertThat(s.obs().connected()).isTrue();
        assertThat(s.obs().resolution()).isEqualTo("1280x720");
        assertThat(s.obs().videoBitrateKbps()).isEqualTo(3000);
        assertThat(s.health().ingestBitrateKbps()).isEqualTo(3096);
        assertThat(s.health().ingestErrors()).isEqualTo(1);
        assertThat(s.health().restreamRetries()).isEqualTo(2);
        assertThat(s.health().failedTargets()).isEqualTo(1);
        assertThat(s.targets()).extracting(StreamStatus.Target::status).containsExactly("FAILED", "ACTIVE");
        assertThat(s.targets().getFirst().error()).isEqualTo("connection refused");
    }

    @Test
    void theStreamEgressWritesHlsBesideTheRecordingsAndCarriesTheRestreamUrls() {
        StreamRequests.Request video = StreamRequests.of("/out", SESSION, true, Quality.P720, 128, 4,
                List.of("rtmps://dc4-1.rtmp.t.me/s/k"));
        assertThat(video.segments().getPlaylistName()).isEqualTo("/out/hls/" + SESSION + "/index.m3u8");
        assertThat(video.segments().getLivePlaylistName()).isEqualTo("/out/hls/" + SESSION + "/live.m3u8");
        assertThat(video.segments().getSegmentDuration()).isEqualTo(4);
        assertThat(video.stream().getUrlsList()).containsExactly("rtmps://dc4-1.rtmp.t.me/s/k");
        assertThat(video.preset()).isNotNull();
        StreamRequests.Request uhd = StreamRequests.of("/out", SESSION, true, Quality.P2160, 160, 4, List.of());
        assertThat(uhd.advanced().getWidth()).isEqualTo(3840);
        assertThat(uhd.advanced().getAudioBitrate()).isEqualTo(160);
        StreamRequests.Request audio = StreamRequests.of("/out", SESSION, false, Quality.P1080, 96, 4, List.of());
        assertThat(audio.audioOnly()).isTrue();
        assertThat(audio.advanced().getAudioBitrate()).isEqualTo(96);
        assertThat(audio.advanced().getAudioCodec().name()).isEqualTo("AAC");
        assertThat(StreamRequests.ingressVideo(Quality.P2160).getOptions().getLayersCount()).isEqualTo(3);
    }
}
