package io.livestage.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportsTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");

    private static Histogram micros(long... values) {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void stageMeasuresFromTheApproveToTheUpdateAtLiveKit() {
        StageSettings settings = StageSettings.from(new String[] { "--root=" + Path.of(".").toAbsolutePath() },
                Map.of());
        List<StageBenchmark.Approval> approvals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            StageBenchmark.Approval a = new StageBenchmark.Approval(i, "v" + i, "s");
            a.scheduled = 1_000_000_000L * i;
            a.sent = a.scheduled + 1_000_000; // 1 ms late
            a.responded = a.sent + 10_000_000;
            a.update = a.sent + (i == 99 ? 150_000_000 : 20_000_000);
            a.approveOk = true;
            a.canPublish = true;
            approvals.add(a);
        }
        StageBenchmark.Approval failed = new StageBenchmark.Approval(100, "v100", "s");
        failed.scheduled = 100_000_000_000L;
        failed.sent = failed.scheduled + 50_000_000; // 50 ms late
        failed.responded = failed.sent + 5_000_000;
        failed.error = "approve 409";
        approvals.add(failed);
        ServerTimes times = new ServerTimes().add(new ServerTimes.Timer(StageReport.APPROVE_SERVER, 1, "m"))
                .add(new ServerTimes.Timer(StageReport.UPDATE_CALL, 1, "m"));

        StageReport report = new StageReport(MACHINE, settings, approvals, id -> Optional.of(0L).filter(x -> false),
                null, times, "stack", List.of(), "");
        String markdown = report.markdown();

        // HdrHistogram (3 digits) reports the top of a value's bucket: 20 ms → 20.02, 150 ms → 150.02.
        assertThat(markdown.lines().toList().getLast()).isEqualTo("RESULT approve_p99_ms=20.02");
        assertThat(markdown).contains("| approve sent → UpdateParticipant at LiveKit | 100 | 20.02 | 20.02 | 150.02 | 150.02 |")
                .contains("| approve 2xx received → UpdateParticipant at LiveKit | 100 | 10.01 |")
                .contains("| approve request (sent → 2xx read) | 100 | 10.01 |")
                .contains("| approve 409 | 1 |")
                .contains("| sent more than 10 ms after their scheduled time | 1 |")
                .contains("| approve sent → UpdateParticipant at LiveKit, p99 | ≤ 100 ms | 20.02 ms | met |");
    }

    @Test
    void readsPrometheusSamplesByLabels() {
        String metrics = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/api/tokens"} 3.0
                http_server_requests_seconds_count{method="POST",outcome="CLIENT_ERROR",status="403",uri="/api/tokens"} 2.0
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/q/health"} 9.0
                http_server_requests_seconds_sum{method="POST",outcome="SUCCESS",status="200",uri="/api/tokens"} 0.5
                """;

        assertThat(Harness.sample(metrics, "http_server_requests_seconds_count", "uri=\"/api/tokens\"")).isEqualTo(5.0);
        assertThat(Harness.sample(metrics, "http_server_requests_seconds_sum", "uri=\"/api/tokens\"")).isEqualTo(0.5);
        assertThat(Harness.sample(metrics, "http_server_requests_seconds_count", "status=\"403\"")).isEqualTo(2.0);
        assertThat(Harness.sample(metrics, "nothing_count")).isZero();
    }
}
