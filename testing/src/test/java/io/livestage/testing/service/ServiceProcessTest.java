package io.livestage.testing.service;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What can be checked without starting a service (the ITs and the benchmarks start real ones). */
class ServiceProcessTest {

    @Test
    void aMissingJarIsReportedBeforeAnythingIsStarted() {
        Path missing = Path.of("target", "no-such-service", "quarkus-run.jar");

        assertThatThrownBy(() -> ServiceProcess.builder("no-such-service").jar(missing).javaOptions("").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus-run.jar is missing")
                .hasMessageContaining("-pl no-such-service");
    }

    @Test
    void testsStartFastAndBenchmarksDoNot() {
        assertThat(ServiceProcess.FAST_START_JAVA_OPTIONS).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void findsTheProjectRoot() {
        assertThat(ServiceProcess.projectRoot().resolve("testing/pom.xml")).exists();
    }
}
