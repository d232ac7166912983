package io.livestage.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkSettingsTest {

    @Test
    void tokensDefaultsMatchTheDocumentedRun() {
        TokensSettings settings = TokensSettings.from(new String[0], Map.of());

        assertThat(settings.jmhForks()).isEqualTo(2);
        assertThat(settings.jmhWarmupIterations()).isEqualTo(5);
        assertThat(settings.jmhIterations()).isEqualTo(5);
        assertThat(settings.jmhIterationTime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.joinDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.floorDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.connections()).isEqualTo(16);
        assertThat(settings.users()).isEqualTo(2_000);
        assertThat(settings.sessions()).isEqualTo(50);
        assertThat(settings.firstJoinShare()).isEqualTo(0.5);
        assertThat(settings.stack().serviceJavaOpts()).isEmpty();
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/tokens.md");
        // JMH of the defaults: 3 benchmarks × 2 forks × (10 iterations of 1 s + JVM start) — about a minute.
        assertThat(settings.jmhEstimate()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(100));
        assertThat(settings.budget()).isLessThan(Duration.ofMinutes(20));
    }

    @Test
    void tokensKnobsComeFromArgumentsThenEnvironment() {
        TokensSettings settings = TokensSettings.from(new String[] { "--duration=0", "--jmh-forks=1" },
                Map.of("BENCH_DURATION", "60", "BENCH_FIRST_JOIN_SHARE", "0.25", "BENCH_SERVICE_JAVA_OPTS", "-Xmx1g"));

        assertThat(settings.duration()).isZero();
        assertThat(settings.jmhForks()).isEqualTo(1);
        assertThat(settings.firstJoinShare()).isEqualTo(0.25);
        assertThat(settings.stack().serviceJavaOpts()).isEqualTo("-Xmx1g");
    }

    @Test
    void tokensRejectsNothingToRunAndTypos() {
        assertThatThrownBy(() -> TokensSettings.from(new String[] { "--duration=0", "--jmh-forks=0" }, Map.of()))
                .hasMessageContaining("nothing to run");
        assertThatThrownBy(() -> TokensSettings.from(new String[] { "--jmh-fork=1" }, Map.of()))
                .hasMessageContaining("Unknown argument");
        assertThatThrownBy(() -> TokensSettings.from(new String[] { "--first-join-share=2" }, Map.of()))
                .hasMessageContaining("first-join-share");
        assertThatThrownBy(() -> TokensSettings.from(new String[] { "--users=many" }, Map.of()))
                .hasMessageContaining("users must be a whole number");
    }

    @Test
    void stageDefaultsAreSeveralHundredApprovalsAtAModestRate() {
        StageSettings settings = StageSettings.from(new String[0], Map.of());

        assertThat(settings.sessions()).isEqualTo(4);
        assertThat(settings.approvals()).isEqualTo(500);
        assertThat(settings.rate()).isEqualTo(10.0);
        assertThat(settings.warmupApprovals()).isEqualTo(600);
        assertThat(StageSettings.phase(settings.approvals(), settings.rate())).isEqualTo(Duration.ofSeconds(50));
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/stage.md");
        assertThat(settings.budget()).isLessThan(Duration.ofMinutes(15));
    }

    @Test
    void stageRejectsUnboundedRuns() {
        assertThatThrownBy(() -> StageSettings.from(new String[] { "--rate=0" }, Map.of()))
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> StageSettings.from(new String[] { "--approvals=100000", "--rate=1" }, Map.of()))
                .hasMessageContaining("1800 s");
    }
}
