package io.livestage.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.livestage.events.Topics;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * analytics: analytics-service's Kafka Streams application (issue 15) under a whole log (see bench/README.md). (1)
 * throughput: a synthetic log of realistic events is produced before the service starts; the service then consumes
 * it, and its consumer group's committed offsets are polled until they reach the end offsets: events/s and CPU per
 * 1,000 events. (2) plain: a plain KafkaConsumer in its own JVM reads, decodes and counts the same log, measured the
 * same way; ratio_vs_plain = (1) ÷ (2). (3) live: with the service caught up, live sessions each followed by their
 * host over server-sent events while chat messages arrive at a steady rate: message sent → first frame counting it.
 */
public final class AnalyticsBenchmark {
    static final String SERVICE = "analytics-service";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Behind its scheduled time by more than this, a live message counts as sent late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Duration FINALS_GRACE = Duration.ofSeconds(60);

    /** The log as produced: its make-up, how long producing took, the end offsets read after it. */
    record Loaded(AnalyticsLog.Totals totals, long produced, long failed, double seconds, long inTopics,
            Map<TopicPartition, Long> ends) {
    }

    /** One run of the plain consumer: its done line, or why it failed; its JVM's whole CPU from the harness side. */
    record PlainRun(int round, PlainAnalyticsConsumer.Done done, String failure, double wallSeconds) {
    }

    /** The final statistics recorded in PostgreSQL after the service caught up. */
    record Finals(long expected, long recorded, double secondsAfterCaughtUp) {
    }

    /** Sessions whose statistics were read back from the service and compared with the log's. */
    record Checks(int checked, int matched, List<String> mismatches) {
    }

    /** One run of the service over the log. */
    record ServiceRun(int round, String applicationId, String database, double startupSeconds,
            GroupProgress.Outcome progress, CpuMeter.Usage cpu, List<OtherProcesses.Usage> others,
            double eventsCounted, Finals finals, Checks checks, JfrProfile.Summary profile, JfrWaits.Summary waits,
            String failure) {
    }

    /** The live part. */
    record LiveRun(String skipped, int sessions, int subscribed, Map<String, Long> failures, LiveLatency latency,
            long sent, long late, double achievedRate, CpuMeter.Usage cpu, long unreadable, long endedStreams,
            double secondsToReady) {
        static LiveRun skip(String why) {
            return new LiveRun(why, 0, 0, Map.of(), null, 0, 0, 0, null, 0, 0, 0);
        }
    }

    private final AnalyticsSettings settings;
    private final Http http = new Http(Duration.ofSeconds(10));

    public AnalyticsBenchmark(AnalyticsSettings settings) {
        this.settings = settings;
    }

    public AnalyticsReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        Path logs = settings.repoRoot().resolve("bench/target/analytics");
        Files.createDirectories(logs);
        Harness.Kafka kafka = Harness.kafka(notes);
        kafka.broker().createTopic(Topics.CHAT, Harness.TOPIC_PARTITIONS);
        Harness.Postgres postgres = Harness.postgres();
        Instant now = Instant.now();
        AnalyticsLog log = new AnalyticsLog(settings.seed(), settings.sessions(), settings.events(), settings.mix(),
                now);
        Loaded loaded = load(kafka.bootstrapServers(), log);

        List<PlainRun> plains = new ArrayList<>();
        List<ServiceRun> services = new ArrayList<>();
        LiveRun live = LiveRun.skip("not run (--phases)");
        OtherProcesses othersLive = new OtherProcesses();
        for (int round = 1; round <= settings.rounds(); round++) {
            boolean last = round == settings.rounds();
            if (settings.runs("plain")) {
                plains.add(plain(round, kafka.bootstrapServers(), loaded.ends(), logs));
            }
            if (!settings.runs("throughput")) {
                continue;
            }
            TestDatabase database = postgres.create("livestage_analytics_bench");
            String applicationId = "analytics-bench-" + UUID.randomUUID().toString().substring(0, 8);
            Path state = logs.resolve("state-" + round);
            Harness.log("analytics-service (round " + round + "/" + settings.rounds() + "): starting "
                    + settings.analyticsJar() + ", application id " + applicationId);
            try (GroupProgress progress = new GroupProgress(kafka.bootstrapServers(), applicationId,
                    loaded.ends())) {
                ServiceRunner runner = new ServiceRunner(round, progress, last && settings.jfr(), logs);
                Thread poller = Thread.ofPlatform().name("analytics-progress").start(runner::poll);
                ServiceProcess service = null;
                long started = System.nanoTime();
                try {
                    service = ServiceProcess.builder(SERVICE).jar(settings.analyticsJar())
                            .javaOptions(settings.serviceJavaOpts()).database(database)
                            .kafka(kafka.bootstrapServers())
                            .env("LIVESTAGE_ANALYTICS_APPLICATION_ID", applicationId)
                            .env("LIVESTAGE_ANALYTICS_FINAL_DELAY", settings.finalDelay().toMillis() + "ms")
                            .env("LIVESTAGE_ANALYTICS_LIVE_POLL", settings.livePoll().toMillis() + "ms")
                            .env("LIVESTAGE_ANALYTICS_STATE_DIR", state.toString())
                            .log(logs.resolve("analytics-service-" + round + ".log")).readyTimeout(READY_TIMEOUT)
                            .start();
                } catch (RuntimeException e) {
                    runner.stop();
                    poller.join();
                    services.add(new ServiceRun(round, applicationId, database.name(), Double.NaN, null, null,
                            List.of(), Double.NaN, null, null, null, null, "did not start: " + e.getMessage()));
                    break;
                }
                double startup = (System.nanoTime() - started) / 1e9;
                Harness.log("analytics-service: ready on " + service.url() + " after " + Math.round(startup * 1000)
                        + " ms (pid " + service.pid() + ", log " + service.log() + ")");
                runner.service(service);
                poller.join();
                ServiceRun run = runner.finish(service, database, postgres, log, applicationId, startup);
                services.add(run);
                if (last && settings.runs("live")) {
                    live = run.failure() == null ? live(service, kafka.bootstrapServers(), log, othersLive)
                            : LiveRun.skip("the service did not catch up: " + run.failure());
                }
                if (!service.isAlive()) {
                    notes.add("analytics-service (round " + round + ") was no longer running at the end; see "
                            + service.log());
                }
                service.close();
            }
        }
        notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                + " s including the start-up of Kafka and PostgreSQL, producing the log and the service starts.");
        String load = loadAtStart.isBlank() ? "" : loadAtStart + " before the run, " + Harness.loadAverage()
                + " after";
        String stack = "Kafka: " + kafka.origin() + ", topics " + Topics.SESSION + " and " + Topics.CHAT + " with "
                + Harness.TOPIC_PARTITIONS + " partitions each; PostgreSQL: " + postgres.origin()
                + ", a fresh database per service run; analytics-service as a child process: java -jar "
                + settings.repoRoot().relativize(settings.analyticsJar()) + " (same JDK as the harness, "
                + (settings.serviceJavaOpts().isBlank() ? "JVM defaults: tiered compilation up to C2"
                        : "JVM options " + settings.serviceJavaOpts()) + "; default configuration apart from "
                + "LIVESTAGE_ANALYTICS_APPLICATION_ID (fresh per run), LIVESTAGE_ANALYTICS_FINAL_DELAY="
                + settings.finalDelay().toMillis() + "ms, LIVESTAGE_ANALYTICS_LIVE_POLL="
                + settings.livePoll().toMillis() + "ms, LIVESTAGE_ANALYTICS_STATE_DIR under bench/target/analytics)";
        return new AnalyticsReport(Harness.machine(), settings, loaded, plains, services, live,
                othersLive.top(6), stack, notes, load);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The log

    static KafkaProducer<String, byte[]> producer(String bootstrapServers, int lingerMs, int batchBytes) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-analytics-producer");
        return new KafkaProducer<>(properties);
    }

    private static List<TopicPartition> partitions() {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : List.of(Topics.SESSION, Topics.CHAT)) {
            for (int p = 0; p < Harness.TOPIC_PARTITIONS; p++) {
                out.add(new TopicPartition(topic, p));
            }
        }
        return out;
    }

    private Loaded load(String bootstrapServers, AnalyticsLog log) throws Exception {
        AnalyticsLog.Totals totals = log.totals();
        Harness.log(String.format(Locale.ROOT, "log: producing %,d events of %,d sessions (seed %d): %,d session, "
                + "%,d presence, %,d messages, %,d reaction bursts", totals.events(), log.sessions(), log.seed(),
                totals.sessionEvents(), totals.presenceEvents(), totals.messages(), totals.reactionEvents()));
        Map<TopicPartition, Long> before;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            before = GroupProgress.endOffsets(admin, partitions());
        }
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        long produced;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers, 20, 512 * 1024)) {
            long[] count = { 0 };
            long step = Math.max(1, totals.events() / 10);
            produced = log.produce(record -> {
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, exception);
                    }
                });
                if (++count[0] % step == 0) {
                    Harness.log(String.format(Locale.ROOT, "log: %,d of %,d sent", count[0], totals.events()));
                }
            });
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records of the log were not produced", firstFailure.get());
        }
        Map<TopicPartition, Long> ends;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            ends = GroupProgress.endOffsets(admin, partitions());
        }
        long inTopics = ends.values().stream().mapToLong(Long::longValue).sum();
        long added = inTopics - before.values().stream().mapToLong(Long::longValue).sum();
        Harness.log(String.format(Locale.ROOT, "log: %,d events produced in %.1f s (%,.0f/s); the topics hold %,d "
                + "records", produced, seconds, produced / seconds, inTopics));
        if (added != produced) {
            throw new IllegalStateException("produced " + produced + " records but the end offsets grew by " + added);
        }
        return new Loaded(totals, produced, failed.get(), seconds, inTopics, ends);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The plain consumer

    private PlainRun plain(int round, String bootstrapServers, Map<TopicPartition, Long> ends, Path logs)
            throws Exception {
        Harness.log("plain consumer (round " + round + "/" + settings.rounds() + "): a KafkaConsumer in its own JVM "
                + "reads and counts the log");
        Path logFile = logs.resolve("plain-consumer-" + round + ".log");
        long start = System.nanoTime();
        try (PeerJvm peer = PeerJvm.start(PlainAnalyticsConsumer.class, List.of(bootstrapServers,
                PlainAnalyticsConsumer.endOffsets(ends), Long.toString(settings.catchUpTimeout().toSeconds())),
                logFile)) {
            long deadline = System.nanoTime() + settings.catchUpTimeout().plusSeconds(30).toNanos();
            long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (peer.process.isAlive() && System.nanoTime() < deadline) {
                peer.process.waitFor(100, TimeUnit.MILLISECONDS);
                if (System.nanoTime() >= nextLog && peer.process.isAlive()) {
                    String progress = lastLine(logFile, "progress ");
                    if (progress != null) {
                        Harness.log(String.format(Locale.ROOT, "plain consumer: %,d records read",
                                Long.parseLong(progress.substring("progress ".length()).trim())));
                    }
                    nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
            double wall = (System.nanoTime() - start) / 1e9;
            String done = lastLine(logFile, "done ");
            if (peer.process.isAlive() || done == null) {
                String why = peer.process.isAlive() ? "did not finish within " + settings.catchUpTimeout().toSeconds()
                        + " s" : "exited with " + peer.process.exitValue() + " without a result";
                Harness.log("plain consumer: " + why + "; see " + logFile);
                return new PlainRun(round, null, why + " (" + settings.repoRoot().relativize(logFile) + ")", wall);
            }
            PlainAnalyticsConsumer.Done result = PlainAnalyticsConsumer.Done.parse(done);
            Harness.log(String.format(Locale.ROOT, "plain consumer: %,d events in %.2f s: %,.0f events/s, %.3f CPU s "
                    + "per 1,000 events", result.totals().events(), result.windowNanos() / 1e9,
                    result.eventsPerSecond(), result.cpuNanosInWindow() / 1e9 / result.eventsInWindow() * 1000));
            return new PlainRun(round, result, null, wall);
        }
    }

    private static String lastLine(Path file, String prefix) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String found = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith(prefix)) {
                found = line;
            }
        }
        return found;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The service over the log

    /** Polls the group while the service starts and consumes; measures CPU and profiles from the first commit. */
    private final class ServiceRunner {
        private final int round;
        private final GroupProgress progress;
        private final boolean profile;
        private final Path logs;
        private volatile ServiceProcess service;
        private volatile boolean stopped;
        private volatile GroupProgress.Outcome outcome;
        private volatile CpuMeter meter;
        private final OtherProcesses others = new OtherProcesses();
        private volatile JfrProfile jfr;
        private volatile Thread jfrStart;

        ServiceRunner(int round, GroupProgress progress, boolean profile, Path logs) {
            this.round = round;
            this.progress = progress;
            this.profile = profile;
            this.logs = logs;
        }

        void service(ServiceProcess service) {
            this.service = service;
        }

        void stop() {
            stopped = true;
        }

        /** The analytics-service JVM among the harness's descendants (known before {@code start} returns). */
        private Optional<ProcessHandle> process() {
            ServiceProcess known = service;
            if (known != null) {
                return Optional.of(known.handle());
            }
            String jar = settings.analyticsJar().toString();
            try (Stream<ProcessHandle> all = ProcessHandle.current().descendants()) {
                return all.filter(p -> p.info().commandLine().map(c -> c.contains(jar)).orElse(false)
                        || List.of(p.info().arguments().orElse(new String[0])).contains(jar)).findFirst();
            }
        }

        void poll() {
            try {
                // wait for the process to exist, then follow the group until it has everything
                long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
                while (!stopped && process().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                if (stopped) {
                    return;
                }
                ProcessHandle handle = process().orElse(null);
                String label = "throughput (round " + round + "/" + settings.rounds() + ")";
                outcome = progress.await(settings.progressEvery(), settings.catchUpTimeout().plus(READY_TIMEOUT),
                        handle, label, first -> {
                            if (handle != null) {
                                CpuMeter cpu = new CpuMeter(List.of(new CpuMeter.Part(SERVICE, handle)), null);
                                cpu.begin();
                                meter = cpu;
                                if (profile) {
                                    JfrProfile p = new JfrProfile(SERVICE, handle.pid(),
                                            logs.resolve("analytics-service.jfr"), JfrWaits.OPTIONS);
                                    jfr = p;
                                    jfrStart = Thread.ofVirtual().start(p::start);
                                }
                            }
                            others.begin();
                        }, () -> !stopped && (handle == null || handle.isAlive()));
                CpuMeter cpu = meter;
                if (cpu != null) {
                    cpu.end();
                }
                others.end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        ServiceRun finish(ServiceProcess service, TestDatabase database, Harness.Postgres postgres, AnalyticsLog log,
                String applicationId, double startup) throws Exception {
            GroupProgress.Outcome result = outcome;
            JfrProfile.Summary summary = null;
            JfrWaits.Summary waits = null;
            if (jfrStart != null) {
                jfrStart.join();
                if (jfr.stop()) {
                    try {
                        summary = jfr.summarize();
                        // the stream thread: "<application id>-<uuid>-StreamThread-1"
                        waits = JfrWaits.summarize(jfr.file(), applicationId, "StreamThread");
                    } catch (IOException e) {
                        Harness.log("JFR recording unreadable: " + e);
                    }
                }
            }
            CpuMeter.Usage usage = meter == null ? null : meter.usage().orElse(null);
            if (result == null || !result.caughtUp()) {
                String committed = result == null || result.last() == null ? ""
                        : " (" + result.last().committed() + " of " + result.total() + " records committed)";
                String why = result == null ? "no progress measured"
                        : !service.isAlive() ? "the service exited before catching up" + committed + "; see "
                                + service.log()
                        : "not caught up within " + settings.catchUpTimeout().plus(READY_TIMEOUT).toSeconds() + " s"
                                + committed;
                return new ServiceRun(round, applicationId, database.name(), startup, result, usage,
                        others.top(6), Double.NaN, null, null, summary, waits, why);
            }
            Harness.log(String.format(Locale.ROOT, "throughput: %,.0f events/s over %.2f s (%,d events after the first "
                    + "commit); %.3f CPU s per 1,000 events", result.eventsPerSecond(), result.windowSeconds(),
                    result.eventsInWindow(), result.cpuSeconds() / result.eventsInWindow() * 1000));
            long caughtUp = System.nanoTime();
            Finals finals = finals(postgres, database, log.sessions(), caughtUp);
            double counted = Harness.sample(Harness.metrics(service.port()), "livestage_analytics_events_total");
            Checks checks = check(service.port(), log);
            return new ServiceRun(round, applicationId, database.name(), startup, result, usage, others.top(6),
                    counted, finals, checks, summary, waits, null);
        }
    }

    /** Waits until every ended session has its final row (or the grace passed); how many and when. */
    private Finals finals(Harness.Postgres postgres, TestDatabase database, long expected, long caughtUpNanos)
            throws InterruptedException {
        long deadline = caughtUpNanos + settings.finalDelay().plus(FINALS_GRACE).toNanos();
        long recorded = 0;
        while (true) {
            try (Connection connection = postgres.server().open(database);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from session_stats")) {
                rows.next();
                recorded = rows.getLong(1);
            } catch (SQLException e) {
                Harness.log("final statistics: cannot count them yet (" + e.getMessage() + ")");
            }
            long now = System.nanoTime();
            if (recorded >= expected || now >= deadline) {
                double seconds = (now - caughtUpNanos) / 1e9;
                Harness.log(String.format(Locale.ROOT, "final statistics: %,d of %,d sessions recorded %.1f s after "
                        + "catching up", recorded, expected, seconds));
                return new Finals(expected, recorded, seconds);
            }
            Thread.sleep(250);
        }
    }

    /** Reads {@code check-sessions} sessions' statistics as their hosts and compares them with the log's. */
    private Checks check(int port, AnalyticsLog log) throws InterruptedException {
        int count = Math.min(settings.checkSessions(), log.sessions());
        List<String> mismatches = new ArrayList<>();
        int matched = 0;
        for (int i = 0; i < count; i++) {
            AnalyticsLog.Expected expected = log.expected((int) ((long) i * log.sessions() / count));
            String path = "/api/sessions/" + expected.session() + "/analytics";
            try {
                HttpResponse<byte[]> response = http.get(port, path, TestTokens.token(expected.host()),
                        Map.of("Accept", "application/json"));
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (response.statusCode() != 200) {
                    mismatches.add(expected.session() + ": GET answered " + response.statusCode());
                    continue;
                }
                JsonObject stats = new JsonObject(body);
                long viewers = stats.getJsonObject("audience").getLong("uniqueViewers");
                long messages = stats.getJsonObject("chat").getLong("messages");
                long reactions = stats.getJsonObject("reactions").getLong("total");
                if (viewers == expected.viewers() && messages == expected.messages()
                        && reactions == expected.reactions()) {
                    matched++;
                } else {
                    mismatches.add(String.format(Locale.ROOT, "%s: unique viewers %d (log %d), messages %d (log %d), "
                            + "reactions %d (log %d)", expected.session(), viewers, expected.viewers(), messages,
                            expected.messages(), reactions, expected.reactions()));
                }
            } catch (IOException | DecodeException | NullPointerException | ClassCastException e) {
                mismatches.add(expected.session() + ": " + e);
            }
        }
        Harness.log("checked " + count + " sessions' statistics against the log: " + matched + " match"
                + (mismatches.isEmpty() ? "" : "; first mismatch: " + mismatches.getFirst()));
        return new Checks(count, matched, mismatches);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Live

    private LiveRun live(ServiceProcess service, String bootstrapServers, AnalyticsLog log, OtherProcesses others)
            throws Exception {
        int k = settings.liveSessions();
        Instant startedAt = Instant.now().minusSeconds(60);
        List<AnalyticsLog.LiveSession> sessions = log.liveSessions(k, startedAt);
        Harness.log("live: " + k + " sessions started, " + settings.warmupMessages() + " warm-up and "
                + settings.measuredMessages() + " measured chat messages at " + Report.trim(settings.liveRate())
                + "/s in all");
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers, 0, 16 * 1024)) {
            for (AnalyticsLog.LiveSession s : sessions) {
                producer.send(s.started());
                producer.send(s.joined("live-viewer-1", startedAt.plusSeconds(5)));
                producer.send(s.joined("live-viewer-2", startedAt.plusSeconds(6)));
            }
            producer.flush();
            // every session known to the service (its started event consumed)
            List<String> tokens = sessions.stream().map(s -> TestTokens.token(s.host)).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < k; i++) {
                String path = "/api/sessions/" + sessions.get(i).id + "/analytics";
                int status = 0;
                while (System.nanoTime() < deadline) {
                    status = http.get(service.port(), path, tokens.get(i), Map.of()).statusCode();
                    if (status == 200) {
                        break;
                    }
                    Thread.sleep(50);
                }
                if (status != 200) {
                    return LiveRun.skip("GET " + path + " as the host still answered " + status + " after 60 s");
                }
            }
            double ready = (System.nanoTime() - start) / 1e9;
            LiveLatency latency = new LiveLatency(k, settings.warmupMessages(), settings.measuredMessages());
            try (AnalyticsSubscribers subscribers = new AnalyticsSubscribers()) {
                subscribers.open(service.port(), sessions.stream().map(s -> s.id).toList(), tokens, latency);
                if (!subscribers.awaitFirstFrames(latency, Duration.ofSeconds(30))) {
                    return new LiveRun("not every subscriber received a first frame within 30 s: "
                            + subscribers.failures(), k, subscribers.open(), subscribers.failures(), latency, 0, 0,
                            0, null, subscribers.unreadable(), subscribers.ended(), ready);
                }
                Harness.log("live: " + subscribers.open() + " subscribers have their first frame");
                CpuMeter cpu = new CpuMeter(List.of(new CpuMeter.Part(SERVICE, service.handle())), null);
                long interval = Math.round(1e9 / settings.liveRate());
                long total = latency.total();
                long late = 0;
                long sent = 0;
                long begin = System.nanoTime();
                long measuredStart = 0;
                for (long m = 0; m < total; m++) {
                    if (m == latency.warmup()) {
                        Harness.log("live: warm-up done (" + m + " messages; p50 "
                                + Report.ms(latency.warm(), 50) + " ms, p99 " + Report.ms(latency.warm(), 99)
                                + " ms); measuring");
                        cpu.begin();
                        others.begin();
                        measuredStart = System.nanoTime();
                    }
                    long due = begin + m * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long nowNanos = System.nanoTime();
                    if (m >= latency.warmup() && nowNanos - due > LATE_NANOS) {
                        late++;
                    }
                    int s = LiveLatency.sessionOf(m, k);
                    latency.sent(m, nowNanos);
                    producer.send(sessions.get(s).message("live-viewer-" + (1 + m % 2), Instant.now()));
                    sent++;
                }
                double measuredSeconds = (System.nanoTime() - measuredStart) / 1e9;
                long graceEnd = System.nanoTime() + settings.frameGrace().toNanos();
                while (!latency.resolvedUpTo(total) && System.nanoTime() < graceEnd) {
                    Thread.sleep(20);
                }
                cpu.end();
                others.end();
                Harness.log(String.format(Locale.ROOT, "live: %d measured messages, p50 %s ms, p99 %s ms, max %s ms, "
                        + "%d lost", latency.measuredCount(), Report.ms(latency.measured(), 50),
                        Report.ms(latency.measured(), 99), Report.maxMs(latency.measured()),
                        latency.measuredLost(sent)));
                double rate = measuredSeconds > 0 ? (sent - latency.warmup()) / measuredSeconds : Double.NaN;
                return new LiveRun(null, k, subscribers.open(), subscribers.failures(), latency, sent, late, rate,
                        cpu.usage().orElse(null), subscribers.unreadable(), subscribers.ended(), ready);
            }
        }
    }
}
