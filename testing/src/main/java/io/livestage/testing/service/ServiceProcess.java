package io.livestage.testing.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.livestage.infra.process.ChildProcess;
import io.livestage.infra.process.HttpReadiness;
import io.livestage.infra.process.HttpReadiness.NotReadyException;
import io.livestage.infra.process.JvmFlags;
import io.livestage.infra.service.QuarkusService;
import io.livestage.infra.service.QuarkusService.Datasource;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;

/**
 * A packaged livestage service (its {@code target/quarkus-app/quarkus-run.jar}) running as a real process, for
 * black-box tests and for the benchmarks in {@code bench/}, in the dev profile: wired to the JVM's Kafka broker, a PostgreSQL database
 * (a fresh one unless given) and the test JWT key (or an OIDC provider, {@link Builder#oidcProvider}), on a free
 * port of 127.0.0.1; ready once {@code /q/health/ready} answers 200. Its log goes to a file
 * ({@code target/<module>.log} by default) whose tail is shown when it fails to start.
 * <p>
 * {@link #start(String, Map)} is the test default: a small heap and {@value #FAST_START_JAVA_OPTIONS}, which
 * starts fast but never compiles with C2 — fine for tests, wrong for measurements. Benchmarks use {@link #builder}
 * and choose the JVM options themselves. {@link #close()} stops the process (SIGTERM, SIGKILL after 15 s); a shutdown
 * hook does the same if the JVM exits first. Started and watched by livestage-infra's {@link QuarkusService},
 * {@link ChildProcess} and {@link HttpReadiness}, as the local stack starts its services.
 */
public final class ServiceProcess implements AutoCloseable {
    /** JVM options of {@link #start(String, Map)}: start fast (C1 only), small heap. Not for benchmarks. */
    public static final String FAST_START_JAVA_OPTIONS = "-Xmx512m -XX:TieredStopAtLevel=1";
    private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final ChildProcess process;
    private final String host;
    private final int port;
    private final TestDatabase database;
    private final Thread stopAtExit;
    private Duration startupTime = Duration.ZERO;

    private ServiceProcess(String name, ChildProcess process, String host, int port, TestDatabase database) {
        this.name = name;
        this.process = process;
        this.host = host;
        this.port = port;
        this.database = database;
        this.stopAtExit = new Thread(this::stop, name + "-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /**
     * Starts module {@code module} (a sibling of the current module) the way tests want it: a fresh database, the
     * given extra environment, {@value #FAST_START_JAVA_OPTIONS}, log in {@code target/<module>.log}; returns once
     * it is ready.
     */
    public static ServiceProcess start(String module, Map<String, String> extraEnv) {
        return builder(module).env(extraEnv).start();
    }

    /** Everything {@link #start(String, Map)} does, each part replaceable; {@link Builder#start()} starts it. */
    public static Builder builder(String module) {
        return new Builder(module);
    }

    /** How to start one service. Defaults are those of {@link #start(String, Map)}. */
    public static final class Builder {
        private final String module;
        private Path jar;
        private List<String> javaOptions = JvmFlags.split(FAST_START_JAVA_OPTIONS);
        private final Map<String, String> env = new LinkedHashMap<>();
        private String host = "127.0.0.1";
        private TestDatabase database;
        private String kafkaBootstrapServers;
        private Path log;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private String oidcAuthServerUrl;
        private String oidcAudience;
        private int port;

        private Builder(String module) {
            this.module = Objects.requireNonNull(module, "module");
        }

        /** The fast-jar to run; default {@code <project root>/<module>/target/quarkus-app/quarkus-run.jar}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        /**
         * JVM options, replacing the default {@value #FAST_START_JAVA_OPTIONS}; none means the JVM's defaults (tiered
         * compilation up to C2, heap from the machine's memory), as a benchmark wants. The flags that let Netty use
         * {@code sun.misc.Unsafe} and JNI without a warning are always added ({@link JvmFlags#quietOnModernJdk()}).
         */
        public Builder javaOptions(List<String> options) {
            this.javaOptions = List.copyOf(options);
            return this;
        }

        /** {@link #javaOptions(List)} from one whitespace-separated string, e.g. {@code "-Xmx1g -XX:+UseG1GC"}. */
        public Builder javaOptions(String options) {
            return javaOptions(JvmFlags.split(options));
        }

        /** One more environment variable; wins over the defaults (datasource, Kafka, OIDC, port). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** The address to listen on ({@code QUARKUS_HTTP_HOST}); default 127.0.0.1 (loopback only). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** An existing database to use instead of a fresh one on {@link TestPostgres#shared()}. */
        public Builder database(TestDatabase database) {
            this.database = database;
            return this;
        }

        /** The Kafka to connect to; default {@link KafkaBroker#shared()}. */
        public Builder kafka(String bootstrapServers) {
            this.kafkaBootstrapServers = bootstrapServers;
            return this;
        }

        /**
         * Tokens of a real OIDC provider instead of the test key: {@code QUARKUS_OIDC_AUTH_SERVER_URL} (issuer and keys
         * discovered from it, e.g. {@code KeycloakServer.authServerUrl()}) and {@code QUARKUS_OIDC_TOKEN_AUDIENCE}
         * (null: no audience check). {@link io.livestage.testing.oidc.TestTokens} are then refused.
         */
        public Builder oidcProvider(String authServerUrl, String audience) {
            this.oidcAuthServerUrl = Objects.requireNonNull(authServerUrl, "authServerUrl");
            this.oidcAudience = audience;
            return this;
        }

        /**
         * The port to listen on; default a free one chosen at {@link #start()}. Choosing it before lets another
         * process be started with this one's URL at the same time (see {@link ServiceProcess#freePort()}).
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the service's output goes; default {@code target/<module>.log} under the working directory. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** How long to wait for {@code /q/health/ready}; default 90 s. */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Starts the process and waits until it is ready; stops it and throws if it is not. */
        public ServiceProcess start() {
            Path jarFile = jar != null ? jar : QuarkusService.fastJar(projectRoot().resolve(module));
            if (!Files.isRegularFile(jarFile)) {
                throw new IllegalStateException(jarFile + " is missing: build it first with ./mvnw -B -DskipTests "
                        + "install -pl " + module + " -am");
            }
            TestDatabase db = database != null ? database
                    : TestPostgres.shared().createDatabase(module.replace("-service", "").replace('-', '_'));
            String bootstrap = kafkaBootstrapServers != null ? kafkaBootstrapServers
                    : KafkaBroker.shared().bootstrapServers();
            int port = this.port > 0 ? this.port : freePort();
            Map<String, String> environment = new LinkedHashMap<>(QuarkusService.environment(port, bootstrap,
                    new Datasource(db.jdbcUrl(), db.reactiveUrl(), db.username(), db.password())));
            environment.put("QUARKUS_HTTP_HOST", host);
            environment.putAll(oidcAuthServerUrl == null
                    ? QuarkusService.oidcPublicKey(TestTokens.publicKeyBase64(), TestTokens.issuer())
                    : QuarkusService.oidcProvider(oidcAuthServerUrl, oidcAudience));
            environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            // Test keys and secrets are development values, which the prod profile refuses (ProductionSafetyCheck)
            environment.put("QUARKUS_PROFILE", "dev");
            environment.putAll(env);
            Path logFile = (log != null ? log : Path.of("target", module + ".log")).toAbsolutePath();
            ServiceProcess service;
            try {
                // Working directory: the fast-jar's, so no stray config/application.properties or .env of the caller's
                // directory is picked up. The JDK running this JVM, so that the service runs on the same one.
                service = new ServiceProcess(module, QuarkusService.launch(module, JvmFlags.currentJava(), javaOptions,
                        jarFile, jarFile.getParent(), environment, logFile, ChildProcess.Log.REPLACE), host, port, db);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start " + module, e);
            }
            service.awaitReady(readyTimeout);
            return service;
        }
    }

    /** {@code http://127.0.0.1:<port>} (or the host it listens on, when not a wildcard). */
    public String url() {
        return "http://" + address() + ":" + port;
    }

    private String address() {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The process, e.g. to read its CPU time. */
    public ProcessHandle handle() {
        return process.handle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The database the service uses. */
    public TestDatabase database() {
        return database;
    }

    /** The file holding the service's output. */
    public Path log() {
        return process.logFile();
    }

    /** The command line it was started with (java, JVM options, -jar, jar). */
    public List<String> command() {
        return process.command();
    }

    /** From process start to the first 200 of {@code /q/health/ready}. */
    public Duration startupTime() {
        return startupTime;
    }

    private void awaitReady(Duration timeout) {
        try {
            startupTime = HttpReadiness.await(QuarkusService.readinessUrl(address(), port), process, timeout,
                    Duration.ofMillis(200));
        } catch (NotReadyException e) {
            close();
            String what = switch (e.failure()) {
                case EXITED -> name + " exited with " + process.exitValue() + " while starting";
                case TIMED_OUT -> name + " was not ready within " + timeout.toSeconds() + " s (last: " + e.lastAnswer() + ")";
                case STOPPED, INTERRUPTED -> "Interrupted while waiting for " + name;
            };
            throw new IllegalStateException(what + "; last lines of " + log() + ":\n" + tail(), e);
        }
    }

    /** The last 60 lines of the service's log. */
    public String tail() {
        return tail(60);
    }

    /** The last {@code lines} lines of the service's log. */
    public String tail(int lines) {
        List<String> tail = process.tail(lines);
        return tail.isEmpty() ? "(no readable log at " + log() + ")" : String.join("\n", tail);
    }

    private void stop() {
        process.stop(STOP_GRACE);
    }

    /** Stops the process: SIGTERM, then SIGKILL if it has not exited after 15 s. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** A port of 127.0.0.1 free right now, for {@link Builder#port(int)}. */
    /** {@code count} distinct free ports of 127.0.0.1 (held open together while chosen, so none repeats). */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** The directory holding the root pom (the one listing the {@code testing} module). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.exists(pom) && Files.readString(pom).contains("<module>testing</module>")) {
                    return dir;
                }
            } catch (IOException e) {
                // keep walking up
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("Run from inside the livestage project (no root pom found above "
                + Path.of("").toAbsolutePath() + ")");
    }
}
