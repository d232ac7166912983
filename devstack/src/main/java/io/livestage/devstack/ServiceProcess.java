package io.livestage.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.infra.process.HttpReadiness;
import io.livestage.infra.process.HttpReadiness.NotReadyException;
import io.livestage.infra.service.QuarkusService;
import io.livestage.infra.service.QuarkusService.Datasource;

/**
 * A Quarkus service run from its build output ({@code java -jar <module>/target/quarkus-app/quarkus-run.jar}) with the
 * stack's coordinates in the standard Quarkus environment variables (ADR 0001); output to
 * {@code .devstack/logs/<service>.log}. Command, environment and readiness wait are livestage-infra's
 * {@link QuarkusService} and {@link HttpReadiness}, as for the tests' service processes.
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
        return QuarkusService.fastJar(config.rootDir().resolve(spec.module()));
    }

    /** The environment a service gets: dev profile, HTTP port, Kafka, its database (identity: {@link #keycloakEnvironment}). */
    public static Map<String, String> environment(int port, String kafkaBootstrap, PostgresNode postgres, String database) {
        Map<String, String> env = QuarkusService.environment(port, kafkaBootstrap, database == null ? null
                : new Datasource(postgres.jdbcUrl(database), postgres.reactiveUrl(database), postgres.username(),
                        postgres.password()));
        // The local stack runs on development defaults (LiveKit's dev key pair, ...), which the prod profile refuses
        env.put("QUARKUS_PROFILE", "dev");
        return env;
    }

    /**
     * Tokens from the stack's Keycloak: quarkus-oidc discovers issuer and keys from the realm, and accepts only
     * access tokens for the audience {@value KeycloakNode#AUDIENCE} (every livestage client adds it).
     */
    public static Map<String, String> keycloakEnvironment(KeycloakNode keycloak) {
        return QuarkusService.oidcProvider(keycloak.authServerUrl(), KeycloakNode.AUDIENCE);
    }

    /** Tokens of the local dev identity ({@code LIVESTAGE_KEYCLOAK=off}): its public key and issuer. */
    public static Map<String, String> devIdentityEnvironment(DevIdentity identity) {
        return QuarkusService.oidcPublicKey(identity.publicKeyBase64(), DevIdentity.ISSUER);
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
        List<String> command = QuarkusService.command(config.javaCommand(), config.serviceJvmOptions(), jar);
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
        try {
            HttpReadiness.await(QuarkusService.readinessUrl(DevStackConfig.HOST, port), process.child(), timeout,
                    Duration.ofMillis(500));
        } catch (NotReadyException e) {
            throw switch (e.failure()) {
                case STOPPED -> new DevStackException("Stopped while waiting for " + spec.name() + ".", "");
                case INTERRUPTED -> new DevStackException("Interrupted while waiting for " + spec.name() + ".", "");
                case EXITED -> new DevStackException(spec.name() + " exited (code " + process.exitValue() + ") before it was ready.\n"
                        + Logs.tailBlock(process.logFile(), 30),
                        "See " + process.logFile() + " for the full log. Fix the cause, rebuild (./livestage up builds),"
                                + " or start without it: LIVESTAGE_SERVICES=none ./livestage up");
                case TIMED_OUT -> new DevStackException(spec.name() + " was not ready within " + timeout.toSeconds()
                        + " s (last: " + e.lastAnswer() + ").\n" + Logs.tailBlock(process.logFile(), 30),
                        "See " + process.logFile() + ". A slow machine may need more time: LIVESTAGE_READY_TIMEOUT_SECONDS=300 ./livestage up");
            };
        }
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
}
