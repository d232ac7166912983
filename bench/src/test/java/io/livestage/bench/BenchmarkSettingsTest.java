package io.livestage.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkSettingsTest {
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
