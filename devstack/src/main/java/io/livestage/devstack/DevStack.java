package io.livestage.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.devstack.Catalog.TopicSpec;

/**
 * The local stack: [1/4] PostgreSQL, [2/4] Kafka, [3/4] Keycloak (or the dev identity with {@code LIVESTAGE_KEYCLOAK=off}),
 * [4/4] services. {@link #main} is what
 * {@code ./livestage up} runs; tests use {@link #start} with their own {@link DevStackConfig}.
 * Stopping (Ctrl-C, {@code ./livestage down}, {@link #close}) goes in reverse: services, Keycloak, Kafka, PostgreSQL.
 */
public final class DevStack implements AutoCloseable {

    private static final int STEPS = 4;

    private final DevStackConfig config;
    private final Progress progress;
    private final List<Component> started = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private PostgresNode postgres;
    private KafkaNode kafka;
    private DevIdentity identity;
    private KeycloakNode keycloak;
    private Map<String, String> tokens = Map.of();
    private final List<ServiceProcess> services = new ArrayList<>();
    private double startSeconds;
    private String redisUrl;

    /** Something to stop, with the name shown while stopping. */
    private record Component(String name, AutoCloseable resource) {
    }

    private DevStack(DevStackConfig config, Progress progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Starts the stack (services: {@link DevStackConfig#services()}); on failure stops whatever was started and rethrows. */
    public static DevStack start(DevStackConfig config, Progress progress) {
        DevStack stack = new DevStack(config, progress);
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            progress.failOpenTask();
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Starts everything; on failure the caller stops what was started ({@link #close}). */
    private void startAll() {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(config.logsDir());
            stopLeftovers();
            checkPorts();
            startPostgres();
            startKafka();
            if (config.keycloakEnabled()) {
                startKeycloak();
            } else {
                startIdentity();
            }
            startServices();
            startSeconds = (System.nanoTime() - t0) / 1e9;
        } catch (IOException e) {
            throw new DevStackException("Cannot prepare " + config.stateDir() + ": " + e.getMessage(),
                    "Check that the directory is writable.", e);
        }
    }

    private void startPostgres() {
        if (config.embeddedPostgres()) {
            Progress.Task task = progress.start("[1/" + STEPS + "] PostgreSQL (embedded) on " + DevStackConfig.HOST + ":" + config.postgresPort());
            postgres = register("PostgreSQL", EmbeddedPostgresNode.start(config.stateDir().resolve("postgres"),
                    config.postgresBinariesDir(), config.postgresPort(), config.logsDir().resolve("postgres.log")));
            task.done("(" + postgres.description() + databasesCreated() + ")");
        } else {
            Progress.Task task = progress.start("[1/" + STEPS + "] PostgreSQL (external, LIVESTAGE_POSTGRES_URL)");
            // not registered for stopping: it is not ours
            postgres = ExternalPostgresNode.connect(config.externalPostgresUrl().orElseThrow(),
                    config.postgresUser(), config.postgresPassword());
            task.done("(" + postgres.description() + " at " + postgres.hostAndPort() + databasesCreated() + ")");
        }
    }

    private String databasesCreated() {
        try {
            List<String> created = postgres.ensureDatabases(config.databases());
            return created.isEmpty() ? "" : ", created " + String.join(", ", created);
        } catch (SQLException e) {
            throw new DevStackException("Cannot create the service databases: " + e.getMessage(),
                    "The user needs CREATEDB (or create them yourself: " + String.join(", ", config.databases()) + ").", e);
        }
    }

    private void startKafka() {
        Progress.Task task = progress.start("[2/" + STEPS + "] Kafka " + KafkaNode.KAFKA_VERSION + " (KRaft) on " + config.kafkaBootstrapServers());
        kafka = register("Kafka", KafkaNode.launch(config));
        kafka.awaitReady();
        List<String> created = kafka.ensureTopics(config.topics());
        task.done("(pid " + kafka.pid() + (created.isEmpty() ? "" : ", created " + String.join(", ", created)) + ")");
    }

    private void startIdentity() {
        Progress.Task task = progress.start("[3/" + STEPS + "] Dev identity (RS256, issuer " + DevIdentity.ISSUER
                + "; LIVESTAGE_KEYCLOAK=off)");
        identity = DevIdentity.loadOrCreate(config.stateDir().resolve("keys"));
        tokens = identity.writeDemoTokens(config.stateDir().resolve("tokens"), DevIdentity.DEMO_TOKEN_TTL);
        writeIdentityFile("dev");
        task.done("(tokens for " + String.join(", ", tokens.keySet()) + ")");
    }

    private void startKeycloak() {
        String label = "[3/" + STEPS + "] Keycloak " + KeycloakNode.version() + " on " + config.keycloakPublicUrl()
                + " (realm " + KeycloakNode.REALM + ")";
        List<String> notes = new ArrayList<>();
        // the first build (once per machine) prints its own lines, then the start gets its progress line
        keycloak = register("Keycloak", KeycloakNode.launch(config, line -> progress.line("      " + line), notes::add));
        Progress.Task task = progress.start(label);
        keycloak.awaitReady(config.keycloakReadyTimeout());
        Map<String, String> minted = new LinkedHashMap<>();
        for (DevIdentity.DemoUser u : DevIdentity.DEMO_USERS) {
            minted.put(u.username(), keycloak.token(u.username(), u.username()));
        }
        tokens = minted;
        writeTokenFiles();
        writeIdentityFile("keycloak");
        task.done("(pid " + keycloak.pid() + (notes.isEmpty() ? "" : ", " + String.join(", ", notes)) + ")");
    }

    private void writeTokenFiles() {
        Path dir = config.stateDir().resolve("tokens");
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                Files.writeString(dir.resolve(e.getKey() + ".jwt"), e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write tokens to " + dir, e);
        }
    }

    /** {@code mode=keycloak|dev} and Keycloak's port: what {@code ./livestage token} reads while the stack runs. */
    private void writeIdentityFile(String mode) {
        try {
            Files.writeString(config.identityFile(), "# written by ./livestage up\nmode=" + mode + "\n"
                    + (keycloak == null ? "" : "keycloak.port=" + keycloak.port() + "\nissuer=" + config.keycloakIssuer() + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config.identityFile(), e);
        }
    }

    /** LIVESTAGE_REDIS_URL, else a Redis answering PING on 127.0.0.1:6379, else none (null). */
    static String sharedRedis() {
        String configured = System.getenv("LIVESTAGE_REDIS_URL");
        if (configured != null) {
            return configured.isBlank() ? null : configured.strip();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(DevStackConfig.HOST, 6379), 300);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = socket.getInputStream().readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG")
                    ? "redis://" + DevStackConfig.HOST + ":6379" : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void startServices() {
        if (config.services().isEmpty()) {
            progress.line("[4/" + STEPS + "] Services: none (infrastructure only)");
            return;
        }
        progress.line("[4/" + STEPS + "] Services");
        redisUrl = sharedRedis();
        // launch all, then wait: they start in parallel
        for (DevStackConfig.Instance instance : config.instances()) {
            ServiceSpec spec = instance.spec();
            Map<String, String> env = ServiceProcess.environment(instance.port(), kafka.bootstrapServers(), postgres,
                    spec.database());
            env.putAll(keycloak != null ? ServiceProcess.keycloakEnvironment(keycloak) : ServiceProcess.devIdentityEnvironment(identity));
            env.putAll(serviceUrls(config, spec));
            // the gateway's rate limits: shared through Redis when there is one, else counted by the gateway itself
            env.put("LIVESTAGE_REDIS_URL", redisUrl == null ? "" : redisUrl);
            // what the caller adds (DevStackConfig.Builder#serviceEnv) wins over the stack's own wiring
            env.putAll(config.serviceEnvironment());
            services.add(register(instance.name(), ServiceProcess.launch(config, instance, env)));
        }
        for (ServiceProcess service : services) {
            Progress.Task task = progress.start("      " + service.name() + " on :" + service.port());
            try {
                service.awaitReady(config.serviceReadyTimeout());
            } catch (DevStackException e) {
                if (!closed.get()) {
                    task.fail(null);
                }
                throw e;
            }
            task.done("(pid " + service.process().pid() + cacheNote(service.startupCacheMode()) + ")");
        }
    }

    /** What the progress line says about the instance's startup cache (ADR 0020). */
    static String cacheNote(StartupCache.Mode mode) {
        return switch (mode) {
            case AOT -> ", AOT cache";
            case AOT_TRAINING -> ", training run: its AOT cache is written when the stack stops";
            case CDS, NONE -> "";
        };
    }

    /**
     * How {@code spec} finds the other services ({@code SESSION_SERVICE_URL}, ...): the gateway gets every instance,
     * comma-separated, and balances over them; a service calling another (token-service asks session-service) gets
     * that service's first instance.
     */
    static Map<String, String> serviceUrls(DevStackConfig config, ServiceSpec spec) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (ServiceSpec other : config.services()) {
            List<DevStackConfig.Instance> instances = Catalog.isEdge(spec) ? config.instancesOf(other)
                    : config.instancesOf(other).subList(0, 1);
            urls.put(other.urlEnvVar(), String.join(",", instances.stream()
                    .map(i -> "http://" + DevStackConfig.HOST + ":" + i.port()).toList()));
        }
        return urls;
    }

    /** Every port before anything starts, so a busy port fails fast with one clear message. */
    private void checkPorts() {
        if (config.embeddedPostgres()) {
            Ports.requireFree("PostgreSQL", config.postgresPort(), "LIVESTAGE_POSTGRES_PORT");
        }
        Ports.requireFree("Kafka", config.kafkaPort(), "LIVESTAGE_KAFKA_PORT");
        Ports.requireFree("Kafka controller", config.kafkaControllerPort(), "LIVESTAGE_KAFKA_CONTROLLER_PORT");
        if (config.keycloakEnabled()) {
            Ports.requireFree("Keycloak", config.keycloakPort(), "LIVESTAGE_KEYCLOAK_PORT");
        }
        for (DevStackConfig.Instance instance : config.instances()) {
            Ports.requireFree(instance.name(), instance.port(), instance.spec().portEnvVar());
        }
    }

    /** Keeps a started component for {@link #close}; if the stack is already stopping, stops it at once. */
    private <T extends AutoCloseable> T register(String name, T resource) {
        synchronized (started) {
            if (!closed.get()) {
                started.add(new Component(name, resource));
                return resource;
            }
        }
        closeQuietly(new Component(name, resource));
        throw new DevStackException("Stopped while starting " + name + ".", "");
    }

    /** Child processes a previous launcher left behind (it was killed hard): services first, then Keycloak and Kafka, then PostgreSQL. */
    private void stopLeftovers() throws IOException {
        if (Files.isDirectory(config.pidsDir())) {
            List<Path> pidFiles;
            try (Stream<Path> files = Files.list(config.pidsDir())) {
                pidFiles = files.filter(p -> p.toString().endsWith(".pid"))
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith("kafka")
                                || p.getFileName().toString().startsWith("keycloak")))
                        .toList();
            }
            for (Path pidFile : pidFiles) {
                Optional<ProcessHandle> leftover = PidFile.alive(pidFile);
                if (leftover.isPresent()) {
                    String name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
                    progress.line("      stopping " + name + " left running by a previous run (pid " + leftover.get().pid() + ")");
                    PidFile.terminate(leftover.get(), Duration.ofSeconds(20));
                }
                PidFile.delete(pidFile);
            }
        }
        if (config.embeddedPostgres()) {
            EmbeddedPostgresNode.leftoverServer(config.stateDir().resolve("postgres")).ifPresent(pg -> {
                progress.line("      stopping PostgreSQL left running by a previous run (pid " + pg.pid() + ")");
                PidFile.terminate(pg, Duration.ofSeconds(20));
            });
        }
    }

    /**
     * Stops the services all at once (SIGTERM, then SIGKILL), then Keycloak, Kafka (controlled shutdown), PostgreSQL
     * (fast shutdown). Idempotent.
     */
    @Override
    public void close() {
        List<Component> toStop;
        synchronized (started) {
            if (closed.getAndSet(true)) {
                return;
            }
            toStop = new ArrayList<>(started);
        }
        try {
            if (!toStop.isEmpty()) {
                progress.line("Stopping livestage ...");
            }
            // the services at once (they do not depend on each other's shutdown), then the infrastructure in reverse
            List<Component> services = toStop.stream().filter(c -> c.resource() instanceof ServiceProcess).toList();
            if (!services.isEmpty()) {
                Progress.Task task = progress.start("      " + services.size() + (services.size() == 1 ? " service" : " services"));
                List<Thread> stopping = new ArrayList<>();
                for (Component c : services) {
                    stopping.add(Thread.ofVirtual().name("stop-" + c.name()).start(() -> closeQuietly(c)));
                }
                for (Thread t : stopping) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                task.finish("stopped (" + Progress.seconds(task.seconds()) + ")");
            }
            for (int i = toStop.size() - 1; i >= 0; i--) {
                Component c = toStop.get(i);
                if (c.resource() instanceof ServiceProcess) {
                    continue;
                }
                Progress.Task task = progress.start("      " + c.name());
                closeQuietly(c);
                task.finish("stopped (" + Progress.seconds(task.seconds()) + ")");
            }
        } finally {
            try {
                Files.deleteIfExists(config.identityFile());
            } catch (IOException ignored) {
                // stale file: ./livestage token only trusts it while the stack runs
            }
            stopped.countDown();
        }
    }

    private void closeQuietly(Component c) {
        try {
            c.resource().close();
        } catch (Exception e) {
            progress.line("      could not stop " + c.name() + ": " + e.getMessage());
        }
    }

    public DevStackConfig config() {
        return config;
    }

    public PostgresNode postgres() {
        return postgres;
    }

    public KafkaNode kafka() {
        return kafka;
    }

    /** The dev identity, or null when Keycloak runs. */
    public DevIdentity identity() {
        return identity;
    }

    /** Keycloak, or null with {@code LIVESTAGE_KEYCLOAK=off}. */
    public KeycloakNode keycloak() {
        return keycloak;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    public Map<String, String> tokens() {
        return tokens;
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "up" : args[0];
        List<String> rest = args.length == 0 ? List.of() : List.of(args).subList(1, args.length);
        try {
            switch (command) {
                case "up" -> System.exit(up(rest));
                case "token" -> System.exit(token(rest));
                case "help", "-h", "--help" -> {
                    usage(System.out);
                    System.exit(0);
                }
                default -> {
                    System.err.println("Unknown command: " + command);
                    usage(System.err);
                    System.exit(2);
                }
            }
        } catch (DevStackException e) {
            printFailure(command.equals("token") ? "livestage token: " : "livestage could not start: ", e);
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: DevStack [up [--infra-only] [--services=a,b] [--replicas=N]] | token <user> [--password=P] [--hours=N] | help
                  up            start PostgreSQL, Kafka, Keycloak and the services; Ctrl-C stops everything
                  --infra-only  only PostgreSQL, Kafka and Keycloak (run services yourself, e.g. quarkus:dev)
                  --replicas=N  N instances of every service (ports +1000 each: 8081, 9081, ...), the gateway
                                balancing over them
                  token <user>  print a bearer token from the running stack's Keycloak (password grant; demo users
                                alice, bob, carol, oscar have password = user name); with LIVESTAGE_KEYCLOAK=off a dev token
                                for any name (--hours=N)
                Configuration: LIVESTAGE_* environment variables, see devstack/README.md.""");
    }

    static Path rootDir() {
        String root = Optional.ofNullable(System.getProperty("livestage.root")).orElse(System.getenv("LIVESTAGE_ROOT"));
        return Path.of(root == null || root.isBlank() ? "." : root).toAbsolutePath().normalize();
    }

    private static int up(List<String> args) {
        DevStackConfig.Builder builder = DevStackConfig.fromEnvironment(rootDir(), System.getenv()).toBuilder();
        for (String arg : args) {
            if (arg.equals("--infra-only")) {
                builder.services(List.of());
            } else if (arg.startsWith("--services=")) {
                builder.onlyServices(arg.substring("--services=".length()));
            } else if (arg.startsWith("--replicas=")) {
                builder.replicas(DevStackConfig.replicas("--replicas", arg.substring("--replicas=".length())));
            } else {
                throw new IllegalArgumentException("Unknown option for up: " + arg);
            }
        }
        DevStackConfig config = builder.build();
        Progress progress = new Progress(System.out);

        Optional<ProcessHandle> running = PidFile.alive(config.pidFile());
        if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
            throw new DevStackException("livestage is already running (pid " + running.get().pid() + ", state " + config.stateDir() + ").",
                    "Stop it first: ./livestage down (or use it: it is up).");
        }
        PidFile.write(config.pidFile(), ProcessHandle.current());

        progress.line("livestage devstack: state in " + display(config, config.stateDir()) + ", Java "
                + Runtime.version().feature() + " (" + config.javaCommand() + ")");
        DevStack stack = new DevStack(config, progress);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            PidFile.delete(config.pidFile());
        }, "devstack-shutdown"));
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            if (stack.closed.get()) {
                return 130; // stopped (Ctrl-C / down) while starting
            }
            progress.failOpenTask();
            if (e instanceof DevStackException d) {
                printFailure("livestage could not start: ", d);
            } else {
                System.err.println();
                System.err.println("livestage could not start:");
                e.printStackTrace();
            }
            stack.close();
            PidFile.delete(config.pidFile());
            return 1;
        }
        stack.printSummary();
        stack.watchForCrashes();
        try {
            stack.stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int token(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: token <user> [--password=P] [--hours=N]");
        }
        String user = args.get(0);
        Duration ttl = DevIdentity.DEMO_TOKEN_TTL;
        String password = null;
        boolean hoursGiven = false;
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith("--hours=")) {
                ttl = Duration.ofHours(Long.parseLong(arg.substring("--hours=".length())));
                hoursGiven = true;
            } else if (arg.startsWith("--password=")) {
                password = arg.substring("--password=".length());
            } else {
                throw new IllegalArgumentException("Unknown option for token: " + arg);
            }
        }
        DevStackConfig config = DevStackConfig.fromEnvironment(rootDir(), System.getenv());
        IdentityMode mode = IdentityMode.of(config);
        if (mode.keycloakPort() > 0) {
            if (hoursGiven) {
                System.err.println("note: --hours applies to dev tokens only; Keycloak tokens live 30 minutes (realm setting)");
            }
            if (password == null) {
                boolean demo = DevIdentity.DEMO_USERS.stream().anyMatch(u -> u.username().equals(user));
                if (!demo) {
                    throw new DevStackException("'" + user + "' is not a demo user; Keycloak needs the password.",
                            "./livestage token " + user + " --password=... (demo users: alice, bob, carol, oscar)");
                }
                password = user; // the demo users' dev-only password
            }
            System.out.println(KeycloakNode.passwordGrant(mode.keycloakPort(), user, password));
            return 0;
        }
        DevIdentity identity = DevIdentity.loadOrCreate(config.stateDir().resolve("keys"));
        System.out.println(identity.mint(user, ttl));
        return 0;
    }

    /**
     * Which identity the tokens must come from: the running stack's choice ({@code .devstack/identity.properties},
     * written by {@code up}, removed at stop), else the configuration ({@code LIVESTAGE_KEYCLOAK}).
     * {@code keycloakPort} 0 = the dev identity.
     */
    record IdentityMode(int keycloakPort) {
        static IdentityMode of(DevStackConfig config) {
            Optional<ProcessHandle> running = PidFile.alive(config.pidFile());
            if (running.isPresent() && Files.isRegularFile(config.identityFile())) {
                Properties p = new Properties();
                try (var in = Files.newInputStream(config.identityFile())) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if ("keycloak".equals(p.getProperty("mode"))) {
                    return new IdentityMode(Integer.parseInt(p.getProperty("keycloak.port", String.valueOf(config.keycloakPort()))));
                }
                return new IdentityMode(0);
            }
            return new IdentityMode(config.keycloakEnabled() ? config.keycloakPort() : 0);
        }
    }

    /** A child that dies while the stack runs is reported (the rest keeps running). */
    private void watchForCrashes() {
        List<ManagedProcess> processes = new ArrayList<>();
        processes.add(kafka.process());
        if (keycloak != null) {
            processes.add(keycloak.process());
        }
        services.forEach(s -> processes.add(s.process()));
        for (ManagedProcess p : processes) {
            p.onExit().thenAccept(code -> {
                if (!p.isStopping() && !closed.get()) {
                    progress.line("!! " + p.name() + " exited unexpectedly (code " + code + "); see "
                            + display(config, p.logFile()) + ". Ctrl-C and ./livestage up to restart.");
                }
            });
        }
    }

    private void printSummary() {
        String state = display(config, config.stateDir());
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append("livestage is up in ").append(Progress.seconds(startSeconds)).append('\n');
        for (ServiceProcess s : services) {
            String base = "http://localhost:" + s.port();
            sb.append(String.format("  %-17s %s%n", s.name(), base));
            if (s.instance().index() > 1) {
                continue; // the same API as the first instance
            }
            sb.append(String.format("    %-15s %s/q/swagger-ui%n", "Swagger UI", base));
            sb.append(String.format("    %-15s %s/q/openapi%n", "OpenAPI", base));
            sb.append(String.format("    %-15s %s/asyncapi.yaml%n", "AsyncAPI", base));
            sb.append(String.format("    %-15s %s/q/health%n", "health", base));
        }
        sb.append(String.format("  %-17s %s   topics: %s%n", "Kafka bootstrap", kafka.bootstrapServers(),
                String.join(", ", config.topics().stream().map(TopicSpec::name).toList())));
        sb.append(String.format("  %-17s %s   user %s / %s%n", "PostgreSQL", postgres.jdbcUrl("<database>"),
                postgres.username(), postgres.password()));
        sb.append(String.format("  %-17s %s%n", "databases", String.join(", ", config.databases())));
        if (!services.isEmpty()) {
            sb.append(String.format("  %-17s %s%n", "rate limits", redisUrl != null
                    ? "shared through Redis at " + redisUrl
                    : "counted by the gateway (no Redis on 127.0.0.1:6379; set LIVESTAGE_REDIS_URL to share them)"));
        }
        if (keycloak != null) {
            sb.append(String.format("  %-17s %s   admin console %s/admin (%s / %s, dev only)%n", "Keycloak",
                    config.keycloakIssuer(), config.keycloakPublicUrl(), KeycloakNode.ADMIN_USER, KeycloakNode.ADMIN_PASSWORD));
            sb.append(String.format("  %-17s clients livestage-web (browser, PKCE), livestage-cli (password grant),"
                    + " livestage-services (client credentials)%n", ""));
        } else {
            sb.append(String.format("  %-17s issuer %s, public key %s/keys/public-key.pem (LIVESTAGE_KEYCLOAK=off)%n",
                    "Dev identity", DevIdentity.ISSUER, state));
        }
        sb.append(tokenHint(keycloak != null, state));
        for (ServiceProcess s : services) {
            if (s.spec().tryPath() == null || s.instance().index() > 1) {
                continue;
            }
            sb.append("  Try:  curl -H \"Authorization: Bearer $(./livestage token alice)\" '")
                    .append("http://localhost:").append(s.port()).append(s.spec().tryPath()).append("'\n");
        }
        sb.append(String.format("  %-17s %s/logs/ (postgres.log, kafka.log%s%s)%n", "Logs", state,
                keycloak == null ? "" : ", keycloak.log",
                services.stream().map(s -> ", " + s.name() + ".log").reduce("", String::concat)));
        sb.append("\nCtrl-C to stop (or ./livestage down from another terminal).");
        progress.line(sb.toString());
    }

    /**
     * The demo users and how to get a token for one, never the tokens themselves: three JWTs would fill the screen and
     * land in terminal scrollback and logs.
     */
    static String tokenHint(boolean keycloak, String state) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %-17s %s%s%n", "Demo users", String.join(", ", DevIdentity.DEMO_USERS.stream()
                .map(u -> u.username() + " (" + u.name() + ", xp " + u.xp() + ")").toList()),
                keycloak ? "; password = user name (dev only)" : ""));
        sb.append(String.format("  %-17s TOKEN=$(./livestage token alice)   (lives %s; the latest per user in %s/tokens/<user>.jwt)%n",
                "Token", keycloak ? "30 min" : DevIdentity.DEMO_TOKEN_TTL.toHours() + " h", state));
        return sb.toString();
    }

    /** Paths under the repo shown relative to it ({@code .devstack/logs}), others absolute. */
    static String display(DevStackConfig config, Path path) {
        return path.startsWith(config.rootDir()) ? config.rootDir().relativize(path).toString() : path.toString();
    }

    private static void printFailure(String prefix, DevStackException e) {
        System.err.println();
        System.err.println(prefix + e.getMessage());
        if (e.hint() != null && !e.hint().isEmpty()) {
            System.err.println("What to do: " + e.hint());
        }
    }
}
