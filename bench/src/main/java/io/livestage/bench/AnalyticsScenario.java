package io.livestage.bench;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Jfr;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.SseClients;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.events.Topics;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/** {@code ./bench/run analytics}: analytics-service's Kafka Streams application (issue 15). */
public final class AnalyticsScenario implements Scenario {
    static final String SERVICE = "analytics-service";
    private static final Duration FINALS_GRACE = Duration.ofSeconds(60);
    static final List<String> LIVE_KEYS = List.of("live_ready", "live_warmup", "live_warmup_table", "live_sweep",
            "live_knee", "live_frames", "live_errors");

    private final Set<String> phases;
    private final int sessions;
    private final long events;
    private final AnalyticsLog.Mix mix;
    private final long seed;
    private final int rounds;
    private final Duration progressEvery;
    private final Duration catchUpTimeout;
    private final Duration finalDelay;
    private final int checkSessions;
    private final Sweep sweep;
    private final Duration jitWindow;
    private final int liveSessions;
    private final List<Double> liveRates;
    private final Duration liveStep;
    private final double liveGoal;
    private final double liveWarmupRate;
    private final Duration livePoll;
    private final Duration frameGrace;
    private final boolean jfr;

    public AnalyticsScenario(Knobs k) {
        phases = Set.of(k.string("phases", "throughput,live").split(","));
        Knobs.require(!phases.isEmpty() && Set.of("throughput", "live").containsAll(phases),
                "phases must be a comma-separated subset of throughput,live");
        sessions = k.integer("sessions", 2_000);
        events = k.number("events", 1_000_000);
        mix = AnalyticsLog.Mix.parse(k.string("mix", AnalyticsLog.Mix.DEFAULT.toString()));
        seed = k.number("seed", System.nanoTime());
        rounds = k.integer("rounds", 5);
        progressEvery = k.duration("progress", "150ms");
        catchUpTimeout = k.duration("catch-up-timeout", "600s");
        finalDelay = k.duration("final-delay", "5s");
        checkSessions = k.integer("check-sessions", 20);
        sweep = new Sweep(k, "10s", "120s");
        jitWindow = k.duration("jit-window", "3s");
        liveSessions = k.integer("live-sessions", 50);
        liveRates = k.decimals("live-rates", "50,100,200,400,800");
        liveStep = k.duration("live-step", "10s");
        liveGoal = k.decimal("live-goal-ms", 1000);
        liveWarmupRate = k.decimal("live-warmup-rate", 100);
        livePoll = k.duration("live-poll", "250ms");
        frameGrace = k.duration("frame-grace", "10s");
        jfr = k.flag("jfr", true);
        Knobs.require(sessions >= 1 && sessions <= 100_000, "sessions must be 1..100000");
        Knobs.require(events >= 3L * sessions && events <= 20_000_000,
                "events must be at least 3 × sessions and at most 20000000");
        Knobs.require(events / sessions <= AnalyticsLog.MAX_EVENTS_PER_SESSION, "events / sessions must be at most "
                + AnalyticsLog.MAX_EVENTS_PER_SESSION);
        Knobs.require(rounds >= 1 && rounds <= 10, "rounds must be 1..10");
        Knobs.require(liveSessions >= 1 && liveSessions <= 1_000, "live-sessions must be 1..1000");
        Knobs.require(liveRates.stream().allMatch(r -> r > 0 && r <= 10_000) && liveWarmupRate > 0,
                "live rates must be 0 < rate <= 10000 messages/s");
        Knobs.require(checkSessions >= 0 && checkSessions <= 1_000, "check-sessions must be 0..1000");
    }

    @Override
    public Duration budget() {
        Duration total = Duration.ofMinutes(5).plus(Duration.ofMillis(events / 5));
        total = total.plus(catchUpTimeout.plus(Duration.ofMinutes(5)).multipliedBy(2L * rounds));
        if (phases.contains("live")) {
            total = total.plus(Duration.ofMinutes(2)).plus(sweep.warmupCap)
                    .plus(liveStep.plus(frameGrace).plusSeconds(2).multipliedBy(liveRates.size()));
        }
        return total;
    }

    @Override
    public Report run(Run run) throws Exception {
        String bootstrap = run.kafka().bootstrapServers();
        AnalyticsLog log = new AnalyticsLog(seed, sessions, events, mix, Instant.now());
        Map<TopicPartition, Long> ends = load(bootstrap, log, run);
        Report report = Report.load("analytics");
        report.put("log", logTable).put("sessions", sessions).put("events", events).put("seed", seed);
        Table roundsTable = new Table("round", "system", "events/s", "window s", "CPU µs/event",
                "JIT share of its CPU", "from", "start-up s");
        List<Double> serviceRates = new ArrayList<>();
        List<Double> plainRates = new ArrayList<>();
        List<Double> rateRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> serviceCpu = new ArrayList<>();
        String failure = null;
        for (int round = 1; round <= rounds && failure == null; round++) {
            Plain plain = plain(run, round, bootstrap, ends);
            roundsTable.row(round, "plain KafkaConsumer (peer)", Table.f(plain.rate(), 0), Table.f(plain.seconds(), 2),
                    Table.f(plain.cpuMicros(), 2), Table.pct(plain.jitShare()), "first non-empty poll", "outside");
            boolean last = round == rounds;
            Served served = service(run, report, round, bootstrap, ends, log, last);
            if (served.failure != null) {
                failure = "round " + round + ": " + served.failure;
                break;
            }
            roundsTable.row(round, SERVICE, Table.f(served.rate, 0), Table.f(served.seconds, 2),
                    Table.f(served.cpuMicros, 2), Table.pct(served.jitShare), served.from,
                    Table.f(served.startup, 1));
            serviceRates.add(served.rate);
            plainRates.add(plain.rate());
            rateRatios.add(served.rate / plain.rate());
            cpuRatios.add(served.cpuMicros / plain.cpuMicros());
            serviceCpu.add(served.cpuMicros);
        }
        Stats rate = Stats.of(serviceRates);
        Stats ratio = Stats.of(rateRatios);
        Stats cpu = Stats.of(cpuRatios);
        report.put("rounds", roundsTable).put("failure", failure == null ? "" : "**The run stopped: " + failure + ".**")
                .put("service_rate", rate.format("%,.0f")).put("plain_rate", Stats.of(plainRates).format("%,.0f"))
                .put("ratio", ratio.format("%.2f")).put("service_cpu", Stats.of(serviceCpu).format("%.1f"))
                .put("cpu_ratio", cpu.format("%.2f")).put("jit_threshold", Table.pct(sweep.jitThreshold))
                .put("jit_window", Table.f(jitWindow.toMillis() / 1000.0, 1));
        report.result("events_per_s", Table.plain(rate.median(), 0))
                .result("ratio_vs_plain", Table.plain(ratio.median(), 2))
                .result("cpu_ratio_vs_plain", Table.plain(cpu.median(), 2));
        if (!report.has("jit_windows")) {
            String why = "(not measured: " + failure + ")";
            report.put("jit_windows", why).put("profile", why).put("finals", why).put("checks", why);
        }
        if (!report.has("live_knee")) {
            report.skip(LIVE_KEYS, failure != null ? "not run: " + failure : "not run (--phases)");
        }
        return report;
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

    private static List<TopicPartition> partitions(Admin admin) throws Exception {
        List<TopicPartition> out = new ArrayList<>();
        admin.describeTopics(List.of(Topics.SESSION, Topics.CHAT)).allTopicNames().get(30, TimeUnit.SECONDS)
                .forEach((topic, description) -> description.partitions()
                        .forEach(p -> out.add(new TopicPartition(topic, p.partition()))));
        return out;
    }

    /** Produces the log; the end offsets after it. */
    private Map<TopicPartition, Long> load(String bootstrap, AnalyticsLog log, Run run) throws Exception {
        AnalyticsLog.Totals totals = log.totals();
        Log.info("log: producing %,d events of %,d sessions (seed %d)", totals.events(), log.sessions(), log.seed());
        Map<TopicPartition, Long> before;
        List<TopicPartition> partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            partitions = partitions(admin);
            before = GroupProgress.endOffsets(admin, partitions);
        }
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        long produced;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 20, 512 * 1024)) {
            produced = log.produce(record -> producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, exception);
                }
            }));
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records of the log were not produced", firstFailure.get());
        }
        Map<TopicPartition, Long> ends;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ends = GroupProgress.endOffsets(admin, partitions);
        }
        long added = ends.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum();
        if (added != produced) {
            throw new IllegalStateException("produced " + produced + " records but the end offsets grew by " + added);
        }
        Log.info("log: %,d events produced in %.1f s", produced, seconds);
        Table table = new Table("the log", "events");
        table.row("session.started + session.ended", totals.sessionEvents())
                .row("viewer.presence (JOINED + LEFT)", totals.presenceEvents())
                .row("chat.message", totals.messages()).row("chat.reaction bursts", totals.reactionEvents())
                .row("in all", totals.events()).row("records added to the two topics", added);
        run.describe("the log: produced by the harness before the first round in " + Table.f(seconds, 1) + " s ("
                + partitions.size() + " partitions of " + Topics.SESSION + " and " + Topics.CHAT + ")");
        logTable = table;
        return ends;
    }

    private Table logTable;

    // ---------------------------------------------------------------------------------------------------------------
    // The plain consumer (peer)

    private record Plain(double rate, double seconds, double cpuMicros, double jitShare) {
    }

    private Plain plain(Run run, int round, String bootstrap, Map<TopicPartition, Long> ends) throws Exception {
        Log.info("plain consumer (round %d/%d): a KafkaConsumer in its own JVM reads and counts the log", round, rounds);
        Path logFile = run.dir().resolve("plain-consumer-" + round + ".log");
        try (Peer peer = Peer.jvm(PlainAnalyticsConsumer.class, List.of(bootstrap,
                PlainAnalyticsConsumer.endOffsets(ends), Long.toString(catchUpTimeout.toSeconds())), logFile)) {
            Cpu cpu = new Cpu(List.of(new Cpu.Proc("peer", peer.pid())));
            Cpu.Sample a = cpu.sample();
            Cpu.Sample b = a;
            long deadline = System.nanoTime() + catchUpTimeout.plusSeconds(30).toNanos();
            while (peer.process.isAlive() && System.nanoTime() < deadline) {
                b = cpu.sample();
                peer.process.waitFor(100, TimeUnit.MILLISECONDS);
            }
            String done = lastLine(logFile, "done ");
            if (peer.process.isAlive() || done == null) {
                throw new IllegalStateException("the plain consumer " + (peer.process.isAlive() ? "did not finish"
                        : "exited without a result") + "; see " + logFile);
            }
            PlainAnalyticsConsumer.Done result = PlainAnalyticsConsumer.Done.parse(done);
            double jit = Cpu.between(a, b).get("peer").jitShare();
            double micros = result.cpuNanosInWindow() / 1e3 / result.eventsInWindow();
            Log.info("plain consumer: %,.0f events/s, %.2f µs of CPU per event", result.eventsPerSecond(), micros);
            return new Plain(result.eventsPerSecond(), result.windowNanos() / 1e9, micros, jit);
        }
    }

    private static String lastLine(Path file, String prefix) throws IOException {
        return !Files.exists(file) ? null : Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith(prefix)).reduce((a, b) -> b).orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The service over the log

    /** One service round: events/s and CPU per event from the settled point (or the first commit), or a failure. */
    private record Served(double rate, double seconds, double cpuMicros, double jitShare, String from, double startup,
            String failure) {
    }

    private Served service(Run run, Report report, int round, String bootstrap, Map<TopicPartition, Long> ends,
            AnalyticsLog log, boolean last) throws Exception {
        String applicationId = "analytics-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Path state = run.dir().resolve("state-" + round);
        AtomicReference<Cpu> cpu = new AtomicReference<>();
        AtomicReference<Jfr> recording = new AtomicReference<>();
        AtomicReference<Thread> jfrStart = new AtomicReference<>();
        AtomicReference<GroupProgress.Outcome> outcome = new AtomicReference<>();
        try (GroupProgress progress = new GroupProgress(bootstrap, applicationId, ends)) {
            // the poller runs while the service starts: it may commit before it answers ready
            Thread poller = Thread.ofPlatform().name("analytics-progress").start(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                    while (cpu.get() == null && System.nanoTime() < deadline) {
                        serviceProcess().ifPresent(p -> cpu.set(new Cpu(List.of(new Cpu.Proc(SERVICE, p.pid())))));
                        Thread.sleep(50);
                    }
                    outcome.set(progress.await(progressEvery, catchUpTimeout.plusSeconds(180), cpu::get,
                            "throughput (round " + round + "/" + rounds + ")", first -> {
                                if (last && jfr && cpu.get() != null) {
                                    Jfr j = new Jfr(SERVICE, cpu.get().procs().getFirst().pid(),
                                            run.dir().resolve("analytics-service.jfr"));
                                    recording.set(j);
                                    jfrStart.set(Thread.ofVirtual().start(j::start));
                                }
                            }, () -> cpu.get() == null || ProcessHandle.of(cpu.get().procs().getFirst().pid())
                                    .map(ProcessHandle::isAlive).orElse(false)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long started = System.nanoTime();
            ServiceProcess service = run.service(SERVICE, b -> b
                    .env("LIVESTAGE_ANALYTICS_APPLICATION_ID", applicationId)
                    .env("LIVESTAGE_ANALYTICS_FINAL_DELAY", finalDelay.toMillis() + "ms")
                    .env("LIVESTAGE_ANALYTICS_LIVE_POLL", livePoll.toMillis() + "ms")
                    .env("LIVESTAGE_ANALYTICS_STATE_DIR", state.toString()));
            double startup = (System.nanoTime() - started) / 1e9;
            try {
                poller.join();
                GroupProgress.Outcome result = outcome.get();
                Jfr j = recording.get();
                if (jfrStart.get() != null) {
                    jfrStart.get().join();
                }
                List<Jfr.Frame> frames = j == null ? List.of() : j.stopAndTop(20);
                if (result == null || !result.caughtUp() || result.first() == null) {
                    return new Served(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", startup, result == null
                            ? "no progress measured" : "not caught up (" + (result.last() == null ? 0
                                    : result.last().committed()) + " of " + result.total() + " records committed)");
                }
                Settled settled = settle(result.samples(), result.first());
                if (last) {
                    report.put("jit_windows", settled.windows).put("profile", frames.isEmpty()
                            ? "(not recorded: --jfr=false or jcmd failed)" : Jfr.table(frames).markdown())
                            .put("finals", finals(run, service.database(), log.sessions(),
                                    System.nanoTime()))
                            .put("checks", check(service.port(), log));
                    if (phases.contains("live")) {
                        live(report, run, service, bootstrap, log);
                    }
                }
                return settled.served(result.last(), startup);
            } finally {
                service.close();
            }
        }
    }

    /** The analytics-service JVM among the harness's descendants (the only one run with -jar). */
    private static java.util.Optional<ProcessHandle> serviceProcess() {
        try (Stream<ProcessHandle> all = ProcessHandle.current().descendants()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> List.of(p.info().arguments().orElse(new String[0]))
                    .contains("-jar")).findFirst();
        }
    }

    /** Where the measurement starts: the first JIT window under the threshold, else the first commit. */
    private record Settled(GroupProgress.Sample from, boolean settled, Table windows) {
        Served served(GroupProgress.Sample last, double startup) {
            long events = last.committed() - from.committed();
            double seconds = (last.nanos() - from.nanos()) / 1e9;
            Cpu.Usage usage = from.cpu() == null ? null : Cpu.between(from.cpu(), last.cpu()).get(SERVICE);
            return new Served(events / seconds, seconds, usage == null ? Double.NaN : usage.microsPer(events),
                    usage == null ? Double.NaN : usage.jitShare(), settled ? "JIT settled" : "first commit (JIT not "
                            + "settled)", startup, null);
        }
    }

    private Settled settle(List<GroupProgress.Sample> samples, GroupProgress.Sample first) {
        Table table = new Table("window from first commit s", "events/s", "cores", "JIT share");
        GroupProgress.Sample from = null;
        GroupProgress.Sample a = first;
        for (GroupProgress.Sample b : samples) {
            if (b.nanos() - a.nanos() < jitWindow.toNanos() || a.cpu() == null || b.cpu() == null) {
                continue;
            }
            Cpu.Usage u = Cpu.between(a.cpu(), b.cpu()).get(SERVICE);
            table.row(Table.f((a.nanos() - first.nanos()) / 1e9, 1), Table.f((b.committed() - a.committed()) * 1e9
                    / (b.nanos() - a.nanos()), 0), Table.f(u.cores(), 2), Table.pct(u.jitShare()));
            if (from == null && u.jitShare() < sweep.jitThreshold) {
                from = a;
            }
            a = b;
        }
        return new Settled(from == null ? first : from, from != null, table);
    }

    /** Waits until every ended session has its final row (or the grace passed). */
    private String finals(Run run, TestDatabase database, long expected, long caughtUp) throws InterruptedException {
        long deadline = caughtUp + finalDelay.plus(FINALS_GRACE).toNanos();
        long recorded = 0;
        while (true) {
            try (Connection c = run.postgres().open(database); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("select count(*) from session_stats")) {
                rows.next();
                recorded = rows.getLong(1);
            } catch (SQLException e) {
                Log.info("final statistics: cannot count them yet (%s)", e.getMessage());
            }
            long now = System.nanoTime();
            if (recorded >= expected || now >= deadline) {
                return recorded + " of " + expected + " ended sessions had their final statistics in PostgreSQL "
                        + Table.f((now - caughtUp) / 1e9, 1) + " s after the service caught up";
            }
            Thread.sleep(250);
        }
    }

    /** Reads {@code check-sessions} sessions' statistics as their hosts and compares them with the log's. */
    private String check(int port, AnalyticsLog log) {
        int count = Math.min(checkSessions, log.sessions());
        List<String> mismatches = new ArrayList<>();
        try (Http http = new Http(1, 4, Duration.ofSeconds(10))) {
            for (int i = 0; i < count; i++) {
                AnalyticsLog.Expected expected = log.expected((int) ((long) i * log.sessions() / count));
                try {
                    JsonObject stats = http.json(HttpMethod.GET, port, "/api/sessions/" + expected.session()
                            + "/analytics", TestTokens.token(expected.host()), null);
                    long viewers = stats.getJsonObject("audience").getLong("uniqueViewers");
                    long messages = stats.getJsonObject("chat").getLong("messages");
                    long reactions = stats.getJsonObject("reactions").getLong("total");
                    if (viewers != expected.viewers() || messages != expected.messages()
                            || reactions != expected.reactions()) {
                        mismatches.add(expected.session() + ": unique viewers " + viewers + " (log "
                                + expected.viewers() + "), messages " + messages + " (log " + expected.messages()
                                + "), reactions " + reactions + " (log " + expected.reactions() + ")");
                    }
                } catch (RuntimeException e) {
                    mismatches.add(expected.session() + ": " + e.getMessage());
                }
            }
        }
        return (count - mismatches.size()) + " of " + count + " sessions' statistics (read as their hosts) match the "
                + "log" + (mismatches.isEmpty() ? "" : "; mismatches: " + String.join("; ", mismatches.subList(0,
                        Math.min(5, mismatches.size()))));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Live

    private void live(Report report, Run run, ServiceProcess service, String bootstrap, AnalyticsLog log)
            throws Exception {
        int k = liveSessions;
        Instant startedAt = Instant.now().minusSeconds(60);
        List<AnalyticsLog.LiveSession> live = log.liveSessions(k, startedAt);
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 0, 16 * 1024);
                Http http = new Http(1, 4, Duration.ofSeconds(10))) {
            for (AnalyticsLog.LiveSession s : live) {
                producer.send(s.started());
                producer.send(s.joined("live-viewer-1", startedAt.plusSeconds(5)));
                producer.send(s.joined("live-viewer-2", startedAt.plusSeconds(6)));
            }
            producer.flush();
            List<String> tokens = live.stream().map(s -> TestTokens.token(s.host)).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < k; i++) {
                String path = "/api/sessions/" + live.get(i).id + "/analytics";
                while (http.status(HttpMethod.GET, service.port(), path, tokens.get(i), null) != 200) {
                    if (System.nanoTime() > deadline) {
                        report.skip(LIVE_KEYS, "not available: GET " + path
                                + " as the host did not answer 200 within 60 s");
                        return;
                    }
                    Thread.sleep(50);
                }
            }
            double ready = (System.nanoTime() - start) / 1e9;
            long capacity = Math.round((sweep.warmupCap.toSeconds() + sweep.warmupWindow.toSeconds()) * liveWarmupRate
                    + liveRates.stream().mapToDouble(r -> r * liveStep.toMillis() / 1e3).sum()) + 1_000;
            LiveLatency latency = new LiveLatency(k, capacity);
            LongAdder unreadable = new LongAdder();
            try (SseClients subscribers = new SseClients(http.vertx(), service.port(), live.stream()
                    .map(s -> "/api/sessions/" + s.id + "/analytics/events").toList(), tokens, k, 1,
                    (i, event, at, first) -> {
                        Long messages = chatMessages(event.data());
                        if (messages == null) {
                            unreadable.increment();
                            return false;
                        }
                        latency.frame(i, messages, at);
                        return true;
                    })) {
                SseClients.Opened opened = subscribers.open(Duration.ofSeconds(30));
                if (opened.ready() < k) {
                    report.skip(LIVE_KEYS, "not every subscriber received a first frame within 30 s: "
                            + opened.failures());
                    return;
                }
                List<Cpu.Proc> procs = List.of(new Cpu.Proc(SERVICE, service.pid()),
                        new Cpu.Proc("kafka", run.kafka().pid()), Cpu.Proc.self("harness"));
                Sender sender = new Sender(producer, live, latency);
                Sweep.Load messages = (label, rate, window) -> sender.window(rate, window);
                sweep.measuring(new Cpu(procs)).warmup(report, "live_", new Cpu(procs.subList(0, 1)), liveWarmupRate,
                        Map.of("live", messages));
                Knee.Step knee = sweep.knee(report, "live", messages, liveRates, liveGoal, liveStep, "messages");
                report.put("live_ready", k + " sessions, " + opened.ready() + " subscribers with a first frame; "
                        + "every session answered its host " + Table.f(ready, 2) + " s after its session.started was "
                        + "produced").put("live_frames", latency.frames() + " frames, " + latency.changingFrames()
                                + " of them counting new messages; " + unreadable.sum() + " without chat.messages; "
                                + subscribers.dropped().getOrDefault("stream ended by the server", 0L)
                                + " streams ended by the server")
                        .put("live_errors", sweep.errors());
                report.result("live_knee", Sweep.rate(knee)).result("live_p99_ms",
                        Table.plain((knee != null ? knee : sweep.steps.getFirst()).load().p99Millis(), 1));
            }
        }
    }

    /** {@code chat.messages} of a frame's SessionStats JSON, or null when it is not there. */
    static Long chatMessages(String data) {
        try {
            JsonObject chat = new JsonObject(data).getJsonObject("chat");
            return chat == null ? null : chat.getLong("messages");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** Chat messages to the live sessions, round robin, open loop; each window one segment of the latencies. */
    private final class Sender {
        private final KafkaProducer<String, byte[]> producer;
        private final List<AnalyticsLog.LiveSession> live;
        private final LiveLatency latency;
        private long next;

        Sender(KafkaProducer<String, byte[]> producer, List<AnalyticsLog.LiveSession> live, LiveLatency latency) {
            this.producer = producer;
            this.live = live;
            this.latency = latency;
        }

        LoadResult window(double rate, Duration window) {
            int segment = latency.startSegment();
            LoadResult sent = OpenLoop.run("live", rate, window, 10_000, frameGrace, seq -> {
                long k = next;
                if (k >= latency.capacity()) {
                    return CompletableFuture.failedFuture(new OpenLoop.Failure("more messages than planned"));
                }
                next++;
                CompletableFuture<String> acked = new CompletableFuture<>();
                latency.sent(k, System.nanoTime());
                producer.send(live.get(LiveLatency.sessionOf(k, live.size())).message("live-viewer-" + (1 + k % 2),
                        Instant.now()), (metadata, error) -> {
                            if (error == null) {
                                acked.complete("message");
                            } else {
                                acked.completeExceptionally(error);
                            }
                        });
                return acked;
            });
            long end = System.nanoTime() + frameGrace.toNanos();
            while (!latency.resolvedUpTo(next) && System.nanoTime() < end) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            long lost = latency.unresolved(segment);
            Map<String, Long> causes = new LinkedHashMap<>(sent.errorsByCause());
            if (lost > 0) {
                causes.put("messages no frame counted within " + frameGrace.toMillis() + " ms", lost);
            }
            return new LoadResult("live", rate, sent.seconds(), sent.ok(), sent.errors() + lost,
                    latency.latencies(segment), Map.of("produce", sent.all()), causes, sent.lateSends());
        }
    }
}
