package io.livestage.infra.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {

    @TempDir
    Path dir;

    /** A child JVM that prints the given variable, then sleeps {@code seconds} (java's source launcher, no build). */
    private ChildProcess startSleeper(String variable, int seconds, ChildProcess.Log mode) throws IOException {
        Path source = dir.resolve("Sleeper.java");
        Files.writeString(source, """
                class Sleeper {
                    public static void main(String[] a) throws Exception {
                        System.out.println("value=" + System.getenv(a[0]));
                        Thread.sleep(Long.parseLong(a[1]) * 1000);
                    }
                }
                """);
        return ChildProcess.start("sleeper", List.of(JvmFlags.currentJava(), source.toString(), variable,
                Integer.toString(seconds)), dir, Map.of(variable, "from-the-parent"), dir.resolve("logs/sleeper.log"), mode);
    }

    @Test
    void theEnvironmentReachesTheChildAndItsOutputTheLog() throws Exception {
        ChildProcess child = startSleeper("LIVESTAGE_INFRA_TEST", 0, ChildProcess.Log.REPLACE);

        assertThat(child.waitFor(Duration.ofSeconds(60))).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(child.tail(5)).contains("value=from-the-parent");
    }

    @Test
    void appendKeepsThePreviousRunsOutput() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/sleeper.log"), "previous run\n", StandardCharsets.UTF_8);
        ChildProcess child = startSleeper("LIVESTAGE_INFRA_TEST", 0, ChildProcess.Log.APPEND);

        child.waitFor(Duration.ofSeconds(60));
        assertThat(child.tail(5)).containsExactly("previous run", "value=from-the-parent");
    }

    @Test
    void stopEndsTheProcessWithinTheGracePeriod() throws Exception {
        ChildProcess child = startSleeper("LIVESTAGE_INFRA_TEST", 600, ChildProcess.Log.REPLACE);

        assertThat(child.stop(Duration.ofSeconds(20))).isTrue();
        assertThat(child.isAlive()).isFalse();
        assertThat(child.isStopping()).isTrue();
    }

    @Test
    void readinessWaitsForTheFirst200() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ready", exchange -> {
            int status = calls.incrementAndGet() < 3 ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ready");
            HttpReadiness.await(url, null, Duration.ofSeconds(30), Duration.ofMillis(10));
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void readinessFailsAtOnceWhenTheProcessExits() throws Exception {
        ChildProcess child = startSleeper("LIVESTAGE_INFRA_TEST", 0, ChildProcess.Log.REPLACE);
        child.waitFor(Duration.ofSeconds(60));

        assertThatThrownBy(() -> HttpReadiness.await(URI.create("http://127.0.0.1:9/ready"), child, Duration.ofSeconds(30),
                Duration.ofMillis(10)))
                .isInstanceOfSatisfying(HttpReadiness.NotReadyException.class,
                        e -> assertThat(e.failure()).isEqualTo(HttpReadiness.Failure.EXITED));
    }

    @Test
    void readinessGivesUpAfterTheTimeoutWithTheLastAnswer() {
        assertThatThrownBy(() -> HttpReadiness.await(URI.create("http://127.0.0.1:9/ready"), null, Duration.ofMillis(300),
                Duration.ofMillis(50)))
                .isInstanceOfSatisfying(HttpReadiness.NotReadyException.class, e -> {
                    assertThat(e.failure()).isEqualTo(HttpReadiness.Failure.TIMED_OUT);
                    assertThat(e.lastAnswer()).startsWith("no answer");
                });
    }
}
