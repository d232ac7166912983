package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");

    @Test
    void defaultsAreTheDocumentedRunOfUnderFiveMinutes() {
        GatewaySettings settings = GatewaySettings.from(new String[0], Map.of());

        assertThat(settings.rate()).isEqualTo(2_000.0);
        assertThat(settings.rounds()).isEqualTo(2);
        assertThat(settings.openWindow()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.closedWindow()).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.openRequests(settings.openWindow())).isEqualTo(24_000);
        assertThat(settings.connections()).isEqualTo(32);
        assertThat(settings.anonymousShare()).isEqualTo(0.2);
        assertThat(settings.floor()).isTrue();
        assertThat(settings.profile()).isTrue();
        assertThat(settings.warmupRequests()).isEqualTo(60_000);
        assertThat(settings.warmupCap()).isEqualTo(Duration.ofSeconds(135));
        assertThat(settings.gatewayEnv()).containsEntry(GatewaySettings.USER_QUOTA_ENV, "1000000000")
                .containsEntry(GatewaySettings.IP_QUOTA_ENV, "1000000000").hasSize(2);
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/gateway.md");
        assertThat(settings.gatewayJar().toString()).endsWith("gateway/target/quarkus-app/quarkus-run.jar");
        // warm-ups and windows; start-up (Kafka, PostgreSQL, two services) adds about 40 s
        assertThat(settings.loadTime()).isLessThan(Duration.ofSeconds(200));
        assertThat(settings.budget()).isLessThan(Duration.ofMinutes(20));
    }

    @Test
    void gatewayEnvironmentAndQuotaKnobs() {
        GatewaySettings settings = GatewaySettings.from(new String[] {
                "--gateway-env=LIVESTAGE_GATEWAY_RATE_LIMIT_ENABLED=false, LIVESTAGE_GATEWAY_RATE_LIMIT_REDIS_URL=redis://127.0.0.1:6379",
                "--gateway-quota=5000000", "--rate=500" },
                Map.of("BENCH_OPEN_DURATION", "6", "BENCH_PROFILE", "false", "BENCH_RATE", "9000"));

        assertThat(settings.gatewayEnv()).containsEntry("LIVESTAGE_GATEWAY_RATE_LIMIT_ENABLED", "false")
                .containsEntry("LIVESTAGE_GATEWAY_RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379")
                .containsEntry(GatewaySettings.USER_QUOTA_ENV, "5000000");
        assertThat(settings.rate()).isEqualTo(500.0);
        assertThat(settings.openWindow()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.profile()).isFalse();

        GatewaySettings none = GatewaySettings.from(new String[] { "--gateway-quota=none",
                "--gateway-env=" + GatewaySettings.USER_QUOTA_ENV + "=7" }, Map.of());
        assertThat(none.gatewayEnv()).containsOnly(Map.entry(GatewaySettings.USER_QUOTA_ENV, "7"));
    }

    @Test
    void aVariantGatewayIsAThirdTarget() {
        GatewaySettings plain = GatewaySettings.from(new String[0], Map.of());
        GatewaySettings settings = GatewaySettings.from(new String[] {
                "--variant-env=QUARKUS_MICROMETER_BINDER_HTTP_SERVER_ENABLED=false" }, Map.of());

        assertThat(plain.targets()).isEqualTo(2);
        assertThat(settings.targets()).isEqualTo(3);
        assertThat(settings.variantEnv()).containsOnly(Map.entry("QUARKUS_MICROMETER_BINDER_HTTP_SERVER_ENABLED", "false"));
        assertThat(settings.loadTime()).isEqualTo(plain.loadTime().plus(settings.openDuration())
                .plus(settings.closedDuration()));

        List<GatewayReport.Line> lines = new ArrayList<>();
        Duration window = Duration.ofSeconds(10);
        lines.add(new GatewayReport.Line("closed", "direct", "get", 1, 20_000, 0, window, micros(1_000, 9_000, 100)));
        lines.add(new GatewayReport.Line("closed", "gateway", "get", 1, 15_000, 0, window, micros(1_000, 9_000, 100)));
        lines.add(new GatewayReport.Line("closed", "variant", "get", 1, 18_000, 0, window, micros(1_000, 9_000, 100)));
        GatewayReport report = new GatewayReport(MACHINE, settings, List.of(), lines, Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(), List.of(), List.of(), List.of(), null);
        assertThat(report.throughputRatio()).isEqualTo(0.75);
        assertThat(report.ratio("variant", "gateway")).isEqualTo(1.2);
        assertThat(report.markdown()).contains("| round | gateway ok/s | variant ok/s | variant ÷ gateway |")
                .contains("| all | 1500 | 1800 | 120.0 % |");
        assertThat(String.join("\n", report.limits())).contains("closed-loop throughput 120.0 % of the gateway's");
    }

    @Test
    void refusesTyposAndUnboundedRuns() {
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--gateway-envs=A=1" }, Map.of()))
                .hasMessageContaining("Unknown argument");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--gateway-env=NOVALUE" }, Map.of()))
                .hasMessageContaining("NAME=value");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--gateway-env=1BAD=x" }, Map.of()))
                .hasMessageContaining("not an environment variable name");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--gateway-quota=lots" }, Map.of()))
                .hasMessageContaining("gateway-quota");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--rate=0" }, Map.of()))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--open-duration=0", "--closed-duration=0" },
                Map.of())).hasMessageContaining("nothing to measure");
        assertThatThrownBy(() -> GatewaySettings.from(new String[] { "--profile=maybe" }, Map.of()))
                .hasMessageContaining("profile must be true or false");
    }

    @Test
    void openLoopScheduleIsAConstantRate() {
        long start = 1_000_000_000L;
        assertThat(OpenLoop.dueNanos(start, 2_000, 0)).isEqualTo(start);
        assertThat(OpenLoop.dueNanos(start, 2_000, 1)).isEqualTo(start + 500_000);
        assertThat(OpenLoop.dueNanos(start, 2_000, 24_000)).isEqualTo(start + 12_000_000_000L);
        assertThat(OpenLoop.dueNanos(start, 3, 1)).isEqualTo(start + 333_333_333);
    }

    @Test
    void otherProcessesAreNamedByJarOrMainClass() {
        assertThat(OtherProcesses.describe("java", new String[] { "-Xmx512m", "-jar",
                "/work/x/token-service/target/quarkus-app/quarkus-run.jar" }))
                .isEqualTo("java -jar token-service/…/quarkus-run.jar");
        assertThat(OtherProcesses.describe("java", new String[] { "-classpath", "/a.jar:/b.jar", "-Dx=y",
                "org.codehaus.plexus.classworlds.launcher.Launcher", "-B", "verify" }))
                .isEqualTo("java org.codehaus.plexus.classworlds.launcher.Launcher");
        assertThat(OtherProcesses.describe("java", new String[] { "-jar", "/tmp/surefirebooter1.jar" }))
                .isEqualTo("java -jar surefirebooter1.jar");
        assertThat(OtherProcesses.describe("postgres", new String[] { "-D", "/data" })).isEqualTo("postgres");
    }

    @Test
    void profileSamplesGoToTheInnermostKnownComponent() {
        // innermost first, as JFR gives them
        assertThat(JfrSummary.componentOf(List.of("java.util.HashMap.get", "io.netty.util.AsciiString.hashCode",
                "io.vertx.core.http.impl.headers.HeadersMultiMap.get0", "io.livestage.gateway.proxy.GatewayRouter.edge")))
                .isEqualTo("Vert.x HTTP headers and other HTTP");
        assertThat(JfrSummary.componentOf(List.of("java.util.UUID.randomUUID", "io.livestage.platform.http.RequestIds.of",
                "io.livestage.gateway.proxy.GatewayRouter.edge"))).isEqualTo("gateway: RequestIds");
        assertThat(JfrSummary.componentOf(List.of("io.quarkus.vertx.http.runtime.cors.CORSFilter.handle",
                "io.vertx.ext.web.impl.RoutingContextImpl.next"))).isEqualTo("Quarkus CORS filter");
        assertThat(JfrSummary.componentOf(List.of("java.lang.Thread.run"))).startsWith("JDK only");
        assertThat(JfrSummary.componentOf(List.of("org.example.Thing.run"))).isEqualTo("other: org.example");
    }

    private static Histogram micros(long from, long to, int count) {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        for (int i = 0; i < count; i++) {
            h.recordValue(from + (to - from) * i / Math.max(1, count - 1));
        }
        return h;
    }

    private static GatewayReport report(GatewaySettings settings, double gatewayClosedRps, long gatewayP99Top) {
        List<GatewayReport.Line> lines = new ArrayList<>();
        Duration window = Duration.ofSeconds(10);
        for (int round = 1; round <= 2; round++) {
            // 1,000 samples each: p99 is the 990th value
            lines.add(new GatewayReport.Line("open", "direct", "get", round, 1_000, 0, window, micros(500, 2_000, 1_000)));
            lines.add(new GatewayReport.Line("open", "gateway", "get", round, 1_000, 0, window,
                    micros(600, gatewayP99Top, 1_000)));
            lines.add(new GatewayReport.Line("open", "direct", "get-anon", round, 250, 0, window, micros(400, 1_500, 250)));
            lines.add(new GatewayReport.Line("open", "gateway", "get-anon", round, 250, 0, window, micros(450, 1_800, 250)));
            lines.add(new GatewayReport.Line("closed", "direct", "get", round, 20_000, 0, window, micros(1_000, 9_000, 100)));
            lines.add(new GatewayReport.Line("closed", "gateway", "get", round, Math.round(gatewayClosedRps * 10), 3,
                    window, micros(1_500, 12_000, 100)));
        }
        lines.add(new GatewayReport.Line("open", "floor", "get", 1, 1_000, 0, window, micros(100, 400, 100)));
        lines.add(new GatewayReport.Line("open", "floor via proxy hop", "get", 1, 1_000, 0, window, micros(200, 700, 100)));
        lines.add(new GatewayReport.Line("closed", "floor", "get", 1, 100_000, 0, window, micros(100, 900, 100)));
        lines.add(new GatewayReport.Line("closed", "floor via proxy hop", "get", 1, 50_000, 0, window,
                micros(200, 1_900, 100)));
        CpuMeter.Usage usage = new CpuMeter.Usage(20, Map.of("gateway", 0.6, "session-service", 0.9), 0.3, 0.15, 2.0, 2,
                Map.of());
        Histogram lag = micros(10, 300, 100);
        JfrSummary.Profile profile = new JfrSummary.Profile(100,
                List.of(new JfrSummary.Entry("Netty event loop, pipeline, socket I/O", 60, 0.6)),
                List.of(new JfrSummary.Entry("io.netty.Foo.bar", 10, 0.1)),
                List.of(new JfrSummary.Entry("java.lang.Thread.run", 100, 1.0)),
                List.of(new JfrSummary.Entry("request id: RequestIds.of (regex or UUID.randomUUID)", 2, 0.02)),
                Path.of("gateway.jfr"));
        return new GatewayReport(MACHINE, settings, List.of("a method line"), lines, Map.of(),
                Map.of("closed direct", usage, "closed gateway", usage), Map.of("gateway", lag), Map.of("gateway", 4L),
                Map.of("closed gateway get 502", 6L), List.of("a note"),
                List.of(new OtherProcesses.Usage("java org.codehaus.plexus.classworlds.launcher.Launcher", 1, 0.4)),
                List.of(3.1, 4.2), profile).withLoad("1.00 1.00 1.00", "2.00 1.50 1.10")
                .withArguments(List.of("--root=/repo", "--rate=2000"));
    }

    @Test
    void theLastLineIsTheResultAndGoalsAreJudged() {
        GatewaySettings settings = GatewaySettings.from(new String[0], Map.of());
        GatewayReport report = report(settings, 1_500, 2_800);

        String markdown = report.markdown();
        List<String> lines = markdown.lines().toList();

        // p99 of 500..2000 µs over 1,000 values ≈ 1985 µs; of 600..2800 ≈ 2778 µs (3 significant digits)
        assertThat(report.addedP99Ms()).isBetween(0.75, 0.85);
        assertThat(report.throughputRatio()).isEqualTo(0.75);
        assertThat(lines.getLast()).matches("RESULT added_p99_ms=0\\.[78]\\d throughput_ratio=0\\.75");
        assertThat(markdown).startsWith("# Benchmark: gateway")
                .contains("- commit: abc1234")
                .contains("| ≤ 1 ms |")
                .contains("| ≥ 70.0 % | 75.0 % | met |")
                .contains("| direct | get | all | 2000 | 0 | 100 |")
                .contains("| closed gateway get | 502 | 6 |")
                .contains("java org.codehaus.plexus.classworlds.launcher.Launcher")
                .contains("./bench/run gateway --rate=2000\n")
                .contains("## Where the gateway spends its time (JFR)")
                .contains("| Netty event loop, pipeline, socket I/O | 60 | 60.0 % |")
                .contains("1-minute load 3.10–4.20")
                .contains("- a note")
                .doesNotContain("--root=");
        assertThat(report.goalsTable().text()).contains("met").doesNotContain("NOT met");
    }

    @Test
    void missedGoalsAndSaturationAreSaid() {
        GatewaySettings settings = GatewaySettings.from(new String[] { "--rate=2000" }, Map.of());
        // direct answered 125 ok/s of 2000 offered: saturated
        GatewayReport report = report(settings, 1_000, 30_000);

        assertThat(report.throughputRatio()).isEqualTo(0.5);
        assertThat(report.addedP99Ms()).isGreaterThan(1.0);
        assertThat(report.directSaturated()).isTrue();
        assertThat(report.goalsTable().text()).contains("NOT met (direct saturated too, see below)").contains("50.0 %");
        assertThat(String.join("\n", report.limits())).contains("did not keep up with 2000 req/s");
        assertThat(report.resultLine()).startsWith("RESULT added_p99_ms=").endsWith(" throughput_ratio=0.50");
        assertThat(Optional.ofNullable(report.cpuTable())).isPresent();
    }
}
