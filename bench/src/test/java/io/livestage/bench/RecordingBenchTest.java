package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.livestage.testing.livekit.RecordedCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingBenchTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");
    private static final String[] ROOT = { "--root=" + Path.of(".").toAbsolutePath() };

    @Test
    void settingsDefaultsAndBounds() {
        RecordingSettings settings = RecordingSettings.from(ROOT, Map.of());

        assertThat(settings.phases()).containsExactlyInAnyOrder("egress", "feed", "range");
        assertThat(settings.sessions()).isEqualTo(300);
        assertThat(settings.rate()).isEqualTo(5.0);
        assertThat(settings.episodes()).isEqualTo(1_000);
        assertThat(settings.fileBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(settings.sliceKib()).isEqualTo(64);
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/recording.md");
        assertThat(settings.recordingJar().toString()).endsWith("recording-service/target/quarkus-app/quarkus-run.jar");
        assertThat(settings.budget()).isLessThan(Duration.ofMinutes(25));
        assertThat(RecordingSettings.phase(300, 5)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void settingsFromArgumentsAndEnvironment() {
        RecordingSettings settings = RecordingSettings.from(new String[] { "--phases=egress", "--sessions=20" },
                Map.of("BENCH_RATE", "2", "BENCH_SESSIONS", "99"));

        assertThat(settings.phases()).containsExactly("egress");
        assertThat(settings.runs("feed")).isFalse();
        assertThat(settings.sessions()).as("the argument wins").isEqualTo(20);
        assertThat(settings.rate()).isEqualTo(2.0);
    }

    @Test
    void settingsRejectUnboundedOrUnknownRuns() {
        assertThatThrownBy(() -> RecordingSettings.from(new String[] { "--rate=0" }, Map.of()))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> RecordingSettings.from(new String[] { "--sessions=10000", "--rate=1" }, Map.of()))
                .hasMessageContaining("1200 s");
        assertThatThrownBy(() -> RecordingSettings.from(new String[] { "--phases=egress,upload" }, Map.of()))
                .hasMessageContaining("phases");
        assertThatThrownBy(() -> RecordingSettings.from(new String[] { "--file-mb=1", "--slice-kib=2048" }, Map.of()))
                .hasMessageContaining("slice-kib");
        assertThatThrownBy(() -> RecordingSettings.from(new String[] { "--no-such-knob=1" }, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RecordedCall call(String method, long nanos, int status, String error) {
        return new RecordedCall(method, "application/json", null, null, null, nanos, Instant.EPOCH, status, error,
                null);
    }

    @Test
    void theAcceptedEgressIsTheFirstSuccessAndRefusalsBeforeItAreCounted() {
        RecordingBenchmark.Start start = new RecordingBenchmark.Start(0, "room");
        RecordingBenchmark.apply(start, List.of(call("StartRoomCompositeEgress", 900, 200, null),
                call("StartRoomCompositeEgress", 300, 404, "not_found"),
                call("StartRoomCompositeEgress", 100, 404, "not_found"),
                call("StartRoomCompositeEgress", 1_000, 200, null)),
                List.of(call("CreateRoom", 500, 200, null), call("CreateRoom", 50, 503, "http_503")));

        assertThat(start.firstAttempt).isEqualTo(100);
        assertThat(start.egress).isEqualTo(900);
        assertThat(start.refused).isEqualTo(2);
        assertThat(start.roomCreated).as("the first accepted CreateRoom").isEqualTo(500);
    }

    @Test
    void rangeHeadersOfTheFloorServer() {
        assertThat(RangeFloorServer.range(null, 100)).isEmpty();
        assertThat(RangeFloorServer.range("bytes=10-19", 100)).containsExactly(10, 10);
        assertThat(RangeFloorServer.range("bytes=90-", 100)).containsExactly(90, 10);
        assertThat(RangeFloorServer.range("bytes=-5", 100)).containsExactly(95, 5);
        assertThat(RangeFloorServer.range("bytes=95-200", 100)).containsExactly(95, 5);
        assertThat(RangeFloorServer.range("bytes=100-", 100)).isNull();
        assertThat(RangeFloorServer.range("bytes=5-2", 100)).isNull();
        assertThat(RangeFloorServer.range("items=1-2", 100)).isNull();
    }

    private static RecordingBenchmark.Window window(String target, int round, long ok, long micros) {
        OpStats stats = new OpStats("op");
        for (int i = 0; i < ok; i++) {
            stats.success(micros * 1_000);
        }
        return new RecordingBenchmark.Window(target, round,
                new ClosedLoop.Result(target, ok, ok, 0, Duration.ofSeconds(1), Map.of("op", stats)));
    }

    private static List<RecordingBenchmark.Start> starts() {
        List<RecordingBenchmark.Start> starts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RecordingBenchmark.Start s = new RecordingBenchmark.Start(i, "s" + i);
            s.scheduled = 1_000_000_000L * i;
            s.sent = s.scheduled;
            s.responded = s.sent + 5_000_000;
            s.startOk = true;
            s.firstAttempt = s.responded + 20_000_000;
            s.refused = i < 10 ? 1 : 0;
            s.egress = s.responded + (i < 10 ? 300_000_000 : 30_000_000);
            s.polled = s.responded + 2_000_000;
            s.roomCreated = s.responded + 25_000_000;
            starts.add(s);
        }
        RecordingBenchmark.Start failed = new RecordingBenchmark.Start(100, "s100");
        failed.sent = failed.scheduled = 100_000_000_000L;
        failed.responded = failed.sent + 1_000_000;
        failed.error = "start 409";
        starts.add(failed);
        return starts;
    }

    @Test
    void reportOfAllThreeParts() {
        RecordingSettings settings = RecordingSettings.from(ROOT, Map.of());
        RecordingBenchmark.FeedOutcome feed = new RecordingBenchmark.FeedOutcome(null, 1_000, 800_000, "\"v1\"",
                List.of(window(RecordingReport.FEED_304, 1, 6_000, 2_000),
                        window(RecordingReport.FEED_200, 1, 300, 50_000)), null, null, List.of());
        RecordingBenchmark.RangeOutcome range = new RecordingBenchmark.RangeOutcome(null, 50L << 20, 65_536, "f",
                List.of(window(RecordingReport.RANGE_SERVICE, 1, 900, 5_000),
                        window(RecordingReport.RANGE_PEER, 1, 1_000, 4_000),
                        window(RecordingReport.RANGE_SERVICE, 2, 800, 5_000),
                        window(RecordingReport.RANGE_PEER, 2, 1_000, 4_000)), null, null, List.of());

        RecordingReport report = new RecordingReport(MACHINE, settings, starts(), null, feed, range, "stack",
                List.of("a note"), "");
        String markdown = report.markdown();

        // 10 of 100 starts took 300 ms: the p99 is in the refused ones (HdrHistogram: 300 ms → 300.03)
        assertThat(markdown.lines().toList().getLast())
                .isEqualTo("RESULT egress_start_p99_ms=300.03 feed_rps=6000 range_ratio=0.85");
        assertThat(markdown)
                .contains("| rooms whose first StartRoomCompositeEgress was refused | 10 |")
                .contains("| start 409 | 1 |")
                .contains("| session.started committed → StartRoomCompositeEgress at LiveKit, p99 | ≤ 100 ms | "
                        + "300.03 ms | NOT met |")
                .contains("| ≥ 5,000 req/s | 6000 req/s | met |")
                .contains("| ≥ 0.9 | 0.85 | NOT met |")
                .contains("| end to end, starts accepted at the first attempt | 90 | 30.02 |")
                .contains("- a note");
        assertThat(report.roundRatios()).containsExactly(0.9, 0.8);
    }

    @Test
    void skippedPartsSayWhyAndReportNotAvailable() {
        RecordingSettings settings = RecordingSettings.from(ROOT, Map.of());
        RecordingReport report = new RecordingReport(MACHINE, settings, starts(), null,
                RecordingBenchmark.FeedOutcome.skip("endpoint not available (404): GET /podcast/feeds/hosts/h.xml "
                        + "answered 404"),
                RecordingBenchmark.RangeOutcome.skip("endpoint not available (404): GET /api/... answered 404"),
                "stack", List.of(), "");
        String markdown = report.markdown();

        assertThat(markdown.lines().toList().getLast())
                .isEqualTo("RESULT egress_start_p99_ms=300.03 feed_rps=n/a range_ratio=n/a");
        assertThat(markdown).contains("Skipped: endpoint not available (404): GET /podcast/feeds/hosts/h.xml")
                .contains("Skipped: endpoint not available (404): GET /api/...")
                .contains("| skipped (404) | not measured |");
        assertThat(report.console()).contains("feed: endpoint not available (404)");
    }
}
