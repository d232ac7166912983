package io.livestage.bench.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.livestage.devstack.DevStackConfig;
import io.livestage.devstack.KafkaNode;
import io.livestage.infra.process.JvmFlags;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;
import io.livestage.testing.service.ServiceProcess;

/**
 * One run of one scenario: its knobs, its folder ({@code bench/target/<name>}: logs, Kafka state, JFR files), and
 * everything it starts, stopped in reverse order when the run ends, fails, overruns its time budget (the watchdog in
 * {@link io.livestage.bench.Main}) or the JVM is stopped (a shutdown hook).
 */
public final class Run implements AutoCloseable {
    private final Knobs knobs;
    private final Path root;
    private final Path dir;
    private final String serviceJavaOpts;
    private final String kafkaJavaOpts;
    private final Path kafkaLib;
    private final Map<String, String> jars = new HashMap<>();
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final List<String> started = new ArrayList<>();
    private KafkaNode kafka;
    private TestPostgres postgres;
    private boolean closed;

    /** The services a run may start; {@code --<module>-jar} replaces one's fast-jar. */
    static final List<String> MODULES = List.of("session-service", "token-service", "chat-service",
            "transcription-service", "recording-service", "analytics-service", "gateway");

    public Run(String name, Knobs knobs) {
        this.knobs = knobs;
        this.root = Path.of(knobs.string("root", ".")).toAbsolutePath().normalize();
        this.dir = root.resolve("bench/target").resolve(name);
        this.serviceJavaOpts = knobs.string("service-java-opts", "");
        this.kafkaJavaOpts = knobs.string("kafka-java-opts", "-Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20");
        this.kafkaLib = knobs.path(root, "kafka-lib", "devstack/target/lib");
        for (String module : MODULES) {
            String jar = knobs.optional(module + "-jar");
            if (jar != null) {
                jars.put(module, jar);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "bench-cleanup"));
    }

    public Path root() {
        return root;
    }

    public Path dir() {
        return dir;
    }

    /** Stops {@code resource} when the run ends (in reverse order of ownership). */
    public synchronized <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** The Kafka broker (started on first use), its topics created as devstack creates them. */
    public synchronized KafkaNode kafka() {
        if (kafka == null) {
            Path state = dir.resolve("kafka-state");
            deleteTree(state);
            int[] ports = ServiceProcess.freePorts(2);
            DevStackConfig config = DevStackConfig.builder(root).stateDir(state).libDir(kafkaLib)
                    .kafkaPort(ports[0]).kafkaControllerPort(ports[1]).kafkaJvmOptions(JvmFlags.split(kafkaJavaOpts))
                    .build();
            Log.info("Kafka: starting a broker process on 127.0.0.1:%d (jars %s)", ports[0], kafkaLib);
            KafkaNode node = own(KafkaNode.start(config));
            node.ensureTopics(config.topics());
            kafka = node;
            started.add("Kafka " + KafkaNode.KAFKA_VERSION + ": one KRaft node (broker + controller) in its own JVM ("
                    + kafkaJavaOpts + "), started as `./livestage up` starts it (devstack's KafkaNode), topics with "
                    + "devstack's partition counts; pid " + node.pid());
            Log.info("Kafka: ready at %s (pid %d)", node.bootstrapServers(), node.pid());
        }
        return kafka;
    }

    /** The PostgreSQL server (embedded unless LIVESTAGE_TEST_POSTGRES_URL names one). */
    public synchronized TestPostgres postgres() {
        if (postgres == null) {
            postgres = TestPostgres.shared();
            started.add("PostgreSQL: " + postgres + "; " + databaseSettings());
        }
        return postgres;
    }

    /** The settings that decide a database's write latency, as the server reports them. */
    public String databaseSettings() {
        TestPostgres server = postgres();
        TestDatabase any = server.createDatabase("livestage_bench_probe");
        List<String> settings = new ArrayList<>();
        try (Connection c = server.open(any); Statement s = c.createStatement()) {
            for (String setting : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes",
                    "wal_level", "shared_buffers", "max_connections")) {
                try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                    r.next();
                    settings.add(setting + "=" + r.getString(1));
                }
            }
        } catch (SQLException e) {
            settings.add("(settings unreadable: " + e.getMessage() + ")");
        }
        return String.join(", ", settings);
    }

    /** The processes to measure: {@code first}, then PostgreSQL (if local), Kafka if {@code kafka}, the harness. */
    public List<Cpu.Proc> procs(TestDatabase database, boolean kafka, Cpu.Proc... first) {
        List<Cpu.Proc> procs = new ArrayList<>(List.of(first));
        postgresProc(database).ifPresent(procs::add);
        if (kafka) {
            procs.add(new Cpu.Proc("kafka", kafka().pid()));
        }
        procs.add(Cpu.Proc.self("harness"));
        return procs;
    }

    /** The embedded server's postmaster (its backends are its descendants), if PostgreSQL runs on this machine. */
    public Optional<Cpu.Proc> postgresProc(TestDatabase any) {
        return postgresProc(URI.create(any.reactiveUrl().replace("postgresql://", "http://")).getPort());
    }

    /** The postmaster of the PostgreSQL server on this machine that listens on {@code port}, if any. */
    public static Optional<Cpu.Proc> postgresProc(int port) {
        String portArgument = Integer.toString(port);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> {
                        String[] args = p.info().arguments().orElse(new String[0]);
                        for (int i = 0; i + 1 < args.length; i++) {
                            if (args[i].equals("-p") && args[i + 1].equals(portArgument)) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .min(Comparator.comparingLong(ProcessHandle::pid))
                    .map(p -> new Cpu.Proc("postgresql", p.pid()));
        }
    }

    /**
     * Starts a packaged service ({@code --<module>-jar}, default its fast-jar) on a fresh database of the shared server
     * and this run's Kafka, with {@code --service-java-opts} (default none: the JVM's defaults), its log in this run's
     * folder; {@code customize} adds environment.
     */
    public ServiceProcess service(String module, UnaryOperator<ServiceProcess.Builder> customize) {
        Path jar = root.resolve(jars.getOrDefault(module, module + "/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().normalize();
        TestDatabase database = postgres().createDatabase("livestage_bench_" + module.replace("-service", "")
                .replace('-', '_'));
        Log.info("%s: starting %s", module, jar);
        ServiceProcess.Builder builder = ServiceProcess.builder(module).jar(jar).javaOptions(serviceJavaOpts)
                .database(database).kafka(kafka().bootstrapServers()).log(dir.resolve(module + ".log"))
                .readyTimeout(Duration.ofSeconds(180));
        ServiceProcess service = own(customize.apply(builder).start());
        started.add(module + ": `java " + (serviceJavaOpts.isBlank() ? "" : serviceJavaOpts + " ")
                + "-jar quarkus-run.jar` (JVM defaults, C2 on), dev profile, its own fresh database, pid "
                + service.pid() + ", ready after " + service.startupTime().toMillis() + " ms");
        Log.info("%s: ready on %s (pid %d)", module, service.url(), service.pid());
        return service;
    }

    /** The LiveKit settings of a service that talks to the stub. */
    public static ServiceProcess.Builder livekit(ServiceProcess.Builder builder, LiveKitStub livekit) {
        return builder.env("LIVEKIT_URL", livekit.url().replace("http://", "ws://"))
                .env("LIVEKIT_API_KEY", livekit.apiKey()).env("LIVEKIT_API_SECRET", livekit.apiSecret());
    }

    /** One line per process the run started, for the report. */
    public List<String> started() {
        return List.copyOf(started);
    }

    /** Records a process started elsewhere (a peer), for the report. */
    public void describe(String line) {
        started.add(line);
    }

    /** The machine, for the report: cores, CPU, JDK, OS, commit, date, load average. */
    public String machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        String commit = Optional.ofNullable(git("rev-parse", "--short", "HEAD")).orElse("unknown");
        String status = git("status", "--porcelain");
        if (status != null && !status.isBlank()) {
            commit += " (with uncommitted changes)";
        }
        String load = "";
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "- cores: " + Runtime.getRuntime().availableProcessors() + (cpu.isBlank() ? "" : " (" + cpu + ")")
                + "\n- JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + "\n- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + "\n- commit: " + commit
                + "\n- date: " + ZonedDateTime.now(ZoneOffset.UTC).withNano(0)
                + (load.isBlank() ? "" : "\n- load average (1, 5, 15 min) at the end: " + load);
    }

    private String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        try {
            return Peer.exec(command, null, Duration.ofSeconds(10));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Fills the placeholders every report has: machine, processes, knobs. */
    public Report standard(Report report) {
        StringBuilder processes = new StringBuilder();
        started.forEach(line -> processes.append("- ").append(line).append('\n'));
        StringBuilder used = new StringBuilder();
        knobs.used().forEach((k, v) -> {
            if (!k.equals("root")) {
                used.append(used.isEmpty() ? "" : ", ").append('`').append("--").append(k).append('=').append(v)
                        .append('`');
            }
        });
        return report.put("machine", machine()).put("processes", processes.toString().stripTrailing())
                .put("knobs", used.toString());
    }

    public static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Log.info("cannot delete %s: %s", path, e);
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(owned);
            owned.clear();
        }
        for (AutoCloseable resource : toClose) {
            try {
                resource.close();
            } catch (Exception e) {
                Log.info("stopping %s: %s", resource, e);
            }
        }
    }
}
