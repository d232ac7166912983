package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import io.livestage.bench.TranscriptionBenchmark.Bytes;
import io.livestage.bench.TranscriptionBenchmark.Split;
import io.livestage.bench.TranscriptionBenchmark.WindowResult;
import io.livestage.bench.TranscriptionLoad.Group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscriptionBenchTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");
    private static final long MS = 1_000_000L;

    @Test
    void defaultsAreOneHundredSpeakersInRealTimeForAboutFourMinutes() {
        TranscriptionSettings settings = TranscriptionSettings.from(new String[0], Map.of());

        assertThat(settings.sessions()).isEqualTo(25);
        assertThat(settings.speakersPerSession()).isEqualTo(4);
        assertThat(settings.speakers()).isEqualTo(100);
        assertThat(settings.viewers()).isEqualTo(50);
        assertThat(settings.chunkBytes()).isEqualTo(3_200);
        assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.floorWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.floorSpeakers()).isEqualTo(100);
        assertThat(settings.transcriptsPerSecondPerSpeaker()).isEqualTo(2.0);
        assertThat(settings.jfr()).isFalse();
        assertThat(settings.command()).isEqualTo("./bench/run transcription");
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/transcription.md");
        // streaming 60 + 5 + 60 + 20 s; with start-up, set-up and the stop, the documented run stays near 4 minutes
        assertThat(settings.streaming()).isEqualTo(Duration.ofSeconds(145));
        assertThat(settings.budget()).isLessThan(Duration.ofMinutes(15));
    }

    @Test
    void knobsComeFromArgumentsThenEnvironmentAndTyposAreRefused() {
        TranscriptionSettings settings = TranscriptionSettings.from(new String[] { "--sessions=5", "--jfr=true",
                "--root=/tmp/x" }, Map.of("BENCH_SESSIONS", "50", "BENCH_FLOOR_DURATION", "0", "BENCH_CHUNK_MS", "20"));

        assertThat(settings.sessions()).isEqualTo(5);
        assertThat(settings.jfr()).isTrue();
        assertThat(settings.floor()).isFalse();
        assertThat(settings.floorSpeakers()).isZero();
        assertThat(settings.chunkBytes()).isEqualTo(640);
        assertThat(settings.command()).isEqualTo("./bench/run transcription --sessions=5 --jfr=true");

        assertThatThrownBy(() -> TranscriptionSettings.from(new String[] { "--speaker=3" }, Map.of()))
                .hasMessageContaining("Unknown argument");
        assertThatThrownBy(() -> TranscriptionSettings.from(new String[] { "--sessions=101" }, Map.of()))
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> TranscriptionSettings.from(new String[] { "--chunk-ms=15" }, Map.of()))
                .hasMessageContaining("chunk-ms");
        assertThatThrownBy(() -> TranscriptionSettings.from(new String[] { "--duration=1" }, Map.of()))
                .hasMessageContaining("duration");
    }

    @Test
    void theRolesOnStageAreTheHostACohostThenGuests() {
        assertThat(TranscriptionBenchmark.speakerUser(0, 0)).isEqualTo("bench-tr-01-host");
        assertThat(TranscriptionBenchmark.speakerUser(24, 3)).isEqualTo("bench-tr-25-guest2");
        assertThat(List.of(0, 1, 2, 3).stream().map(TranscriptionBenchmark::speakerRole))
                .containsExactly("HOST", "COHOST", "GUEST", "GUEST");
    }

    /** A load without sockets: one measured window from 1 s to 2 s (nanoTime values made up). */
    private static TranscriptionLoad load(TranscriptionLoad.Window[] measured) {
        TranscriptionLoad load = new TranscriptionLoad(null, 3_200, 100 * MS, 100);
        load.plan(Group.SERVICE, "warm-up", 0, false, 1_000 * MS);
        measured[0] = load.plan(Group.SERVICE, "round 1 services", 1, true, 1_000 * MS);
        load.prepare();
        load.windows.get(0).start = 0;
        load.windows.get(0).end = 1_000 * MS;
        measured[0].start = 1_000 * MS;
        measured[0].end = 2_000 * MS;
        return load;
    }

    @Test
    void chunksAreMatchedByStreamAndByteOffsetAndOnlyMeasuredOnesCount() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t", 0);
        load.byStream.put("stream-1", speaker);
        speaker.booked(0, 900 * MS, 900 * MS, 0); // warm-up
        speaker.booked(1, 1_000 * MS, 1_001 * MS, 1); // 1 ms late
        speaker.booked(2, 1_100 * MS, 1_100 * MS, 1);

        load.onAudio("stream-1", 0, 3_200, 901 * MS);
        load.onAudio("stream-1", 3_200, 3_200, 1_003 * MS); // 2 ms after its write, 3 ms after its intended time
        load.onAudio("stream-1", 6_400, 3_200, 1_100 * MS + 500_000);
        load.onAudio("nobody", 0, 3_200, 1_200 * MS);

        Histogram relay = TranscriptionLoad.snapshot(load.stats[1].relay);
        assertThat(relay.getTotalCount()).isEqualTo(2);
        assertThat(relay.getMaxValue()).isBetween(1_999L, 2_001L);
        assertThat(relay.getMinValue()).isBetween(499L, 501L);
        assertThat(TranscriptionLoad.snapshot(load.stats[1].intendedToStub).getMaxValue()).isBetween(2_999L, 3_002L);
        assertThat(TranscriptionLoad.snapshot(load.stats[0].relay).getTotalCount()).isZero();
        assertThat(load.stats[1].chunksAtStub.sum()).isEqualTo(2);
        assertThat(load.stats[1].chunksSent.sum()).isEqualTo(2);
        assertThat(load.unknownAudio.sum()).isEqualTo(1);
        assertThat(load.unalignedFrames.sum()).isZero();

        // a frame carrying two chunks at once: each chunk arrives with the frame holding its last byte
        speaker.booked(3, 1_200 * MS, 1_200 * MS, 1);
        speaker.booked(4, 1_300 * MS, 1_300 * MS, 1);
        load.onAudio("stream-1", 9_600, 6_400, 1_301 * MS);
        assertThat(load.stats[1].chunksAtStub.sum()).isEqualTo(4);
        assertThat(load.unalignedFrames.sum()).isZero();
        load.onAudio("stream-1", 16_000, 1_600, 1_400 * MS); // half a chunk, not written yet
        assertThat(load.unalignedFrames.sum()).isEqualTo(1);
        assertThat(load.unmatchedChunks.sum()).isZero();
    }

    @Test
    void captionsAreTimedFromTheStubsTranscriptEvenWhenTheyArriveBeforeTheHookRan() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t", 0);
        load.byStream.put("stream-1", speaker);
        TranscriptionLoad.Viewer one = load.addViewer("session-1", 0, "t1");
        TranscriptionLoad.Viewer two = load.addViewer("session-1", 1, "t2");
        one.onText("{\"v\":1,\"type\":\"welcome\"}");
        two.onText("{\"v\":1,\"type\":\"welcome\"}");
        speaker.booked(0, 1_000 * MS, 1_000 * MS, 1);
        load.onAudio("stream-1", 0, 3_200, 1_001 * MS); // the chunk that completes the utterance: window 1

        long now = System.nanoTime();
        load.onTranscript("stream-1", "00_00000000", false, "utterance", now - 5 * MS);
        String partial = caption("stream-1", "00_00000000", false);
        one.onText(partial);
        one.onText(partial); // the same frame twice at one viewer: a duplicate
        // the final's frame reaches viewer two before the stub's hook has run
        String fin = caption("stream-1", "00_00000000", true);
        two.onText(fin);
        load.onTranscript("stream-1", "00_00000000", true, "utterance 1", now - 10 * MS);

        // outside the window (the counted-at times are nanoTime now; the window ended at 2 s): reset its bounds
        TranscriptionLoad.WindowStats stats = load.stats[1];
        assertThat(stats.deliveries.sum()).isZero();
        w[0].start = now - 60_000 * MS;
        w[0].end = now;
        load.onTranscript("stream-1", "00_00000001", false, "u", now - 2 * MS);
        one.onText(caption("stream-1", "00_00000001", false));
        two.onText(caption("stream-1", "00_00000001", false));
        one.onText(caption("stream-1", "00_00000001", false));
        load.onTranscript("stream-1", "00_00000002", true, "u", now - 1 * MS);
        two.onText(caption("stream-1", "00_00000002", true)); // viewer one never gets it

        assertThat(stats.transcripts.sum()).isEqualTo(2);
        assertThat(stats.expectedDeliveries.sum()).isEqualTo(4);
        assertThat(stats.deliveries.sum()).isEqualTo(3);
        assertThat(stats.duplicates.sum()).isEqualTo(1);
        Histogram partials = TranscriptionLoad.snapshot(stats.captionPartial);
        assertThat(partials.getTotalCount()).isEqualTo(2);
        assertThat(partials.getMinValue()).isGreaterThanOrEqualTo(2_000);
        assertThat(TranscriptionLoad.snapshot(stats.captionFinal).getTotalCount()).isEqualTo(1);
        assertThat(load.unknownTranscripts()).isZero();
        two.onText(caption("stream-1", "never-sent", true));
        assertThat(load.unknownTranscripts()).isEqualTo(1);
    }

    @Test
    void earlyArrivalsAreCountedOnceTheStubsSideIsKnown() {
        TranscriptionLoad.Window[] w = new TranscriptionLoad.Window[1];
        TranscriptionLoad load = load(w);
        long now = System.nanoTime();
        w[0].start = now - 60_000 * MS;
        w[0].end = now + 60_000 * MS;
        TranscriptionLoad.Speaker speaker = load.addSpeaker(Group.SERVICE, "session-1", "u", "t", 0);
        load.byStream.put("stream-1", speaker);
        TranscriptionLoad.Viewer viewer = load.addViewer("session-1", 0, "t1");
        viewer.onText("{\"v\":1,\"type\":\"welcome\"}");
        speaker.booked(0, now - 10 * MS, now - 10 * MS, 1);
        load.onAudio("stream-1", 0, 3_200, now - 9 * MS);

        viewer.onText(caption("stream-1", "00_00000007", true));
        assertThat(load.stats[1].deliveries.sum()).isZero();
        load.onTranscript("stream-1", "00_00000007", true, "u", now - 8 * MS);
        assertThat(load.stats[1].deliveries.sum()).isEqualTo(1);
        assertThat(TranscriptionLoad.snapshot(load.stats[1].captionFinal).getMaxValue()).isGreaterThanOrEqualTo(7_000);
    }

    private static String caption(String stream, String utterance, boolean isFinal) {
        return "{\"v\":1,\"type\":\"caption\",\"segment\":{\"sessionId\":\"session-1\",\"participantIdentity\":\"u\","
                + "\"streamId\":\"" + stream + "\",\"utteranceId\":\"" + utterance + "\",\"text\":\"x\",\"isFinal\":"
                + isFinal + "}}";
    }

    private static Histogram micros(long... values) {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    private static WindowResult window(String label, Group group, int round, Histogram relay, Histogram partial,
            Histogram fin, Histogram floorCaption) {
        return new WindowResult(label, group, round, 30, relay, relay, micros(100), 30_000, 30_000, 0, partial, fin,
                floorCaption, 6_000, 3_000, 12_000, 12_000, 0);
    }

    @Test
    void theReportEndsWithTheResultLineAndMarksTheGoals() {
        TranscriptionSettings settings = TranscriptionSettings.from(new String[] { "--root=" + Path.of(".")
                .toAbsolutePath() }, Map.of());
        Histogram none = micros();
        List<WindowResult> windows = new ArrayList<>();
        windows.add(window("round 1 services", Group.SERVICE, 1, micros(400, 500, 1_500), micros(8_000), micros(12_000),
                none));
        windows.add(window("round 1 floor", Group.FLOOR, 1, micros(200, 250, 300), none, none, micros(300)));
        windows.add(window("round 2 services", Group.SERVICE, 2, micros(400, 500, 3_000), micros(9_000),
                micros(30_000), none));
        windows.add(window("round 2 floor", Group.FLOOR, 2, micros(200, 250, 300), none, none, micros(300)));
        List<Bytes> bytes = List.of(new Bytes(Group.SERVICE, 100, 192_000_000, 192_000_000, 0, 0, 0, 0),
                new Bytes(Group.FLOOR, 100, 64_000_000, 63_996_800, 0, 0, 0, 1));
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            splits.add(new Split("stage " + i, "how " + i, micros(1_000 * (i + 1)), 0));
        }

        TranscriptionReport report = new TranscriptionReport(MACHINE, settings, windows, bytes, splits, null, null,
                null, List.of(), "stack", List.of("a note"), "1.00 2.00 3.00", "load during");
        String markdown = report.markdown();

        // relay p99 over both service windows: 3 ms (HdrHistogram reports the top of the value's bucket)
        String caption = Report.number(Report.percentileMs(micros(8_000, 12_000, 9_000, 30_000), 99));
        assertThat(caption).startsWith("30.0");
        assertThat(markdown.lines().toList().getLast()).isEqualTo("RESULT relay_p99_ms=3.00 caption_p99_ms=" + caption);
        assertThat(markdown).startsWith("# Benchmark: transcription")
                .contains("| relay: audio-in → stub, p99 (100 speakers in real time) | ≤ 2 ms | 3.00 ms | NOT met |")
                .contains("| caption: transcript at the stub → caption frame at a viewer, p99 | ≤ 20 ms | " + caption
                        + " ms | NOT met |")
                .contains("| audio bytes: sent by the speakers = counted by the stub | equal | 192,000,000 / "
                        + "192,000,000 | met |")
                .contains("| through the floor relay | 100 | 64,000,000 | 63,996,800 | NO (1 streams differ) |")
                .contains("| all | 0.500 | 0.250 | 2.00× | 3.001 | 0.300 | 10.00× |")
                .contains("| all service windows: finals | 2 | 12.007 |")
                .contains("| floor: stub → relay → speaker socket (one hop back) | 2 | 0.300 |")
                .contains("- a note")
                .contains("- load during")
                .contains("```bash\n./bench/run transcription\n```");
        assertThat(report.console()).contains("RESULT relay_p99_ms=3.00 caption_p99_ms=" + caption);
    }

    @Test
    void threadNamesAreGroupedWithoutTheirNumbers() {
        assertThat(JfrProfile.threadGroup("vert.x-eventloop-thread-3")).isEqualTo("vert.x-eventloop-thread-*");
        assertThat(JfrProfile.threadGroup("outbox-relay")).isEqualTo("outbox-relay");
        assertThat(JfrProfile.shortName("io.livestage.transcription.client.GladiaStream.audio"))
                .isEqualTo("GladiaStream.audio");
        assertThat(JfrProfile.framework("io.vertx.pgclient.impl.codec.PgDecoder.decode"))
                .isEqualTo("(no livestage frame) PostgreSQL client (Vert.x pg)");
        assertThat(JfrProfile.framework("io.netty.channel.nio.NioEventLoop.run")).isEqualTo("(no livestage frame) Netty I/O");
    }
}
