package io.livestage.testing.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

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
 * hook does the same if the JVM exits first.
 */
public final class ServiceProcess implements AutoCloseable {
    /** JVM options of {@link #start(String, Map)}: start fast (C1 only), small heap. Not for benchmarks. */
    public static final String FAST_START_JAVA_OPTIONS = "-Xmx512m -XX:TieredStopAtLevel=1";
    private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final String host;
    private final int port;
    private final Path log;
    private final TestDatabase database;
    private final List<String> command;
    private final Thread stopAtExit;
    private Duration startupTime = Duration.ZERO;

    private ServiceProcess(String name, Process process, String host, int port, Path log, TestDatabase database,
            List<String> command) {
        this.name = name;
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
        this.database = database;
        this.command = List.copyOf(command);
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
        private List<String> javaOptions = split(FAST_START_JAVA_OPTIONS);
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
         * compilation up to C2, heap from the machine's memory), as a benchmark wants. On JDK 24+ the flags that let
         * Netty use {@code sun.misc.Unsafe} without a warning are always added.
         */
        public Builder javaOptions(List<String> options) {
            this.javaOptions = List.copyOf(options);
            return this;
        }

        /** {@link #javaOptions(List)} from one whitespace-separated string, e.g. {@code "-Xmx1g -XX:+UseG1GC"}. */
        public Builder javaOptions(String options) {
            return javaOptions(split(options == null ? "" : options));
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
            Path jarFile = jar != null ? jar : projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jarFile)) {
                throw new IllegalStateException(jarFile + " is missing: build it first with ./mvnw -B -DskipTests "
                        + "install -pl " + module + " -am");
            }
            TestDatabase db = database != null ? database
                    : TestPostgres.shared().createDatabase(module.replace("-service", "").replace('-', '_'));
            String bootstrap = kafkaBootstrapServers != null ? kafkaBootstrapServers
                    : KafkaBroker.shared().bootstrapServers();
            int port = this.port > 0 ? this.port : freePort();
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            environment.put("QUARKUS_HTTP_HOST", host);
            environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
            environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl());
            environment.put("QUARKUS_DATASOURCE_USERNAME", db.username());
            environment.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
            if (oidcAuthServerUrl == null) {
                environment.put("QUARKUS_OIDC_PUBLIC_KEY", TestTokens.publicKeyBase64());
                environment.put("QUARKUS_OIDC_TOKEN_ISSUER", TestTokens.issuer());
            } else {
                environment.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidcAuthServerUrl);
                if (oidcAudience != null) {
                    environment.put("QUARKUS_OIDC_TOKEN_AUDIENCE", oidcAudience);
                }
            }
            environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
            // Test keys and secrets are development values, which the prod profile refuses (ProductionSafetyCheck)
            environment.put("QUARKUS_PROFILE", "dev");
            environment.putAll(env);

            // The JDK running this JVM, so that the service runs on the same one.
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 24) {
                // Netty still uses sun.misc.Unsafe: allow it once instead of a warning per call site (as devstack does).
                command.add("--sun-misc-unsafe-memory-access=allow");
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(javaOptions);
            command.add("-jar");
            command.add(jarFile.toString());
            Path logFile = (log != null ? log : Path.of("target", module + ".log")).toAbsolutePath();
            ServiceProcess service;
            try {
                Files.createDirectories(logFile.getParent());
                // Working directory: the fast-jar's, so no stray config/application.properties or .env of the caller's
                // directory is picked up.
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(jarFile.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
                builder.environment().putAll(environment);
                service = new ServiceProcess(module, builder.start(), host, port, logFile, db, command);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start " + module, e);
            }
            service.awaitReady(readyTimeout);
            return service;
        }
    }

    /** {@code http://127.0.0.1:<port>} (or the host it listens on, when not a wildcard). */
    public String url() {
        String address = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + address + ":" + port;
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
        return process.toHandle();
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
        return log;
    }

    /** The command line it was started with (java, JVM options, -jar, jar). */
    public List<String> command() {
        return command;
    }

    /** From process start to the first 200 of {@code /q/health/ready}. */
    public Duration startupTime() {
        return startupTime;
    }

    private void awaitReady(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; last "
                        + "lines of " + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> response = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    startupTime = Duration.ofNanos(System.nanoTime() - start);
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (last: " + last
                + "); last lines of " + log + ":\n" + tail());
    }

    /** The last 60 lines of the service's log. */
    public String tail() {
        return tail(60);
    }

    /** The last {@code lines} lines of the service's log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no readable log at " + log + ": " + e + ")";
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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

    private static List<String> split(String options) {
        String trimmed = options.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** A port of 127.0.0.1 free right now, for {@link Builder#port(int)}. */
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
