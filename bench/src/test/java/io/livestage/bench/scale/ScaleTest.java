package io.livestage.bench.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.bench.core.Knobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scale benchmark's pure parts: knobs, how the population and the sockets are shared out, the JVM options. */
class ScaleTest {

    private static ScaleSettings settings(String... args) {
        return settings(Map.of(), args);
    }

    private static ScaleSettings settings(Map<String, String> env, String... args) {
        Knobs knobs = new Knobs(List.of(args), env);
        ScaleSettings settings = ScaleSettings.from(knobs);
        knobs.finish();
        return settings;
    }

    @Test
    void defaultsAreTheIssuesFullRunAndSmallerRunsParse() {
        ScaleSettings full = settings();
        assertThat(full.sessions()).isEqualTo(1_000);
        assertThat(full.guests()).isEqualTo(20);
        assertThat(full.viewers()).isEqualTo(10_000);
        assertThat(full.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(full.ramp()).isEqualTo(Duration.ofSeconds(120));
        assertThat(full.replicas()).isEqualTo(2);
        assertThat(full.gateway()).isTrue();
        assertThat(full.participants()).isEqualTo(30_000);

        ScaleSettings smoke = settings("--sessions=5", "--guests=5", "--viewers=50", "--duration=20s", "--ramp=10s",
                "--via=direct", "--chat-interval=250ms", "--idle=1m", "--restart=false");
        assertThat(smoke.participants()).isEqualTo(75);
        assertThat(smoke.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(smoke.chatInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(smoke.idle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(smoke.gateway()).isFalse();
        assertThat(smoke.restart()).isFalse();
        assertThat(settings(Map.of("BENCH_SESSIONS", "7")).sessions()).isEqualTo(7);
    }

    @Test
    void badKnobsAreRefused() {
        assertThatThrownBy(() -> settings("--sesions=5")).hasMessageContaining("sesions");
        assertThatThrownBy(() -> settings("--guests=21")).hasMessageContaining("guests");
        assertThatThrownBy(() -> settings("--replicas=5")).hasMessageContaining("replicas");
        assertThatThrownBy(() -> settings("--via=proxy")).hasMessageContaining("via");
        assertThatThrownBy(() -> settings("--duration=ten")).hasMessageContaining("duration");
    }

    @Test
    void viewersAndSocketsAreSharedOutEvenlyGuestsFirst() {
        ScaleSettings s = settings("--sessions=3", "--guests=2", "--viewers=7");
        assertThat(List.of(s.viewersOf(0), s.viewersOf(1), s.viewersOf(2))).containsExactly(3, 2, 2);
        // the limit here: 20,000 descriptors, two per socket in the gateway
        assertThat(ScaleSettings.socketCap(20_000, true)).isEqualTo(9_000);
        assertThat(ScaleSettings.socketCap(20_000, false)).isEqualTo(18_000);
        assertThat(ScaleSettings.socketCap(1_000, true)).isZero();
        assertThat(s.socketsOf(0, 9_000)).as("all fit").isEqualTo(5);
        assertThat(s.socketsOf(0, 9)).as("capped: 9 sockets for 3 sessions").isEqualTo(3);
        assertThat(settings().socketsOf(0, 9_000)).as("the full run here").isEqualTo(9);
    }

    @Test
    void theContainerJvmOptionsComeFromTheRootPomWithoutTheImagesArchive(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("pom.xml"), "<project><properties><images.jvm-options>-XX:+UseSerialGC "
                + "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/tmp/livestage-cds.jsa -Xss512k"
                + "</images.jvm-options></properties></project>");
        assertThat(ScaleScenario.jvmOptions(root)).containsExactly("-XX:MaxRAM=512m", "-XX:+UseSerialGC", "-Xss512k");
        assertThat(RoomSockets.field("{\"message\":{\"clientMessageId\":\"m42\",\"text\":\"x\"}}", "clientMessageId"))
                .isEqualTo("m42");
    }
}
