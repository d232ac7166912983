package io.livestage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./bench/run analytics} end to end in a tiny configuration, through {@link Main#runScenario}: the Kafka broker
 * process (devstack's jars, {@code devstack/target/lib}), PostgreSQL of the testing module, the packaged
 * analytics-service ({@code analytics-service/target/quarkus-app}, built before this module), the plain consumer in its
 * own JVM, a short live sweep.
 */
class AnalyticsBenchIT {
    private static final Pattern RESULT = Pattern.compile("RESULT live_knee=(\\d+) live_p99_ms=(\\d+\\.\\d) "
            + "events_per_s=(\\d+) ratio_vs_plain=(\\d+\\.\\d\\d) cpu_ratio_vs_plain=(\\d+\\.\\d\\d)");

    @Test
    void aTinyRunWritesAReportWithSaneFigures() throws Exception {
        Path root = ServiceProcess.projectRoot();
        Path reportFile = root.resolve("bench/target/analytics-it/analytics.md");
        Files.deleteIfExists(reportFile);
        assertThat(root.resolve("analytics-service/target/quarkus-app/quarkus-run.jar")).as("package it first")
                .isRegularFile();

        int status = Main.runScenario("analytics", AnalyticsScenario::new, List.of("--root=" + root,
                "--events=6000", "--sessions=20", "--seed=11", "--rounds=1", "--final-delay=1s", "--check-sessions=5",
                "--live-sessions=3", "--live-rates=20,40", "--live-step=2s", "--live-warmup-rate=20",
                "--warmup-window=1s", "--warmup-cap=2s", "--jit-window=1s", "--catch-up-timeout=240s",
                "--report=bench/target/analytics-it/analytics.md"), Map.of());

        assertThat(status).isZero();
        String markdown = Files.readString(reportFile);
        String last = markdown.lines().toList().getLast();
        Matcher result = RESULT.matcher(last);
        assertThat(result.matches()).as("last line: %s", last).isTrue();
        assertThat(Double.parseDouble(result.group(2))).as("live p99").isPositive();
        assertThat(Long.parseLong(result.group(3))).as("events/s").isPositive();
        assertThat(Double.parseDouble(result.group(4))).as("ratio to the plain consumer").isPositive();
        assertThat(markdown).contains("## 1. Throughput over the whole log", "## 2. Live latency",
                "20 of 20 ended sessions had their final statistics", "5 of 5 sessions' statistics (read as their "
                        + "hosts) match the log", "| in all | 6000 |", "| records added to the two topics | 6000 |");
    }
}
