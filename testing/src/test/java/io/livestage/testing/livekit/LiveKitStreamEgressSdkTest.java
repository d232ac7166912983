package io.livestage.testing.livekit;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.livekit.server.EgressServiceClient;
import io.livekit.server.EncodedOutputs;
import io.livekit.server.WebhookReceiver;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.SegmentedFileOutput;
import livekit.LivekitEgress.SegmentsInfo;
import livekit.LivekitEgress.StreamInfo;
import livekit.LivekitEgress.StreamOutput;
import livekit.LivekitEgress.StreamProtocol;
import livekit.LivekitEgress.UpdateStreamRequest;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retrofit2.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * The official Java SDK's {@code EgressServiceClient} against the stub's live outputs: HLS segments and playlists
 * written to the mounted volume, RTMP stream results with redacted keys, {@code UpdateStream}, stream failures, the
 * codec rule that keeps OGG apart from HLS and RTMP, and silenced webhooks.
 */
class LiveKitStreamEgressSdkTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final WebhookReceiver VERIFIER = new WebhookReceiver("devkey", "secret");
    private static final String TELEGRAM = "rtmps://dc4-1.rtmp.t.me/s/1234567890:AbCdEfGhIj";
    private static final String TELEGRAM_REDACTED = "rtmps://dc4-1.rtmp.t.me/s/{123...hIj}";
    private static final String YOUTUBE = "rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop";
    private static final String YOUTUBE_REDACTED = "rtmp://a.rtmp.youtube.com/live2/{abc...nop}";
    private static LiveKitStub livekit;
    private static EgressServiceClient client;
    private WebhookReceiverServer receiver;

    @TempDir
    Path volume;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        client = EgressServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    @BeforeEach
    void receiveWebhooksAndMountTheVolume() throws Exception {
        receiver = new WebhookReceiverServer();
        livekit.notifier().addUrl(receiver.url());
        livekit.egress().mount("/out", volume);
        livekit.createRoom("r1");
    }

    @AfterEach
    void reset() {
        livekit.notifier().removeUrl(receiver.url());
        receiver.close();
        livekit.reset();
    }

    private record Received(WebhookEvent event, JsonNode json, String body) {
        EgressInfo info() {
            return event.getEgressInfo();
        }
    }

    private Received nextWebhook() throws Exception {
        WebhookReceiverServer.Delivery delivery = receiver.next(WAIT);
        WebhookEvent event = VERIFIER.receive(delivery.text(), delivery.headers().get("Authorization"));
        return new Received(event, Twirp.JSON.readTree(delivery.body()), delivery.text());
    }

    private static SegmentedFileOutput hls(int segmentDuration) {
        return SegmentedFileOutput.newBuilder().setFilenamePrefix("/out/hls/{room_name}/seg")
                .setPlaylistName("/out/hls/{room_name}/index.m3u8").setLivePlaylistName("live.m3u8")
                .setSegmentDuration(segmentDuration).build();
    }

    private static StreamOutput rtmp(String... urls) {
        return StreamOutput.newBuilder().setProtocol(StreamProtocol.RTMP).addAllUrls(List.of(urls)).build();
    }

    private static EncodedFileOutput file(EncodedFileType type, String filepath) {
        return EncodedFileOutput.newBuilder().setFileType(type).setFilepath(filepath).build();
    }

    private static EgressInfo start(EncodedOutputs outputs) throws Exception {
        Response<EgressInfo> response = client.startRoomCompositeEgress("r1", outputs, "", null, null, true)
                .execute();
        assertThat(response.code()).as("start: %s", response.errorBody() == null ? "" : response.errorBody().string())
                .isEqualTo(200);
        return response.body();
    }

    private static EgressInfo awaitInfo(String egressId, Predicate<EgressInfo> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            EgressInfo info = livekit.egress().egress(egressId).orElseThrow();
            if (condition.test(info)) {
                return info;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(egressId + " did not reach " + what + " within " + WAIT + ": " + info);
            }
            Thread.sleep(20);
        }
    }

    // --------------------------------------------------------------------------------------------------------------
    // HLS

    @Test
    void hlsSegmentsArePlayableTransportStreamsListedInEventAndLivePlaylists() throws Exception {
        livekit.egress().segmentInterval(Duration.ofMillis(150));

        EgressInfo started = client.startRoomCompositeEgress("r1", hls(2), "", null, null, true).execute().body();

        SegmentsInfo planned = started.getSegmentResults(0);
        assertThat(planned.getPlaylistName()).isEqualTo("/out/hls/r1/index.m3u8");
        // The live playlist lives beside the main one (output_segment.go).
        assertThat(planned.getLivePlaylistName()).isEqualTo("/out/hls/r1/live.m3u8");
        assertThat(planned.getSegmentCount()).isZero();
        assertThat(started.getSegments()).isEqualTo(planned);
        assertThat(started.getFileResultsCount()).isZero();
        String egressId = started.getEgressId();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);
        EgressInfo running = awaitInfo(egressId, info -> info.getSegmentResults(0).getSegmentCount() >= 7,
                "7 segments");
        assertThat(running.getSegmentResults(0).getPlaylistLocation()).isEqualTo("/out/hls/r1/index.m3u8");
        assertThat(running.getSegmentResults(0).getLivePlaylistLocation()).isEqualTo("/out/hls/r1/live.m3u8");

        Path dir = volume.resolve("hls/r1");
        Playlist live = Playlist.parse(Files.readString(dir.resolve("live.m3u8")));
        assertThat(live.header()).containsExactly("#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-ALLOW-CACHE:NO",
                "#EXT-X-TARGETDURATION:2", "#EXT-X-MEDIA-SEQUENCE:" + live.mediaSequence());
        assertThat(live.segments()).hasSize(5);
        assertThat(live.mediaSequence()).isGreaterThanOrEqualTo(2);
        assertThat(live.segments().getFirst().name()).isEqualTo(String.format("seg_%05d.ts", live.mediaSequence()));
        assertThat(live.ended()).isFalse();

        client.stopEgress(egressId).execute();
        EgressInfo done = livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT);

        Playlist main = Playlist.parse(Files.readString(dir.resolve("index.m3u8")));
        assertThat(main.header()).containsExactly("#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-PLAYLIST-TYPE:EVENT",
                "#EXT-X-ALLOW-CACHE:NO", "#EXT-X-TARGETDURATION:2", "#EXT-X-MEDIA-SEQUENCE:0");
        assertThat(main.ended()).isTrue();
        SegmentsInfo result = done.getSegmentResults(0);
        assertThat(main.segments()).hasSize((int) result.getSegmentCount());
        long size = 0;
        long playing = 0;
        Instant expectedStart = Instant.ofEpochSecond(0, result.getStartedAt());
        for (int i = 0; i < main.segments().size(); i++) {
            Segment segment = main.segments().get(i);
            assertThat(segment.name()).isEqualTo(String.format("seg_%05d.ts", i));
            // Every segment but the last (cut by the stop) lasts the requested 2 s, to the AAC frame.
            if (i < main.segments().size() - 1) {
                assertThat(segment.seconds()).isCloseTo(2.0, within(0.03));
            }
            assertThat(segment.seconds()).isPositive().isLessThanOrEqualTo(2.03);
            // Milliseconds in the playlist, EXTINF to the millisecond: a few ms of rounding at most.
            assertThat(segment.programDateTime()).isCloseTo(expectedStart, within(3, ChronoUnit.MILLIS));
            expectedStart = segment.programDateTime().plusNanos((long) (segment.seconds() * 1e9));
            byte[] ts = Files.readAllBytes(dir.resolve(segment.name()));
            assertTransportStream(ts, segment.seconds());
            size += ts.length;
            playing += Math.round(segment.seconds() * 1e9);
        }
        assertThat(result.getSize()).isEqualTo(size);
        assertThat(result.getDuration()).isCloseTo(playing, within(1_000_000L * main.segments().size()));
        assertThat(result.getEndedAt() - result.getStartedAt()).isEqualTo(result.getDuration());

        Playlist finalLive = Playlist.parse(Files.readString(dir.resolve("live.m3u8")));
        assertThat(finalLive.ended()).isTrue();
        assertThat(finalLive.segments()).isEqualTo(main.segments().subList(main.segments().size() - 5,
                main.segments().size()));
        assertThat(finalLive.mediaSequence()).isEqualTo(main.segments().size() - 5);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .allMatch(name -> name.matches("seg_\\d{5}\\.ts|index\\.m3u8|live\\.m3u8"));
        }

        // egress_started, egress_updated (ACTIVE), egress_updated (ENDING), egress_ended with the results.
        assertThat(nextWebhook().event().getEvent()).isEqualTo("egress_started");
        assertThat(nextWebhook().info().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        assertThat(nextWebhook().info().getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("egress_ended");
        assertThat(ended.info().getSegmentResults(0)).isEqualTo(result);
        JsonNode segmentsJson = ended.json().get("egressInfo").get("segmentResults").get(0);
        assertThat(segmentsJson.get("segmentCount").asText()).isEqualTo(Long.toString(result.getSegmentCount()));
        assertThat(segmentsJson.get("livePlaylistLocation").asText()).isEqualTo("/out/hls/r1/live.m3u8");
    }

    /** 188-byte packets with the sync byte, a PAT, a PMT with one ADTS AAC stream, then audio PES packets. */
    private static void assertTransportStream(byte[] ts, double seconds) {
        assertThat(ts.length % 188).as("whole 188-byte packets").isZero();
        for (int offset = 0; offset < ts.length; offset += 188) {
            assertThat(ts[offset]).as("sync byte at %d", offset).isEqualTo((byte) 0x47);
        }
        assertThat(pid(ts, 0)).as("PAT first").isZero();
        int pmtPid = ((ts[4 + 1 + 10] & 0x1F) << 8) | (ts[4 + 1 + 11] & 0xFF);
        assertThat(crcOk(ts, 4 + 1, 12)).as("PAT CRC").isTrue();
        assertThat(pid(ts, 188)).isEqualTo(pmtPid);
        int pmt = 188 + 4 + 1;
        assertThat(ts[pmt]).as("PMT table id").isEqualTo((byte) 0x02);
        assertThat(ts[pmt + 12]).as("stream_type ADTS AAC").isEqualTo((byte) 0x0F);
        int audioPid = ((ts[pmt + 13] & 0x1F) << 8) | (ts[pmt + 14] & 0xFF);
        assertThat(crcOk(ts, pmt, 17)).as("PMT CRC").isTrue();
        int adtsFrames = 0;
        for (int offset = 376; offset < ts.length; offset += 188) {
            assertThat(pid(ts, offset)).isEqualTo(audioPid);
            for (int i = offset + 4; i < offset + 187; i++) {
                if ((ts[i] & 0xFF) == 0xFF && (ts[i + 1] & 0xFF) == 0xF1) {
                    adtsFrames++;
                }
            }
        }
        // AAC frames of 1024 samples at 44.1 kHz.
        assertThat(adtsFrames * 1024 / 44100.0).isCloseTo(seconds, within(0.001));
    }

    private static int pid(byte[] ts, int offset) {
        return ((ts[offset + 1] & 0x1F) << 8) | (ts[offset + 2] & 0xFF);
    }

    private static boolean crcOk(byte[] ts, int from, int length) {
        byte[] section = Arrays.copyOfRange(ts, from, from + length);
        return ByteBuffer.wrap(ts, from + length, 4).getInt() == SilentMpegTs.crc32(section);
    }

    private record Segment(Instant programDateTime, double seconds, String name) {
    }

    private record Playlist(List<String> header, List<Segment> segments, boolean ended) {
        long mediaSequence() {
            return header.stream().filter(line -> line.startsWith("#EXT-X-MEDIA-SEQUENCE:"))
                    .mapToLong(line -> Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()))).findFirst()
                    .orElseThrow();
        }

        static Playlist parse(String text) {
            assertThat(text).endsWith("\n");
            List<String> lines = List.of(text.split("\n"));
            List<String> header = new ArrayList<>();
            List<Segment> segments = new ArrayList<>();
            boolean ended = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                    Instant at = Instant.parse(line.substring("#EXT-X-PROGRAM-DATE-TIME:".length()));
                    String extinf = lines.get(++i);
                    assertThat(extinf).matches("#EXTINF:\\d+\\.\\d{3},");
                    double seconds = Double.parseDouble(extinf.substring("#EXTINF:".length(), extinf.length() - 1));
                    String name = lines.get(++i);
                    assertThat(name).as("relative segment name").doesNotContain("/").doesNotStartWith("#");
                    segments.add(new Segment(at, seconds, name));
                } else if (line.equals("#EXT-X-ENDLIST")) {
                    assertThat(i).as("ENDLIST last").isEqualTo(lines.size() - 1);
                    ended = true;
                } else {
                    assertThat(segments).as("header lines come first: %s", line).isEmpty();
                    header.add(line);
                }
            }
            return new Playlist(header, segments, ended);
        }
    }

    // --------------------------------------------------------------------------------------------------------------
    // RTMP streams

    @Test
    void streamKeysAreRedactedAndUpdateStreamAddsAndRemovesByFullUrl() throws Exception {
        EgressInfo started = start(new EncodedOutputs(file(EncodedFileType.MP4, "/out/{room_name}.mp4"),
                rtmp(TELEGRAM), null, null));
        String egressId = started.getEgressId();

        assertThat(started.getStreamResultsList()).extracting(StreamInfo::getUrl).containsExactly(TELEGRAM_REDACTED);
        assertThat(started.getStreamResults(0).getStartedAt()).isZero();
        assertThat(started.getRoomComposite().getStreamOutputs(0).getUrlsList()).containsExactly(TELEGRAM_REDACTED);
        // Several kinds of output: no deprecated single result.
        assertThat(started.getResultCase()).isEqualTo(EgressInfo.ResultCase.RESULT_NOT_SET);
        assertThat(nextWebhook().body()).doesNotContain("AbCdEfGh");
        Received active = nextWebhook();
        assertThat(active.info().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        assertThat(active.info().getStreamResults(0).getStartedAt()).isPositive();
        // protojson omits the ACTIVE (0) stream status.
        assertThat(active.json().get("egressInfo").get("streamResults").get(0).has("status")).isFalse();
        assertThat(active.body()).doesNotContain("AbCdEfGh");

        EgressInfo added = client.updateStream(egressId, List.of(YOUTUBE), List.of()).execute().body();

        assertThat(added.getStreamResultsList()).extracting(StreamInfo::getUrl).containsExactly(TELEGRAM_REDACTED,
                YOUTUBE_REDACTED);
        assertThat(added.getStreamResults(1).getStatus()).isEqualTo(StreamInfo.Status.ACTIVE);
        assertThat(added.getStreamResults(1).getStartedAt()).isPositive();
        assertThat(livekit.egress().streamUrls(egressId)).containsExactly(TELEGRAM, YOUTUBE);
        assertThat(livekit.awaitCall("UpdateStream", WAIT).request(UpdateStreamRequest.class).getAddOutputUrlsList())
                .containsExactly(YOUTUBE);
        Received afterAdd = nextWebhook();
        assertThat(afterAdd.event().getEvent()).isEqualTo("egress_updated");
        assertThat(afterAdd.info().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        assertThat(afterAdd.info().getStreamResultsCount()).isEqualTo(2);

        // The redacted URL is not the stream's URL: egress looks streams up by the full one.
        Response<EgressInfo> redacted = client.updateStream(egressId, List.of(), List.of(TELEGRAM_REDACTED)).execute();
        assertThat(redacted.code()).isEqualTo(404);
        assertThat(Twirp.JSON.readTree(redacted.errorBody().string())).isEqualTo(Twirp.JSON.createObjectNode()
                .put("code", "not_found").put("msg", "stream " + TELEGRAM_REDACTED + " not found"));
        assertThat(nextWebhook().info().getStreamResultsCount()).isEqualTo(2);

        EgressInfo removed = client.updateStream(egressId, List.of(), List.of(TELEGRAM)).execute().body();

        StreamInfo finished = removed.getStreamResults(0);
        assertThat(finished.getStatus()).isEqualTo(StreamInfo.Status.FINISHED);
        assertThat(finished.getEndedAt()).isGreaterThan(finished.getStartedAt());
        assertThat(finished.getDuration()).isEqualTo(finished.getEndedAt() - finished.getStartedAt());
        assertThat(removed.getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        assertThat(livekit.egress().streamUrls(egressId)).containsExactly(YOUTUBE);
        assertThat(nextWebhook().info().getStreamResults(0).getStatus()).isEqualTo(StreamInfo.Status.FINISHED);

        Response<EgressInfo> invalid = client.updateStream(egressId, List.of("rtmp://host/only-an-app",
                "https://example.com/a/b"), List.of()).execute();
        assertThat(invalid.code()).isEqualTo(400);
        assertThat(Twirp.JSON.readTree(invalid.errorBody().string()).get("msg").asText()).isEqualTo(
                "invalid url rtmp://host/only-an-app: rtmp urls must be of format "
                        + "rtmp(s)://{host}(/{path})/{app}/{stream_key}( live=1)\n"
                        + "invalid url https://example.com/a/b: invalid scheme");
        nextWebhook();

        client.stopEgress(egressId).execute();
        EgressInfo done = livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT);
        StreamInfo youtube = done.getStreamResults(1);
        assertThat(youtube.getStatus()).isEqualTo(StreamInfo.Status.FINISHED);
        assertThat(youtube.getDuration()).isPositive();
        assertThat(done.getFileResults(0).getLocation()).isEqualTo("/out/r1.mp4");

        Response<EgressInfo> late = client.updateStream(egressId, List.of(YOUTUBE), List.of()).execute();
        assertThat(late.code()).isEqualTo(412);
        assertThat(Twirp.JSON.readTree(late.errorBody().string())).isEqualTo(Twirp.JSON.createObjectNode()
                .put("code", "failed_precondition").put("msg", "egress with status EGRESS_COMPLETE cannot be updated"));
    }

    @Test
    void removingTheLastStreamOfAStreamOnlyEgressEndsIt() throws Exception {
        EgressInfo started = client.startRoomCompositeEgress("r1", rtmp(TELEGRAM), "", null, null, true).execute()
                .body();
        String egressId = started.getEgressId();
        // The only kind of output: the deprecated single result mirrors it.
        assertThat(started.getStream().getInfoList()).isEqualTo(started.getStreamResultsList());
        assertThat(started.getRoomComposite().getStream().getUrlsList()).containsExactly(TELEGRAM_REDACTED);
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);

        EgressInfo ending = client.updateStream(egressId, List.of(), List.of(TELEGRAM)).execute().body();

        assertThat(ending.getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        assertThat(ending.getDetails()).isEqualTo("End reason: All streams stopped");
        EgressInfo done = livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT);
        assertThat(done.getFileResultsCount()).isZero();
        assertThat(done.getStreamResults(0).getStatus()).isEqualTo(StreamInfo.Status.FINISHED);
        try (Stream<Path> files = Files.list(volume)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anEmptyStreamOutputBesideHlsTakesUrlsLater() throws Exception {
        livekit.egress().segmentInterval(Duration.ofMillis(100));
        EgressInfo started = start(new EncodedOutputs(null, rtmp(), hls(4), null));
        String egressId = started.getEgressId();
        assertThat(started.getStreamResultsCount()).isZero();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);

        EgressInfo added = client.updateStream(egressId, List.of(TELEGRAM), List.of()).execute().body();

        assertThat(added.getStreamResults(0).getUrl()).isEqualTo(TELEGRAM_REDACTED);
        client.updateStream(egressId, List.of(), List.of(TELEGRAM)).execute();
        // HLS goes on: removing the last stream ends only a stream-only egress.
        assertThat(livekit.egress().egress(egressId).orElseThrow().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        awaitInfo(egressId, info -> info.getSegmentResults(0).getSegmentCount() >= 2, "2 segments");

        // Alone, an empty stream output is refused; UpdateStream needs a stream output.
        Response<EgressInfo> empty = client.startRoomCompositeEgress("r1", rtmp(), "", null, null, true).execute();
        assertThat(empty.code()).isEqualTo(400);
        assertThat(empty.errorBody().string()).contains("request has missing or invalid field: stream url");
        EgressInfo fileOnly = start(new EncodedOutputs(file(EncodedFileType.MP3, "/out/x.mp3"), null, null, null));
        Response<EgressInfo> notStreaming = client.updateStream(fileOnly.getEgressId(), List.of(TELEGRAM), List.of())
                .execute();
        assertThat(notStreaming.code()).isEqualTo(400);
        assertThat(notStreaming.errorBody().string()).contains("UpdateStream called on non-streaming egress");
        Response<EgressInfo> unknown = client.updateStream("EG_unknown00000", List.of(TELEGRAM), List.of()).execute();
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(unknown.errorBody().string()).contains("egress does not exist");
        Response<EgressInfo> badUrl = client.startRoomCompositeEgress("r1", rtmp("rtmp://host/app"), "", null, null,
                true).execute();
        assertThat(badUrl.code()).isEqualTo(400);
        assertThat(badUrl.errorBody().string()).contains("invalid url rtmp://host/app: rtmp urls must be of format");
    }

    @Test
    void aFailedStreamIsReportedAndTheLastOneFailsAStreamOnlyEgress() throws Exception {
        EgressInfo started = client.startRoomCompositeEgress("r1", rtmp(TELEGRAM, YOUTUBE), "", null, null, true)
                .execute().body();
        String egressId = started.getEgressId();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ACTIVE, WAIT);
        nextWebhook();
        nextWebhook();

        livekit.egress().failStream(egressId, YOUTUBE, "rtmp connection refused");

        Received updated = nextWebhook();
        assertThat(updated.event().getEvent()).isEqualTo("egress_updated");
        assertThat(updated.info().getStatus()).isEqualTo(EgressStatus.EGRESS_ACTIVE);
        StreamInfo failed = updated.info().getStreamResults(1);
        assertThat(failed.getStatus()).isEqualTo(StreamInfo.Status.FAILED);
        assertThat(failed.getError()).isEqualTo("rtmp connection refused");
        assertThat(failed.getEndedAt()).isPositive();
        assertThat(updated.json().get("egressInfo").get("streamResults").get(1).get("status").asText())
                .isEqualTo("FAILED");
        assertThat(livekit.egress().streamUrls(egressId)).containsExactly(TELEGRAM);

        livekit.egress().failStream(egressId, TELEGRAM, "telegram hung up");

        Received ended = nextWebhook();
        assertThat(ended.event().getEvent()).isEqualTo("egress_ended");
        assertThat(ended.info().getStatus()).isEqualTo(EgressStatus.EGRESS_FAILED);
        assertThat(ended.info().getError()).isEqualTo("telegram hung up");
        assertThat(ended.info().getStreamResultsList()).extracting(StreamInfo::getStatus)
                .containsExactly(StreamInfo.Status.FAILED, StreamInfo.Status.FAILED);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Codecs and webhooks

    @Test
    void oggCannotShareAnEgressWithRtmpOrHls() throws Exception {
        Response<EgressInfo> withStream = client.startRoomCompositeEgress("r1", new EncodedOutputs(
                file(EncodedFileType.OGG, "/out/a.ogg"), rtmp(TELEGRAM), null, null), "", null, null, true).execute();
        assertThat(withStream.code()).isEqualTo(400);
        // An RTMP output fixes the codec to AAC, which OGG cannot hold (egress ErrIncompatible).
        assertThat(Twirp.JSON.readTree(withStream.errorBody().string()).get("msg").asText())
                .isEqualTo("format audio/ogg incompatible with codec audio/aac");

        Response<EgressInfo> withHls = client.startRoomCompositeEgress("r1", new EncodedOutputs(
                file(EncodedFileType.OGG, "/out/a.ogg"), null, hls(4), null), "", null, null, true).execute();
        assertThat(withHls.code()).isEqualTo(400);
        assertThat(Twirp.JSON.readTree(withHls.errorBody().string()).get("msg").asText())
                .isEqualTo("no supported codec is compatible with all outputs");
        assertThat(livekit.egress().egresses()).isEmpty();

        // An audio-only DEFAULT_FILETYPE is OGG alone, but MP4 (AAC) next to RTMP: the first type that fits.
        EgressInfo mixed = start(new EncodedOutputs(file(EncodedFileType.DEFAULT_FILETYPE, "/out/{room_name}"),
                rtmp(TELEGRAM), null, null));
        assertThat(mixed.getFileResults(0).getFilename()).isEqualTo("/out/r1.mp4");
    }

    @Test
    void pausedWebhooksAreLostUntilResumed() throws Exception {
        livekit.notifier().pause();
        EgressInfo started = client.startRoomCompositeEgress("r1", rtmp(TELEGRAM), "", null, null, true).execute()
                .body();
        livekit.egress().awaitStatus(started.getEgressId(), EgressStatus.EGRESS_ACTIVE, WAIT);

        livekit.notifier().resume();
        client.stopEgress(started.getEgressId()).execute();

        Received first = nextWebhook();
        assertThat(first.info().getStatus()).isEqualTo(EgressStatus.EGRESS_ENDING);
        assertThat(livekit.notifier().events()).extracting(WebhookNotifier.Notification::name,
                WebhookNotifier.Notification::dropped).startsWith(tuple("egress_started", true),
                        tuple("egress_updated", true), tuple("egress_updated", false));
        // What a restarted receiver does: ListEgress tells the state the lost webhooks carried.
        assertThat(client.listEgress("r1").execute().body()).extracting(EgressInfo::getEgressId)
                .containsExactly(started.getEgressId());
    }
}
