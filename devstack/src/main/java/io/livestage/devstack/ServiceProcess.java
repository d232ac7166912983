package io.livestage.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private final DevStackConfig.Instance instance;
    private final ManagedProcess process;
    private final StartupCache.Plan cache;

    private ServiceProcess(DevStackConfig.Instance instance, ManagedProcess process, StartupCache.Plan cache) {
        this.instance = instance;
        this.process = process;
        this.cache = cache;
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

    /** Starts one instance of a service (does not wait); its log is {@code <instance name>.log}. */
    public static ServiceProcess launch(DevStackConfig config, DevStackConfig.Instance instance, Map<String, String> env) {
        ServiceSpec spec = instance.spec();
        Path jar = jarOf(config, spec);
        if (!Files.isRegularFile(jar)) {
            throw new DevStackException(spec.name() + " is not built: " + config.rootDir().relativize(jar) + " is missing.",
                    "Build it: ./mvnw -B -q -DskipTests -pl " + spec.module() + " -am install"
                            + " (or run ./livestage up without --no-build).");
        }
        Ports.requireFree(instance.name(), instance.port(), spec.portEnvVar());
        StartupCache.Plan cache = startupCache(config, instance);
        StartupCache.recordTraining(cache, jar.getParent(), config.serviceJvmOptions());
        List<String> jvmOptions = new ArrayList<>(cache.options());
        jvmOptions.addAll(config.serviceJvmOptions());
        List<String> command = QuarkusService.command(config.javaCommand(), jvmOptions, jar);
        Path log = Logs.fresh(config.logsDir().resolve(instance.name() + ".log"));
        // working dir = the module, so a module's .env / config/application.properties apply as with quarkus:dev
        ManagedProcess p = ManagedProcess.start(instance.name(), command, env, config.rootDir().resolve(spec.module()), log,
                config.pidsDir());
        return new ServiceProcess(instance, p, cache);
    }

    /** The startup cache options of an instance (module's {@code target/}, ADR 0020). */
    static StartupCache.Plan startupCache(DevStackConfig config, DevStackConfig.Instance instance) {
        return StartupCache.plan(config.startupCache(), StartupCache.javaFeature(config.javaCommand()),
                config.serviceJvmOptions(), jarOf(config, instance.spec()).getParent(), instance.index());
    }

    /** Deletes the startup cache of {@code spec}'s module (ADR 0020): its next start is a training run. */
    public static void deleteStartupCache(DevStackConfig config, ServiceSpec spec) throws IOException {
        for (Path file : StartupCache.files(jarOf(config, spec).getParent())) {
            Files.deleteIfExists(file);
        }
    }

    /** What this instance does with its module's startup cache. */
    StartupCache.Mode startupCacheMode() {
        return cache.mode();
    }

    public String healthUrl() {
        return "http://localhost:" + port() + "/q/health/ready";
    }

    /** Polls {@code /q/health/ready} until it answers 200; fails with the log tail if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        try {
            HttpReadiness.await(QuarkusService.readinessUrl(DevStackConfig.HOST, port()), process.child(), timeout,
                    Duration.ofMillis(500));
        } catch (NotReadyException e) {
            throw switch (e.failure()) {
                case STOPPED -> new DevStackException("Stopped while waiting for " + name() + ".", "");
                case INTERRUPTED -> new DevStackException("Interrupted while waiting for " + name() + ".", "");
                case EXITED -> new DevStackException(name() + " exited (code " + process.exitValue() + ") before it was ready.\n"
                        + Logs.tailBlock(process.logFile(), 30),
                        "See " + process.logFile() + " for the full log. Fix the cause, rebuild (./livestage up builds),"
                                + " or start without it: LIVESTAGE_SERVICES=none ./livestage up");
                case TIMED_OUT -> new DevStackException(name() + " was not ready within " + timeout.toSeconds()
                        + " s (last: " + e.lastAnswer() + ").\n" + Logs.tailBlock(process.logFile(), 30),
                        "See " + process.logFile() + ". A slow machine may need more time: LIVESTAGE_READY_TIMEOUT_SECONDS=300 ./livestage up");
            };
        }
    }

    public ServiceSpec spec() {
        return instance.spec();
    }

    /** {@code chat-service}, or {@code chat-service-2} for a further instance. */
    public String name() {
        return instance.name();
    }

    public DevStackConfig.Instance instance() {
        return instance;
    }

    public int port() {
        return instance.port();
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGTERM (Quarkus graceful shutdown), SIGKILL after 20 s (120 s when the JVM writes its startup cache at exit). */
    @Override
    public void close() {
        process.stop(cache.stopGrace(STOP_GRACE));
    }
}
