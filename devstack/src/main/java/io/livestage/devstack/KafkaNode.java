package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;

import io.livestage.devstack.Catalog.TopicSpec;
import io.livestage.events.Topics;
import io.livestage.events.kafka.KafkaTopics;
import io.livestage.infra.kafka.SingleNodeKafka;
import io.livestage.infra.process.JvmFlags;

/**
 * One Apache Kafka node in KRaft mode (broker + controller in one process), run from the Maven Central jars in
 * {@code devstack/target/lib} as a child JVM: {@code java -cp lib/* kafka.Kafka server.properties}.
 * <p>
 * State: {@code <kafkaDir>/server.properties} (rewritten every start, so ports can change),
 * {@code <kafkaDir>/data} (log dir, formatted once with {@code kafka.tools.StorageTool}),
 * {@code <kafkaDir>/cluster.id} (reused on restart).
 */
public final class KafkaNode implements AutoCloseable {

    /** The version of the jars in lib (kafka-clients and the broker come from the same ${kafka.version}). */
    public static final String KAFKA_VERSION = AppInfoParser.getVersion();
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** The broker's class cache in its state directory ({@link StartupCache#brokerOptions}), written at its stop. */
    static final String CDS_ARCHIVE = "kafka-startup.jsa";

    private final ManagedProcess process;
    private final String bootstrapServers;
    private final String clusterId;
    private final Path logFile;

    private KafkaNode(ManagedProcess process, String bootstrapServers, String clusterId, Path logFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.clusterId = clusterId;
        this.logFile = logFile;
    }

    /** {@link #launch} + {@link #awaitReady}. */
    public static KafkaNode start(DevStackConfig config) {
        KafkaNode node = launch(config);
        try {
            node.awaitReady();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Writes the config, formats the log dir the first time and starts the broker process (does not wait). */
    public static KafkaNode launch(DevStackConfig config) {
        Path kafkaDir = config.stateDir().resolve("kafka");
        Path dataDir = kafkaDir.resolve("data");
        requireLib(config.libDir());
        Ports.requireFree("Kafka", config.kafkaPort(), "LIVESTAGE_KAFKA_PORT");
        Ports.requireFree("Kafka controller", config.kafkaControllerPort(), "LIVESTAGE_KAFKA_CONTROLLER_PORT");
        Path logFile = Logs.fresh(config.logsDir().resolve("kafka.log"));
        try {
            Files.createDirectories(dataDir);
            Path serverProperties = kafkaDir.resolve("server.properties");
            Files.writeString(serverProperties, serverProperties(config, dataDir));
            Path log4j = kafkaDir.resolve("log4j2.properties");
            Files.writeString(log4j, LOG4J2_PROPERTIES);

            String clusterId = formatOnce(config, kafkaDir, dataDir, serverProperties, log4j, logFile);

            List<String> command = new ArrayList<>(javaCommand(config, log4j));
            command.addAll(1, StartupCache.brokerOptions(config.startupCache(),
                    StartupCache.javaFeature(config.javaCommand()), config.kafkaJvmOptions(),
                    kafkaDir.resolve(CDS_ARCHIVE)));
            command.add("kafka.Kafka");
            command.add(serverProperties.toString());
            ManagedProcess process = ManagedProcess.start("kafka", command, Map.of(), kafkaDir, logFile, config.pidsDir());
            return new KafkaNode(process, config.kafkaBootstrapServers(), clusterId, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireLib(Path libDir) {
        try (var files = Files.list(libDir)) {
            if (files.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"))) {
                return;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new DevStackException("The Kafka jars are missing from " + libDir + ".",
                "Build the launcher first: ./mvnw -B -q -DskipTests -pl devstack -am install (or just ./livestage up).");
    }

    private static List<String> javaCommand(DevStackConfig config, Path log4j) {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.javaCommand());
        cmd.addAll(config.kafkaJvmOptions());
        cmd.addAll(JvmFlags.quietOnModernJdk());
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        cmd.add("-Dkafka.logs.dir=" + config.logsDir());
        cmd.add("-cp");
        cmd.add(config.libDir().resolve("*").toString());
        return cmd;
    }

    /** Formats the log dir if it has no meta.properties yet; returns the cluster id (kept in cluster.id). */
    private static String formatOnce(DevStackConfig config, Path kafkaDir, Path dataDir, Path serverProperties,
                                     Path log4j, Path logFile) throws IOException {
        Path clusterIdFile = kafkaDir.resolve("cluster.id");
        Path meta = dataDir.resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(meta)) {
                p.load(in);
            }
            String id = p.getProperty("cluster.id");
            if (id != null && !Files.exists(clusterIdFile)) {
                Files.writeString(clusterIdFile, id + "\n");
            }
            return id;
        }
        String clusterId = Files.isRegularFile(clusterIdFile)
                ? Files.readString(clusterIdFile).trim()
                : Uuid.randomUuid().toString();
        Files.writeString(clusterIdFile, clusterId + "\n");
        List<String> command = new ArrayList<>(javaCommand(config, log4j));
        command.addAll(List.of("kafka.tools.StorageTool", "format",
                "--cluster-id", clusterId, "--config", serverProperties.toString()));
        ManagedProcess format = ManagedProcess.start("kafka-format", command, Map.of(), kafkaDir, logFile, config.pidsDir());
        try {
            if (!format.waitFor(Duration.ofSeconds(60))) {
                format.stop(Duration.ofSeconds(1));
                throw new DevStackException("Formatting the Kafka log dir timed out.", "See " + logFile);
            }
            format.stop(Duration.ZERO);
            if (format.exitValue() != 0) {
                throw new DevStackException("Formatting the Kafka log dir failed (exit " + format.exitValue() + ").\n"
                        + Logs.tailBlock(logFile, 20),
                        "Reset Kafka's state and try again: rm -rf " + kafkaDir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            format.stop(Duration.ofSeconds(1));
            throw new DevStackException("Interrupted while formatting the Kafka log dir.", "Run ./livestage up again.");
        }
        return clusterId;
    }

    static String serverProperties(DevStackConfig c, Path dataDir) {
        String host = DevStackConfig.HOST;
        return """
                # Written by the livestage devstack launcher on every start; edit DevStackConfig/KafkaNode instead.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%4$s
                # on restart the controller keeps the previous run's broker registration until its session times out
                # (default 9 s): a short session lets the broker re-register after ~2-3 s
                broker.session.timeout.ms=2500
                broker.heartbeat.interval.ms=500
                log.retention.hours=168
                # one node, as the tests' broker (infra SingleNodeKafka): replication factor 1, topics auto-created
                %5$s
                """.formatted(host, c.kafkaPort(), c.kafkaControllerPort(), dataDir.toString().replace('\\', '/'),
                        sharedSettings());
    }

    private static String sharedSettings() {
        StringBuilder lines = new StringBuilder();
        SingleNodeKafka.brokerSettings(Topics.PARTITIONS, 10).forEach((key, value) ->
                lines.append(lines.isEmpty() ? "" : "\n").append(key).append('=').append(value));
        return lines.toString();
    }

    private static final String LOG4J2_PROPERTIES = """
            # Kafka broker logging (written by the livestage devstack launcher); stdout goes to .devstack/logs/kafka.log
            status = warn
            # keep logging through the broker's own shutdown hook (controlled shutdown messages)
            shutdownHook = disable
            appender.out.type = Console
            appender.out.name = STDOUT
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = info
            rootLogger.appenderRef.out.ref = STDOUT
            logger.statechange.name = state.change.logger
            logger.statechange.level = warn
            logger.request.name = kafka.request.logger
            logger.request.level = warn
            logger.config.name = org.apache.kafka.common.config.AbstractConfig
            logger.config.level = warn
            """;

    /** Waits until an AdminClient {@code describeCluster} succeeds (the broker serves requests). */
    public void awaitReady() {
        awaitReady(READY_TIMEOUT);
    }

    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String host = DevStackConfig.HOST;
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (process.isStopping()) {
                throw new DevStackException("Stopped while waiting for Kafka.", "");
            }
            if (!process.isAlive()) {
                throw new DevStackException("The Kafka broker exited (code " + process.exitValue() + ").\n"
                        + Logs.tailBlock(logFile, 25),
                        "See " + logFile + ". If its state is damaged, reset it: rm -rf " + logFile.getParent().getParent().resolve("kafka"));
            }
            if (Ports.accepts(host, port, 500)) {
                try (Admin admin = admin()) {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DevStackException("Interrupted while waiting for Kafka.", "Run ./livestage up again.");
                }
            }
            sleep(200);
        }
        throw new DevStackException("Kafka did not become ready within " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (" + last.getMessage() + ")") + ".\n" + Logs.tailBlock(logFile, 25),
                "See " + logFile);
    }

    /** Creates the topics that do not exist yet (and waits for their leaders); returns the ones it created. */
    public List<String> ensureTopics(List<TopicSpec> topics) {
        List<String> created = new ArrayList<>();
        try (Admin admin = admin()) {
            for (TopicSpec t : topics) {
                if (KafkaTopics.ensure(admin, t.name(), t.partitions(), Duration.ofSeconds(30)).created()) {
                    created.add(t.name());
                }
            }
            return created;
        } catch (TimeoutException | IllegalStateException e) {
            throw new DevStackException("Cannot create Kafka topics: " + e.getMessage(), "See " + logFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while creating Kafka topics.", "Run ./livestage up again.");
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "livestage-devstack");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(p);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String clusterId() {
        return clusterId;
    }

    public long pid() {
        return process.pid();
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGTERM: a controlled shutdown (flushes and closes the logs cleanly), SIGKILL after 30 s. */
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
