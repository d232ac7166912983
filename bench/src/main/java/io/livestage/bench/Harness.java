package io.livestage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;

/** What every benchmark of this module shares: progress lines, the machine, infrastructure, clients, scraping. */
public final class Harness {
    /** Partitions of {@code livestage.session}, as devstack creates it. */
    static final int TOPIC_PARTITIONS = 6;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Harness() {
    }

    /** A progress line on stdout: {@code [bench 13:37:18] message}. */
    static void log(String message) {
        System.out.println("[bench " + LocalTime.now().format(CLOCK) + "] " + message);
    }

    /** The Kafka of this run and how to describe it in a report. */
    record Kafka(KafkaBroker broker, String origin) {
        String bootstrapServers() {
            return broker.bootstrapServers();
        }
    }

    /**
     * The shared broker (in-JVM, or the one in {@code KAFKA_BOOTSTRAP_SERVERS}), with {@code livestage.session}
     * created with {@value #TOPIC_PARTITIONS} partitions unless it exists (noted in {@code notes}).
     */
    static Kafka kafka(List<String> notes) {
        log("Kafka: starting or connecting");
        KafkaBroker kafka = KafkaBroker.shared();
        String origin = System.getProperty(KafkaBroker.BOOTSTRAP_PROPERTY) != null
                ? "a KRaft broker in its own JVM at " + kafka.bootstrapServers() + ", started as ./livestage up starts it"
                : System.getenv(KafkaBroker.BOOTSTRAP_ENV) != null
                        ? "external broker at " + kafka.bootstrapServers() + " (KAFKA_BOOTSTRAP_SERVERS)"
                        : "in-JVM KRaft broker (Kafka test kit, the testing module's KafkaBroker) in the harness JVM";
        try {
            kafka.createTopic(Topics.SESSION, TOPIC_PARTITIONS);
        } catch (IllegalStateException e) {
            notes.add("Topic " + Topics.SESSION + " was used as it was: " + e.getMessage());
        }
        log("Kafka: " + kafka);
        return new Kafka(kafka, origin);
    }

    /**
     * The harness's Kafka consumers (the event probe, the transcript tap, the Kafka hop): no group, nothing committed,
     * fetches answered as soon as one byte is there (or after 100 ms), raw bytes.
     */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String clientId) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(properties);
    }

    /** The PostgreSQL server of this run, and whether it is the embedded one (whose CPU we can measure). */
    record Postgres(TestPostgres server, boolean embedded) {
        String origin() {
            return (embedded ? "embedded server " : "external server ") + server;
        }

        /** The postmaster of the embedded server, for {@link CpuMeter}; null for an external one. */
        ProcessHandle postmaster(TestDatabase any) {
            return embedded ? CpuMeter.postmaster(URI.create(any.reactiveUrl()).getPort()).orElse(null) : null;
        }

        TestDatabase create(String prefix) {
            TestDatabase database = server.createDatabase(prefix);
            log("PostgreSQL: " + database);
            return database;
        }

        /**
         * ANALYZE a service's database, as autovacuum does on a live one. A fresh database has no statistics until
         * autovacuum's first pass (autovacuum_naptime, 1 min), and plans made without them (generic plans of prepared
         * statements especially) can scan whole tables; a benchmark of a few minutes would measure that start-up state.
         */
        void analyze(TestDatabase database) {
            try (Connection connection = server.open(database);
                    Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            } catch (SQLException e) {
                log("ANALYZE of " + database.name() + " failed (measuring without fresh statistics): " + e.getMessage());
            }
        }
    }

    /** The shared server: {@code LIVESTAGE_TEST_POSTGRES_URL}, else an embedded PostgreSQL 17. */
    static Postgres postgres() {
        log("PostgreSQL: starting or connecting");
        return new Postgres(TestPostgres.shared(), System.getenv(TestPostgres.URL_ENV) == null);
    }

    /** A keep-alive HTTP/1.1 client to 127.0.0.1 with a pool of {@code connections}, no pipelining. */
    static HttpClient client(Vertx vertx, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setConnectTimeout(5_000).setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** Waits for a window that ends by itself at its deadline; {@code bound} only guards against a lost callback. */
    static <T> T await(CompletableFuture<T> window, Duration bound) throws Exception {
        return window.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where it runs: cores, CPU model, JDK, OS, commit (marked when the work tree has changes), date. */
    static Report.Machine machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        String jdk = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.name") + " "
                + System.getProperty("java.runtime.version");
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit == null) {
            commit = "unknown";
        } else {
            String status = git("status", "--porcelain");
            if (status != null && !status.isBlank()) {
                commit += " (with uncommitted changes in the work tree)";
            }
        }
        String date = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return new Report.Machine(Runtime.getRuntime().availableProcessors(), cpu, jdk, os, commit, date);
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>();
            command.add("git");
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 1.20 0.80 0.50}, or empty off Linux. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** A service's Prometheus text from {@code /q/metrics}, or empty when it cannot be read. */
    static String metrics(int port) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Sum of the samples of metric {@code name} (e.g. {@code http_server_requests_seconds_count}) whose labels contain
     * every one of {@code labels} (e.g. {@code uri="/api/tokens"}), from Prometheus text.
     */
    static double sample(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = close < 0 ? "" : line.substring(name.length(), close + 1);
            boolean all = true;
            for (String label : labels) {
                if (!labelText.contains(label)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                try {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException ignored) {
                    // NaN or a malformed line: skip
                }
            }
        }
        return sum;
    }

    /** p50/p99/p99.9 of livestage.outbox.lag (commit → Kafka acknowledgement) from a service's metrics, or null. */
    static String outboxLag(String metrics) {
        try {
            String quantiles = metrics.lines()
                    .filter(l -> l.startsWith("livestage_outbox_lag_seconds{") && l.contains("quantile="))
                    .map(l -> {
                        String q = l.substring(l.indexOf("quantile=\"") + 10);
                        q = q.substring(0, q.indexOf('"'));
                        double seconds = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                        return "p" + Report.trim(Double.parseDouble(q) * 100) + " " + Report.fixed(seconds * 1000) + " ms";
                    })
                    .collect(Collectors.joining(", "));
            return quantiles.isEmpty() ? null : quantiles;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Seconds with up to two decimals: 20, 2.5. */
    static String seconds(Duration d) {
        return Report.trim(d.toMillis() / 1000.0);
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The markdown section every report starts with after its title: the machine and the load average. */
    static String machineSection(Report.Machine machine, String loadAverage) {
        StringBuilder md = new StringBuilder("## Machine\n\n");
        md.append("- cores: ").append(machine.cores()).append(machine.cpu().isBlank() ? "" : " (" + machine.cpu() + ")")
                .append('\n');
        md.append("- JDK: ").append(machine.jdk()).append('\n');
        md.append("- OS: ").append(machine.os()).append('\n');
        md.append("- commit: ").append(machine.commit()).append('\n');
        md.append("- date: ").append(machine.date()).append('\n');
        if (loadAverage != null && !loadAverage.isBlank()) {
            md.append("- load average (1, 5, 15 min): ").append(loadAverage).append('\n');
        }
        return md.append('\n').toString();
    }
}
