package io.livestage.devstack;

import io.livestage.devstack.Catalog.ServiceSpec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus service run from its build output ({@code java -jar <module>/target/quarkus-app/quarkus-run.jar}) with the
 * stack's coordinates in the standard Quarkus environment variables (ADR 0001); output to
 * {@code .devstack/logs/<service>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final ServiceSpec spec;
    private final int port;
    private final ManagedProcess process;

    private ServiceProcess(ServiceSpec spec, int port, ManagedProcess process) {
        this.spec = spec;
        this.port = port;
        this.process = process;
    }

    public static Path jarOf(DevStackConfig config, ServiceSpec spec) {
        return config.rootDir().resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The environment a service gets: dev profile, HTTP port, Kafka, its database (identity: {@link #keycloakEnvironment}). */
    public static Map<String, String> environment(int port, String kafkaBootstrap, PostgresNode postgres, String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // The local stack runs on development defaults (LiveKit's dev key pair, ...), which the prod profile refuses
        env.put("QUARKUS_PROFILE", "dev");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        if (database == null) {
            return env;
        }
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        return env;
    }

    /**
     * Tokens from the stack's Keycloak: quarkus-oidc discovers issuer and keys from the realm, and accepts only
     * access tokens for the audience {@value KeycloakNode#AUDIENCE} (every livestage client adds it).
     */
    public static Map<String, String> keycloakEnvironment(KeycloakNode keycloak) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.authServerUrl());
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", KeycloakNode.AUDIENCE);
        return env;
    }

    /** Tokens of the local dev identity ({@code LIVESTAGE_KEYCLOAK=off}): its public key and issuer. */
    public static Map<String, String> devIdentityEnvironment(DevIdentity identity) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_OIDC_PUBLIC_KEY", identity.publicKeyBase64());
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", DevIdentity.ISSUER);
        return env;
    }

    /** Starts the service process (does not wait). */
    public static ServiceProcess launch(DevStackConfig config, ServiceSpec spec, Map<String, String> env) {
        Path jar = jarOf(config, spec);
        if (!Files.isRegularFile(jar)) {
            throw new DevStackException(spec.name() + " is not built: " + config.rootDir().relativize(jar) + " is missing.",
                    "Build it: ./mvnw -B -q -DskipTests -pl " + spec.module() + " -am install"
                            + " (or run ./livestage up without --no-build).");
        }
        int port = config.portOf(spec);
        Ports.requireFree(spec.name(), port, spec.portEnvVar());
        List<String> command = new ArrayList<>();
        command.add(config.javaCommand());
        command.addAll(config.serviceJvmOptions());
        command.addAll(JvmFlags.quietOnModernJdk());
        command.add("-jar");
        command.add(jar.toString());
        Path log = Logs.fresh(config.logsDir().resolve(spec.name() + ".log"));
        // working dir = the module, so a module's .env / config/application.properties apply as with quarkus:dev
        ManagedProcess p = ManagedProcess.start(spec.name(), command, env, config.rootDir().resolve(spec.module()), log,
                config.pidsDir());
        return new ServiceProcess(spec, port, p);
    }

    public String healthUrl() {
        return "http://localhost:" + port + "/q/health/ready";
    }

    /** Polls {@code /q/health/ready} until it answers 200; fails with the log tail if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + DevStackConfig.HOST + ":" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastStatus = "no answer";
        while (System.nanoTime() < deadline) {
            if (process.isStopping()) {
                throw new DevStackException("Stopped while waiting for " + spec.name() + ".", "");
            }
            if (!process.isAlive()) {
                throw new DevStackException(spec.name() + " exited (code " + process.process().exitValue() + ") before it was ready.\n"
                        + Logs.tailBlock(process.logFile(), 30),
                        "See " + process.logFile() + " for the full log. Fix the cause, rebuild (./livestage up builds),"
                                + " or start without it: LIVESTAGE_SERVICES=none ./livestage up");
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastStatus = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                lastStatus = "no answer (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("Interrupted while waiting for " + spec.name() + ".", "");
            }
            sleep(500);
        }
        throw new DevStackException(spec.name() + " was not ready within " + timeout.toSeconds() + " s (last: " + lastStatus + ").\n"
                + Logs.tailBlock(process.logFile(), 30),
                "See " + process.logFile() + ". A slow machine may need more time: LIVESTAGE_READY_TIMEOUT_SECONDS=300 ./livestage up");
    }

    private static String abbreviate(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    public ServiceSpec spec() {
        return spec;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGTERM (Quarkus graceful shutdown), SIGKILL after 20 s. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
