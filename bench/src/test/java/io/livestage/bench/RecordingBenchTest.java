package io.livestage.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.Report;
import io.livestage.testing.livekit.RecordedCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingBenchTest {

    @Test
    void knobsAreCheckedBeforeAnythingStarts() {
        Knobs ok = new Knobs(List.of("--phases=feed,range", "--rounds=2", "--range-rates=100"), Map.of());
        assertThat(new RecordingScenario(ok).budget()).isLessThan(Duration.ofMinutes(30));
        ok.finish();
        assertThatThrownBy(() -> new RecordingScenario(new Knobs(List.of("--phases=egress,dash"), Map.of())))
                .hasMessageContaining("phases");
        assertThatThrownBy(() -> new RecordingScenario(new Knobs(List.of("--file-mb=1", "--slice-kib=2048"),
                Map.of()))).hasMessageContaining("slice-kib");
        assertThatThrownBy(() -> new RecordingScenario(new Knobs(List.of("--egress-rates=500"), Map.of())))
                .hasMessageContaining("egress rates");
    }

    @Test
    void theReportRendersWithEveryPartSkipped() {
        Report report = Report.load("recording");
        for (String key : List.of("machine", "processes", "knobs", "episodes", "egress_goal_ms", "feed_goal_ms",
                "range_goal_ms", "slice_kib", "file_mb", "connections", "round_window")) {
            report.put(key, "x");
        }
        report.skip(RecordingScenario.EGRESS_KEYS, "not run (--phases)");
        report.skip(RecordingScenario.FEED_KEYS, "not available: GET answered 404");
        report.skip(RecordingScenario.RANGE_KEYS, "not run (--phases)");
        assertThat(report.render()).contains("(not available: GET answered 404)")
                .endsWith("RESULT egress=skipped feed=skipped range=skipped\n");
    }

    private static RecordedCall call(String method, String room, int status, String error) {
        return new RecordedCall(method, "application/json", null, new ObjectMapper().createObjectNode()
                .put("room_name", room), null, System.nanoTime(), Instant.EPOCH, status, error, null);
    }

    @Test
    void theWatchCompletesARoomOnItsFirstAcceptedEgressAndCountsRefusals() throws Exception {
        List<RecordedCall> calls = new CopyOnWriteArrayList<>();
        try (RecordingScenario.EgressWatch watch = new RecordingScenario.EgressWatch(() -> List.copyOf(calls))) {
            CompletableFuture<Void> room = watch.expect("room-1");
            CompletableFuture<Void> other = watch.expect("room-2");
            calls.add(call("StartRoomCompositeEgress", "room-1", 404, "not_found"));
            calls.add(call("CreateRoom", "room-1", 200, null));
            calls.add(call("StartRoomCompositeEgress", "room-1", 200, null));
            room.get(5, TimeUnit.SECONDS);
            Thread.sleep(50);
            assertThat(other).isNotDone();
            assertThat(watch.refused.sum()).isEqualTo(1);
        }
    }

    @Test
    void rangeHeadersOfTheFloorServer() {
        assertThat(Floors.range(null, 100)).isEmpty();
        assertThat(Floors.range("bytes=10-19", 100)).containsExactly(10, 10);
        assertThat(Floors.range("bytes=90-", 100)).containsExactly(90, 10);
        assertThat(Floors.range("bytes=-5", 100)).containsExactly(95, 5);
        assertThat(Floors.range("bytes=95-200", 100)).containsExactly(95, 5);
        assertThat(Floors.range("bytes=100-", 100)).isNull();
        assertThat(Floors.range("bytes=5-2", 100)).isNull();
        assertThat(Floors.range("items=1-2", 100)).isNull();
    }
}
