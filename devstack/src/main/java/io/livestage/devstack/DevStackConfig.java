package io.livestage.devstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.devstack.Catalog.TopicSpec;

/**
 * Everything the local stack needs to know: where state lives, which ports, which services.
 * {@link #fromEnvironment} reads the {@code LIVESTAGE_*} variables (see devstack/README.md); tests use the builder
 * to get a separate state dir and free ports.
 */
public record DevStackConfig(
        Path rootDir,
        Path stateDir,
        Path libDir,
        String javaCommand,
        int postgresPort,
        Path postgresBinariesDir,
        Optional<String> externalPostgresUrl,
        String postgresUser,
        String postgresPassword,
        int kafkaPort,
        int kafkaControllerPort,
        List<TopicSpec> topics,
        List<ServiceSpec> services,
        Map<String, Integer> servicePorts,
        Duration serviceReadyTimeout,
        List<String> kafkaJvmOptions,
        List<String> serviceJvmOptions,
        boolean keycloakEnabled,
        int keycloakPort,
        Path keycloakCacheDir,
        Optional<String> keycloakDistZip,
        List<String> keycloakJvmOptions,
        Map<String, String> serviceEnvironment,
        int replicas,
        boolean startupCache) {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_KEYCLOAK_PORT = 8180;
    /** Credentials of the embedded server (trust auth; the password is accepted and ignored). */
    public static final String EMBEDDED_USER = "postgres";
    public static final String EMBEDDED_PASSWORD = "postgres";

    public DevStackConfig {
        topics = List.copyOf(topics);
        services = List.copyOf(services);
        servicePorts = Map.copyOf(servicePorts);
        kafkaJvmOptions = List.copyOf(kafkaJvmOptions);
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
        keycloakJvmOptions = List.copyOf(keycloakJvmOptions);
        serviceEnvironment = Map.copyOf(serviceEnvironment);
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas=" + replicas + ": give 1 to " + MAX_REPLICAS);
        }
    }

    /** Most instances of one service the local stack starts ({@code --replicas}). */
    public static final int MAX_REPLICAS = 4;

    /** How far apart the default ports of a service's instances are: session-service 8081, 9081, 10081, ... */
    public static final int REPLICA_PORT_STEP = 1000;

    /**
     * One running copy of a service: {@code index} 1 is the service itself ({@code session-service}, its log and pid
     * file as without replicas), 2 and on are named {@code session-service-2}, ...
     */
    public record Instance(ServiceSpec spec, int index, String name, int port) {
    }

    /** How many instances of {@code service} run: the gateway once (it is the entry point), the others {@link #replicas}. */
    public int replicasOf(ServiceSpec service) {
        return Catalog.isEdge(service) ? 1 : replicas;
    }

    /** Every instance of every service to start, the first instances first (start order of {@link #services}). */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            for (ServiceSpec s : services) {
                if (i <= replicasOf(s)) {
                    all.add(instance(s, i));
                }
            }
        }
        return all;
    }

    /** The instances of one service, first to last. */
    public List<Instance> instancesOf(ServiceSpec service) {
        List<Instance> mine = new ArrayList<>();
        for (int i = 1; i <= replicasOf(service); i++) {
            mine.add(instance(service, i));
        }
        return mine;
    }

    private Instance instance(ServiceSpec s, int index) {
        if (index == 1) {
            return new Instance(s, 1, s.name(), portOf(s));
        }
        String name = s.name() + "-" + index;
        return new Instance(s, index, name, servicePorts.getOrDefault(name, portOf(s) + REPLICA_PORT_STEP * (index - 1)));
    }

    /** The realm the stack's Keycloak imports: {@code keycloak/livestage-realm.json} of the repository. */
    public Path keycloakRealmFile() {
        return rootDir.resolve("keycloak").resolve(KeycloakNode.REALM_FILE_NAME);
    }

    /** Keycloak's public URL (its {@code --hostname}): what browsers use and what tokens carry in {@code iss}. */
    public String keycloakPublicUrl() {
        return "http://localhost:" + keycloakPort;
    }

    /** The issuer of the stack's tokens. */
    public String keycloakIssuer() {
        return keycloakPublicUrl() + "/realms/" + KeycloakNode.REALM;
    }

    /** Keycloak's first start (schema + realm import) takes longer than a service's: at least 180 s. */
    public Duration keycloakReadyTimeout() {
        return serviceReadyTimeout.compareTo(Duration.ofSeconds(180)) > 0 ? serviceReadyTimeout : Duration.ofSeconds(180);
    }

    /** Where the stack records which identity provider it runs, for {@code ./livestage token}. */
    public Path identityFile() {
        return stateDir.resolve("identity.properties");
    }

    public boolean embeddedPostgres() {
        return externalPostgresUrl.isEmpty();
    }

    public int portOf(ServiceSpec service) {
        return servicePorts.getOrDefault(service.name(), service.defaultPort());
    }

    public String kafkaBootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    /** One database per service, for every service in the catalog (also those not started, e.g. run in quarkus dev). */
    public List<String> databases() {
        return Catalog.SERVICES.stream().map(ServiceSpec::database).filter(Objects::nonNull).distinct().toList();
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path pidsDir() {
        return stateDir.resolve("pids");
    }

    public Path pidFile() {
        return stateDir.resolve("devstack.pid");
    }

    /**
     * Reads {@code LIVESTAGE_STATE_DIR}, {@code LIVESTAGE_POSTGRES_PORT}, {@code LIVESTAGE_POSTGRES_URL},
     * {@code LIVESTAGE_POSTGRES_USER}, {@code LIVESTAGE_POSTGRES_PASSWORD}, {@code LIVESTAGE_KAFKA_PORT},
     * {@code LIVESTAGE_KAFKA_CONTROLLER_PORT}, {@code LIVESTAGE_<SERVICE>_PORT}, {@code LIVESTAGE_SERVICES},
     * {@code LIVESTAGE_READY_TIMEOUT_SECONDS}, {@code LIVESTAGE_KAFKA_JAVA_OPTS}, {@code LIVESTAGE_SERVICE_JAVA_OPTS},
     * {@code LIVESTAGE_KEYCLOAK} ({@code off} = the dev identity instead), {@code LIVESTAGE_KEYCLOAK_PORT},
     * {@code LIVESTAGE_KEYCLOAK_CACHE}, {@code LIVESTAGE_KEYCLOAK_DIST}, {@code LIVESTAGE_KEYCLOAK_JAVA_OPTS},
     * {@code LIVESTAGE_REPLICAS}, {@code LIVESTAGE_STARTUP_CACHE} ({@code off} = no class cache per module).
     */
    public static DevStackConfig fromEnvironment(Path rootDir, Map<String, String> env) {
        Builder b = builder(rootDir);
        value(env, "LIVESTAGE_STATE_DIR").map(s -> rootDir.resolve(s).toAbsolutePath().normalize()).ifPresent(b::stateDir);
        value(env, "LIVESTAGE_POSTGRES_PORT").map(s -> port("LIVESTAGE_POSTGRES_PORT", s)).ifPresent(b::postgresPort);
        value(env, "LIVESTAGE_POSTGRES_URL").ifPresent(url -> b.externalPostgres(url,
                value(env, "LIVESTAGE_POSTGRES_USER").orElse(EMBEDDED_USER),
                value(env, "LIVESTAGE_POSTGRES_PASSWORD").orElse(EMBEDDED_PASSWORD)));
        value(env, "LIVESTAGE_KAFKA_PORT").map(s -> port("LIVESTAGE_KAFKA_PORT", s)).ifPresent(b::kafkaPort);
        value(env, "LIVESTAGE_KAFKA_CONTROLLER_PORT").map(s -> port("LIVESTAGE_KAFKA_CONTROLLER_PORT", s))
                .ifPresent(b::kafkaControllerPort);
        for (ServiceSpec s : Catalog.SERVICES) {
            value(env, s.portEnvVar()).map(v -> port(s.portEnvVar(), v)).ifPresent(p -> b.servicePort(s.name(), p));
        }
        value(env, "LIVESTAGE_SERVICES").ifPresent(b::onlyServices);
        value(env, "LIVESTAGE_READY_TIMEOUT_SECONDS")
                .map(s -> Duration.ofSeconds(Long.parseLong(s))).ifPresent(b::serviceReadyTimeout);
        value(env, "LIVESTAGE_KAFKA_JAVA_OPTS").map(DevStackConfig::split).ifPresent(b::kafkaJvmOptions);
        value(env, "LIVESTAGE_SERVICE_JAVA_OPTS").map(DevStackConfig::split).ifPresent(b::serviceJvmOptions);
        value(env, "LIVESTAGE_KEYCLOAK").map(v -> onOff("LIVESTAGE_KEYCLOAK", v)).ifPresent(b::keycloak);
        value(env, "LIVESTAGE_KEYCLOAK_PORT").map(s -> port("LIVESTAGE_KEYCLOAK_PORT", s)).ifPresent(b::keycloakPort);
        Optional<String> xdg = value(env, "XDG_CACHE_HOME");
        b.keycloakCacheDir(value(env, "LIVESTAGE_KEYCLOAK_CACHE").map(Path::of)
                .orElseGet(() -> xdg.map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".cache"))
                        .resolve("livestage").resolve("keycloak")));
        value(env, "LIVESTAGE_KEYCLOAK_DIST").ifPresent(b::keycloakDistZip);
        value(env, "LIVESTAGE_KEYCLOAK_JAVA_OPTS").map(DevStackConfig::split).ifPresent(b::keycloakJvmOptions);
        value(env, "LIVESTAGE_REPLICAS").map(v -> replicas("LIVESTAGE_REPLICAS", v)).ifPresent(b::replicas);
        value(env, "LIVESTAGE_STARTUP_CACHE").map(v -> onOff("LIVESTAGE_STARTUP_CACHE", v)).ifPresent(b::startupCache);
        return b.build();
    }

    public static Builder builder(Path rootDir) {
        return new Builder(rootDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(rootDir);
        b.stateDir = stateDir;
        b.libDir = libDir;
        b.javaCommand = javaCommand;
        b.postgresPort = postgresPort;
        b.postgresBinariesDir = postgresBinariesDir.equals(stateDir.resolve("postgres-bin")) ? null : postgresBinariesDir;
        b.externalPostgresUrl = externalPostgresUrl;
        b.postgresUser = postgresUser;
        b.postgresPassword = postgresPassword;
        b.kafkaPort = kafkaPort;
        b.kafkaControllerPort = kafkaControllerPort;
        b.topics = topics;
        b.services = services;
        b.servicePorts.putAll(servicePorts);
        b.serviceReadyTimeout = serviceReadyTimeout;
        b.kafkaJvmOptions = kafkaJvmOptions;
        b.serviceJvmOptions = serviceJvmOptions;
        b.keycloakEnabled = keycloakEnabled;
        b.keycloakPort = keycloakPort;
        b.keycloakCacheDir = keycloakCacheDir;
        b.keycloakDistZip = keycloakDistZip;
        b.keycloakJvmOptions = keycloakJvmOptions;
        b.serviceEnvironment.putAll(serviceEnvironment);
        b.replicas = replicas;
        b.startupCache = startupCache;
        return b;
    }

    public static final class Builder {
        private final Path rootDir;
        private Path stateDir;
        private Path libDir = defaultLibDir();
        private String javaCommand = defaultJavaCommand();
        private int postgresPort = DEFAULT_POSTGRES_PORT;
        private Path postgresBinariesDir;
        private Optional<String> externalPostgresUrl = Optional.empty();
        private String postgresUser = EMBEDDED_USER;
        private String postgresPassword = EMBEDDED_PASSWORD;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private List<TopicSpec> topics = Catalog.TOPICS;
        private List<ServiceSpec> services = Catalog.SERVICES;
        private final Map<String, Integer> servicePorts = new HashMap<>();
        private Duration serviceReadyTimeout = Duration.ofSeconds(120);
        private List<String> kafkaJvmOptions = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20");
        private List<String> serviceJvmOptions = List.of();
        private boolean keycloakEnabled = true;
        private int keycloakPort = DEFAULT_KEYCLOAK_PORT;
        private Path keycloakCacheDir = Path.of(System.getProperty("user.home"), ".cache", "livestage", "keycloak");
        private Optional<String> keycloakDistZip = Optional.empty();
        private List<String> keycloakJvmOptions = List.of("-Xms64m", "-Xmx512m");
        private final Map<String, String> serviceEnvironment = new HashMap<>();
        private int replicas = 1;
        private boolean startupCache = true;

        private Builder(Path rootDir) {
            this.rootDir = rootDir.toAbsolutePath().normalize();
            this.stateDir = this.rootDir.resolve(".devstack");
        }

        public Builder stateDir(Path v) { stateDir = v.toAbsolutePath().normalize(); return this; }
        public Builder libDir(Path v) { libDir = v.toAbsolutePath().normalize(); return this; }
        public Builder javaCommand(String v) { javaCommand = v; return this; }
        public Builder postgresPort(int v) { postgresPort = v; return this; }
        /** Where the PostgreSQL binaries are unpacked (default {@code <stateDir>/postgres-bin}); tests share one. */
        public Builder postgresBinariesDir(Path v) { postgresBinariesDir = v.toAbsolutePath().normalize(); return this; }
        public Builder kafkaPort(int v) { kafkaPort = v; return this; }
        public Builder kafkaControllerPort(int v) { kafkaControllerPort = v; return this; }
        public Builder topics(List<TopicSpec> v) { topics = v; return this; }
        public Builder services(List<ServiceSpec> v) { services = v; return this; }
        /** The port of a service, or of one of its further instances by instance name ({@code chat-service-2}). */
        public Builder servicePort(String service, int port) { servicePorts.put(service, port); return this; }
        /** Instances of every service but the gateway ({@code --replicas=N}, 1 to {@link #MAX_REPLICAS}). */
        public Builder replicas(int v) { replicas = v; return this; }
        public Builder serviceReadyTimeout(Duration v) { serviceReadyTimeout = v; return this; }
        public Builder kafkaJvmOptions(List<String> v) { kafkaJvmOptions = v; return this; }
        public Builder serviceJvmOptions(List<String> v) { serviceJvmOptions = v; return this; }
        /** false: no Keycloak, services verify tokens of the local dev identity ({@code LIVESTAGE_KEYCLOAK=off}). */
        public Builder keycloak(boolean v) { keycloakEnabled = v; return this; }
        public Builder keycloakPort(int v) { keycloakPort = v; return this; }
        /** Where the built Keycloak distribution is cached (default {@code ~/.cache/livestage/keycloak}, shared with tests). */
        public Builder keycloakCacheDir(Path v) { keycloakCacheDir = v.toAbsolutePath().normalize(); return this; }
        public Builder keycloakDistZip(String v) { keycloakDistZip = Optional.ofNullable(v); return this; }
        public Builder keycloakJvmOptions(List<String> v) { keycloakJvmOptions = v; return this; }
        /**
         * false: services start without the class cache of their module ({@code LIVESTAGE_STARTUP_CACHE=off};
         * {@link StartupCache}, ADR 0020).
         */
        public Builder startupCache(boolean v) { startupCache = v; return this; }

        /**
         * Extra environment variables for every service process, added last: they override what the stack sets
         * (e.g. {@code LIVEKIT_URL} of a LiveKit stub, {@code GLADIA_URL}). Calls add up; a later value for the same
         * name wins. Names must be non-blank and values non-null.
         */
        public Builder serviceEnv(Map<String, String> v) {
            v.forEach((name, value) -> {
                if (name == null || name.isBlank() || value == null) {
                    // the name only: values are often secrets (LIVEKIT_API_SECRET)
                    throw new IllegalArgumentException("serviceEnv: a name must be non-blank and its value non-null ("
                            + (name == null || name.isBlank() ? "blank name" : name + " has no value") + ")");
                }
            });
            serviceEnvironment.putAll(v);
            return this;
        }

        public Builder externalPostgres(String adminJdbcUrl, String user, String password) {
            externalPostgresUrl = Optional.of(adminJdbcUrl);
            postgresUser = user;
            postgresPassword = password;
            return this;
        }

        /** {@code "session-service,chat-service"}; {@code "none"} starts only the infrastructure. */
        public Builder onlyServices(String commaSeparated) {
            List<String> names = Arrays.stream(commaSeparated.split(","))
                    .map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none")).toList();
            List<ServiceSpec> selected = new ArrayList<>();
            for (String name : names) {
                selected.add(Catalog.SERVICES.stream().filter(s -> s.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + name + "'. Known: "
                                + Catalog.SERVICES.stream().map(ServiceSpec::name).toList())));
            }
            services = selected;
            return this;
        }

        public DevStackConfig build() {
            return new DevStackConfig(rootDir, stateDir, libDir, javaCommand, postgresPort,
                    postgresBinariesDir == null ? stateDir.resolve("postgres-bin") : postgresBinariesDir, externalPostgresUrl,
                    postgresUser, postgresPassword, kafkaPort, kafkaControllerPort, topics, services, servicePorts,
                    serviceReadyTimeout, kafkaJvmOptions, serviceJvmOptions, keycloakEnabled, keycloakPort, keycloakCacheDir,
                    keycloakDistZip, keycloakJvmOptions, serviceEnvironment, replicas, startupCache);
        }
    }

    /** {@code lib/} next to devstack.jar, or next to {@code target/classes} when run from the build (tests). */
    static Path defaultLibDir() {
        String override = System.getProperty("livestage.lib");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        try {
            Path codeSource = Path.of(DevStackConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = codeSource.getParent().resolve("lib");
            if (Files.isDirectory(lib)) {
                return lib;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("devstack", "target", "lib").toAbsolutePath().normalize();
    }

    /** The java binary running this launcher: services and the broker run on the same JDK. */
    static String defaultJavaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static int port(String name, String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a TCP port (1-65535)");
        }
    }

    /** {@code --replicas=N} / {@code LIVESTAGE_REPLICAS=N}: 1 to {@link #MAX_REPLICAS}, else a message naming the option. */
    static int replicas(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_REPLICAS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a number of instances (1-" + MAX_REPLICAS + ")");
    }

    private static boolean onOff(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + "=" + value + " is neither on nor off");
        };
    }

    private static List<String> split(String opts) {
        return Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
