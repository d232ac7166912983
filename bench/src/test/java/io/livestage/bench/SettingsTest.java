package io.livestage.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void defaultsMatchTheDocumentedRun() {
        Settings settings = Settings.from(new String[0], Map.of());

        assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.floorDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.connections()).isEqualTo(16);
        assertThat(settings.hosts()).isEqualTo(20);
        assertThat(settings.eventRate()).isEqualTo(50.0);
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/session-api.md");
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        Settings settings = Settings.from(new String[] { "--duration=6", "--connections=8" },
                Map.of("BENCH_DURATION", "60", "BENCH_WARMUP", "2.5", "BENCH_EVENT_RATE", "10", "BENCH_MIX", "list=1"));

        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(6));
        assertThat(settings.floorDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.warmup()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(settings.connections()).isEqualTo(8);
        assertThat(settings.eventRate()).isEqualTo(10.0);
        assertThat(settings.mix().operations()).containsExactly(Operation.LIST);
    }

    @Test
    void rejectsUnknownAndOutOfRangeKnobs() {
        assertThatThrownBy(() -> Settings.from(new String[] { "--durration=5" }, Map.of()))
                .hasMessageContaining("Unknown argument");
        assertThatThrownBy(() -> Settings.from(new String[] { "--connections=0" }, Map.of()))
                .hasMessageContaining("connections");
        assertThatThrownBy(() -> Settings.from(new String[] { "duration" }, Map.of()))
                .hasMessageContaining("--name=value");
    }
}
