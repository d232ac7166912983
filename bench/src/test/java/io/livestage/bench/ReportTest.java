package io.livestage.bench;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {

    private static Histogram micros(long... values) {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    private static Report report(double serviceRps, Histogram create, Report.Events events) {
        Report.Machine machine = new Report.Machine(2, "Test CPU", "Test JDK 21", "Linux", "abc1234", "2026-01-01T00:00:00Z");
        List<Report.Line> lines = List.of(
                new Report.Line("session-service", "create", create.getTotalCount(), 2, 10.0, create),
                new Report.Line("floor", "all (mix)", 3, 0, 30.0, micros(100, 200, 300)));
        return new Report(machine, List.of("closed loop, 4 connections"),
                List.of(new Report.Round(1, serviceRps, serviceRps * 4)), lines, events,
                Map.of("session-service create 500", 2L), serviceRps, serviceRps * 4, create, List.of("a note"));
    }

    @Test
    void theLastLineOfTheMarkdownIsTheResultLine() {
        Histogram create = micros(1_000, 2_000, 3_000, 4_000, 21_000);
        Report.Events events = new Report.Events(3, 3, 0, 0, micros(5_000, 6_000, 27_984), micros(1_000, 2_000, 3_000));
        Report report = report(5_432.4, create, events);

        String markdown = report.markdown("Benchmark: test");
        List<String> lines = markdown.lines().toList();

        assertThat(lines.getLast()).isEqualTo("RESULT rps=5432 create_p99_ms=21.01 event_p99_ms=28.00");
        assertThat(lines.getLast()).matches("RESULT rps=\\d+ create_p99_ms=[0-9.]+ event_p99_ms=[0-9.]+");
        assertThat(markdown).startsWith("# Benchmark: test")
                .contains("- commit: abc1234")
                .contains("| throughput (create/get/list mix) | ≥ 5000 req/s | 5432.4 req/s | met |")
                .contains("| create p99 | ≤ 20 ms | 21.01 ms | NOT met |")
                .contains("| session.started to consumer p99 | ≤ 25 ms | 28.00 ms | NOT met |")
                .contains("| session-service | create | 5 | 2 | 10 | 3.00 | 21.01 |")
                .contains("| session-service create | 500 | 2 |")
                .contains("- a note");
        assertThat(report.ratio()).isEqualTo(0.25);
    }

    @Test
    void saysNotMeasuredWhenThereIsNoEventData() {
        Report report = report(4_000, micros(1_000), null);

        assertThat(report.resultLine()).isEqualTo("RESULT rps=4000 create_p99_ms=1.00 event_p99_ms=n/a");
        assertThat(report.goalsTable().text()).contains("not measured").contains("NOT met");
    }

    @Test
    void textTableAlignsColumns() {
        Table table = new Table("op", "count").row("create", 5).row("list", 12_345);

        assertThat(table.text()).isEqualTo("""
                op      count
                ------  -----
                create      5
                list    12345
                """);
        assertThat(table.markdown()).isEqualTo("""
                | op | count |
                |---|---:|
                | create | 5 |
                | list | 12345 |
                """);
    }
}
