package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * What the tokens and stage benchmarks run against, as StageEnforcementIT does: Kafka and PostgreSQL (testing module),
 * the LiveKit contract stub in the harness JVM, and the packaged session-service and token-service as child processes
 * (same JDK, JVM defaults unless {@code javaOptions} — never the tests' C1-only flags), token-service wired to
 * session-service and to the stub (LIVEKIT_URL=ws://127.0.0.1:port, its API key and secret).
 */
final class LiveStack implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    final Harness.Kafka kafka;
    final Harness.Postgres postgres;
    final TestDatabase sessionDatabase;
    final TestDatabase tokenDatabase;
    final LiveKitStub livekit;
    final ServiceProcess sessionService;
    final ServiceProcess tokenService;
    final String javaOptions;

    private LiveStack(Harness.Kafka kafka, Harness.Postgres postgres, TestDatabase sessionDatabase,
            TestDatabase tokenDatabase, LiveKitStub livekit, ServiceProcess sessionService, ServiceProcess tokenService,
            String javaOptions) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.sessionDatabase = sessionDatabase;
        this.tokenDatabase = tokenDatabase;
        this.livekit = livekit;
        this.sessionService = sessionService;
        this.tokenService = tokenService;
        this.javaOptions = javaOptions;
    }

    /**
     * Starts everything; logs go to {@code bench/target/<benchmark>/<service>.log}. On failure whatever was started is
     * stopped again.
     */
    static LiveStack start(String benchmark, StackJars jars, List<String> notes) {
        Path root = jars.repoRoot();
        String javaOptions = jars.serviceJavaOpts();
        Path sessionJar = jars.sessionJar();
        Path tokenJar = jars.tokenJar();
        Harness.Kafka kafka = Harness.kafka(notes);
        Harness.Postgres postgres = Harness.postgres();
        String prefix = "livestage_" + benchmark.replace('-', '_') + "_bench";
        TestDatabase sessionDatabase = postgres.create(prefix + "_session");
        TestDatabase tokenDatabase = postgres.create(prefix + "_token");
        LiveKitStub livekit = LiveKitStub.start();
        Harness.log("LiveKit stub: " + livekit.url());
        Path logs = root.resolve("bench/target").resolve(benchmark);
        ServiceProcess session = null;
        try {
            Harness.log("session-service: starting " + sessionJar);
            session = ServiceProcess.builder("session-service").jar(sessionJar).javaOptions(javaOptions)
                    .database(sessionDatabase).kafka(kafka.bootstrapServers())
                    .log(logs.resolve("session-service.log")).readyTimeout(READY_TIMEOUT).start();
            Harness.log("session-service: ready on " + session.url() + " after " + session.startupTime().toMillis()
                    + " ms (pid " + session.pid() + ", log " + session.log() + ")");
            Harness.log("token-service: starting " + tokenJar);
            ServiceProcess token = ServiceProcess.builder("token-service").jar(tokenJar).javaOptions(javaOptions)
                    .database(tokenDatabase).kafka(kafka.bootstrapServers())
                    .env("LIVEKIT_URL", livekit.url().replace("http://", "ws://"))
                    .env("LIVEKIT_API_KEY", livekit.apiKey())
                    .env("LIVEKIT_API_SECRET", livekit.apiSecret())
                    .env("SESSION_SERVICE_URL", session.url())
                    .log(logs.resolve("token-service.log")).readyTimeout(READY_TIMEOUT).start();
            Harness.log("token-service: ready on " + token.url() + " after " + token.startupTime().toMillis()
                    + " ms (pid " + token.pid() + ", log " + token.log() + ")");
            return new LiveStack(kafka, postgres, sessionDatabase, tokenDatabase, livekit, session, token, javaOptions);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            livekit.close();
            throw e;
        }
    }

    /** CPU of both services, the harness and the embedded PostgreSQL. */
    CpuMeter cpuMeter() {
        return new CpuMeter(List.of(new CpuMeter.Part("session-service", sessionService.handle()),
                new CpuMeter.Part("token-service", tokenService.handle())), postgres.postmaster(sessionDatabase));
    }

    /** ANALYZE both databases (see {@link Harness.Postgres#analyze}). */
    void analyze() {
        postgres.analyze(sessionDatabase);
        postgres.analyze(tokenDatabase);
    }

    /** For the Method section of a report. */
    String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("Kafka " + kafka.origin());
        parts.add("PostgreSQL " + postgres.origin() + ", fresh databases " + sessionDatabase.name() + " and "
                + tokenDatabase.name());
        parts.add("LiveKit: the testing module's LiveKitStub (RoomService over Twirp, LiveKit's auth, in-memory rooms) "
                + "in the harness JVM");
        parts.add("session-service and token-service as child processes: java " + (javaOptions.isBlank() ? ""
                : javaOptions + " ") + "-jar <module>/target/quarkus-app/quarkus-run.jar (same JDK as the harness, "
                + "JVM defaults: tiered compilation up to C2; default configuration), token-service with LIVEKIT_URL = "
                + "the stub, SESSION_SERVICE_URL = session-service");
        return String.join("; ", parts);
    }

    @Override
    public void close() {
        tokenService.close();
        sessionService.close();
        livekit.close();
    }
}
