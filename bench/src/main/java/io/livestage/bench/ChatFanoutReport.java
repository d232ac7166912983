package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.percentileMs;

/**
 * The chat-fanout results: a console summary and {@code docs/benchmarks/chat-fanout.md}, whose last line is
 * {@code RESULT deliveries_per_s=<n> p99_ms=<n> ratio_vs_socketio=<n>}.
 */
public final class ChatFanoutReport {
    public static final double GOAL_DELIVERIES = 200_000;
    public static final double GOAL_P99_MS = 50;
    public static final double GOAL_RATIO = 3;
    /** A window "keeps up" when at least this share of the expected deliveries arrived within the drain time. */
    static final double KEEPS_UP_SHARE = 0.97;
    /** ... and its p99 stays below this. */
    static final double KEEPS_UP_P99_MS = 1_000;

    /** The measured windows of one system, summed. */
    record Total(String system, double seconds, FanoutClient.WindowStats stats) {
        double deliveriesPerSecond() {
            return seconds > 0 ? stats.deliveries / seconds : Double.NaN;
        }

        double expectedPerSecond() {
            return seconds > 0 ? stats.expected / seconds : Double.NaN;
        }

        double p99() {
            return percentileMs(stats.latency, 99);
        }
    }

    private final Report.Machine machine;
    private final ChatFanoutSettings settings;
    private final List<ChatFanoutBenchmark.WindowResult> windows;
    private final List<ChatFanoutBenchmark.ConnectResult> connects;
    private final Map<String, CpuMeter.Usage> cpu;
    private final Map<String, CpuMeter.Usage> harnessThreads;
    private final Map<String, Duration> warmups;
    private final Map<String, Map<String, Long>> otherErrors;
    private final List<String> databaseActivity;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;
    private final Map<String, Total> totals = new LinkedHashMap<>();

    ChatFanoutReport(Report.Machine machine, ChatFanoutSettings settings, List<ChatFanoutBenchmark.WindowResult> windows,
            List<ChatFanoutBenchmark.ConnectResult> connects, Map<String, CpuMeter.Usage> cpu,
            Map<String, CpuMeter.Usage> harnessThreads, Map<String, Duration> warmups,
            Map<String, Map<String, Long>> otherErrors, List<String> databaseActivity, String stack,
            List<String> notes, String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.windows = List.copyOf(windows);
        this.connects = List.copyOf(connects);
        this.cpu = new LinkedHashMap<>(cpu);
        this.harnessThreads = new LinkedHashMap<>(harnessThreads);
        this.warmups = Map.copyOf(warmups);
        this.otherErrors = Map.copyOf(otherErrors);
        this.databaseActivity = List.copyOf(databaseActivity);
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
        for (String system : settings.systems()) {
            FanoutClient.WindowStats sum = new FanoutClient.WindowStats();
            double seconds = 0;
            for (ChatFanoutBenchmark.WindowResult w : windows) {
                if (w.system().equals(system) && !w.sweep()) {
                    sum.add(w.stats());
                    seconds += w.seconds();
                }
            }
            totals.put(system, new Total(system, seconds, sum));
        }
    }

    Total total(String system) {
        return totals.get(system);
    }

    public double deliveriesPerSecond() {
        Total chat = totals.get(ChatFanoutSettings.CHAT);
        return chat == null ? Double.NaN : chat.deliveriesPerSecond();
    }

    public double p99Ms() {
        Total chat = totals.get(ChatFanoutSettings.CHAT);
        return chat == null ? Double.NaN : chat.p99();
    }

    /** chat-service ÷ Socket.IO deliveries/s over the measured windows; NaN when either was not measured. */
    public double ratio() {
        Total chat = totals.get(ChatFanoutSettings.CHAT);
        Total io = totals.get(ChatFanoutSettings.SOCKETIO);
        if (chat == null || io == null || io.deliveriesPerSecond() <= 0) {
            return Double.NaN;
        }
        return chat.deliveriesPerSecond() / io.deliveriesPerSecond();
    }

    /** The most deliveries/s a system achieved in any window that kept up (the offered rate was met); NaN if none. */
    double capacity(String system) {
        double best = Double.NaN;
        for (ChatFanoutBenchmark.WindowResult w : windows) {
            if (w.system().equals(system) && keptUp(w)) {
                best = Double.isNaN(best) ? w.deliveriesPerSecond() : Math.max(best, w.deliveriesPerSecond());
            }
        }
        return best;
    }

    /** The most deliveries/s a system achieved in any window, kept up or not. */
    double peak(String system) {
        return windows.stream().filter(w -> w.system().equals(system))
                .mapToDouble(ChatFanoutBenchmark.WindowResult::deliveriesPerSecond).max().orElse(Double.NaN);
    }

    static boolean keptUp(ChatFanoutBenchmark.WindowResult w) {
        return w.stats().expected > 0 && w.stats().deliveries >= KEEPS_UP_SHARE * w.stats().expected
                && percentileMs(w.stats().latency, 99) <= KEEPS_UP_P99_MS;
    }

    public String resultLine() {
        double deliveries = deliveriesPerSecond();
        return "RESULT deliveries_per_s=" + (Double.isNaN(deliveries) ? "n/a" : Long.toString(Math.round(deliveries)))
                + " p99_ms=" + Report.number(p99Ms()) + " ratio_vs_socketio=" + Report.number(ratio());
    }

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double deliveries = deliveriesPerSecond();
        table.row("chat-service deliveries/s to viewers (measured windows)", "≥ " + count(GOAL_DELIVERIES),
                Double.isNaN(deliveries) ? "n/a" : count(deliveries),
                Double.isNaN(deliveries) ? "not measured" : deliveries >= GOAL_DELIVERIES ? "met" : "NOT met");
        double p99 = p99Ms();
        table.row("chat-service publish → receive p99", "≤ " + Report.trim1(GOAL_P99_MS) + " ms",
                Report.withUnit(p99, " ms"), Report.met(p99, GOAL_P99_MS));
        double ratio = ratio();
        table.row("chat-service ÷ Socket.IO deliveries/s (same run, same load)", "≥ " + Report.trim1(GOAL_RATIO) + "×",
                Double.isNaN(ratio) ? "n/a" : fixed(ratio) + "×",
                Double.isNaN(ratio) ? "not measured" : ratio >= GOAL_RATIO ? "met" : "NOT met");
        return table;
    }

    public Table summaryTable() {
        Table table = new Table("system", "deliveries/s", "expected/s", "delivered", "p50 ms", "p99 ms", "p99.9 ms",
                "max ms", "messages/s", "acks", "errors");
        totals.forEach((system, t) -> table.row(system, count(t.deliveriesPerSecond()),
                count(t.expectedPerSecond()), share(t.stats()), Report.ms(t.stats().latency, 50),
                Report.ms(t.stats().latency, 99), Report.ms(t.stats().latency, 99.9), Report.maxMs(t.stats().latency),
                t.seconds() > 0 ? fixed(t.stats().sent / t.seconds()) : "-", t.stats().acks, errorCount(t.stats())));
        return table;
    }

    public Table windowTable() {
        Table table = new Table("system", "window", "s", "offered deliveries/s", "achieved/s", "delivered", "p50 ms",
                "p99 ms", "p99.9 ms", "max ms", "messages", "acks", "sent late", "errors", "kept up").textColumns(2);
        for (ChatFanoutBenchmark.WindowResult w : windows) {
            FanoutClient.WindowStats s = w.stats();
            table.row(w.system(), w.label(), Report.trim1(w.seconds()), count(w.expectedPerSecond()),
                    count(w.deliveriesPerSecond()), share(s), Report.ms(s.latency, 50), Report.ms(s.latency, 99),
                    Report.ms(s.latency, 99.9), Report.maxMs(s.latency), s.sent, s.acks, s.lateSends, errorCount(s),
                    keptUp(w) ? "yes" : "NO");
        }
        return table;
    }

    public Table connectTable() {
        Table table = new Table("system", "round", "ready", "failed", "took s", "connections/s", "connect p50 ms",
                "connect p99 ms", "auth retries", "left open at close").textColumns(1);
        for (ChatFanoutBenchmark.ConnectResult c : connects) {
            FanoutClient.ConnectOutcome o = c.outcome();
            table.row(c.system(), c.round(), o.ready(), o.failed(), fixed(o.millis() / 1000.0),
                    o.millis() > 0 ? count(o.ready() * 1000.0 / o.millis()) : "-", Report.ms(o.connectMicros(), 50),
                    Report.ms(o.connectMicros(), 99), o.retries(), c.leftOpen());
        }
        return table;
    }

    public Table saturationTable() {
        Table table = new Table("system", "offered deliveries/s", "achieved/s", "p99 ms", "kept up").textColumns(1);
        for (String system : settings.systems()) {
            for (ChatFanoutBenchmark.WindowResult w : windows) {
                if (w.system().equals(system) && (w.sweep() || w.round() == settings.rounds()
                        || system.equals(ChatFanoutSettings.FLOOR))) {
                    table.row(system + " (" + w.label() + ")", count(w.expectedPerSecond()),
                            count(w.deliveriesPerSecond()), Report.ms(w.stats().latency, 99), keptUp(w) ? "yes" : "NO");
                }
            }
        }
        return table;
    }

    Map<String, Long> errors() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ChatFanoutBenchmark.WindowResult w : windows) {
            w.stats().errors.forEach((cause, n) -> out.merge(w.system() + " | " + w.label() + " | " + cause, n,
                    Long::sum));
        }
        otherErrors.forEach((system, errors) -> errors.forEach((cause, n) -> out.merge(system
                + " | outside the windows (connecting, warm-up, drain) | " + cause, n, Long::sum)));
        for (ChatFanoutBenchmark.ConnectResult c : connects) {
            c.outcome().errors().forEach((cause, n) -> out.merge(c.system() + " | connecting, round " + c.round()
                    + " | " + cause, n, Long::sum));
        }
        return out;
    }

    List<String> analysis() {
        List<String> out = new ArrayList<>();
        Total chat = totals.get(ChatFanoutSettings.CHAT);
        Total io = totals.get(ChatFanoutSettings.SOCKETIO);
        for (Total t : totals.values()) {
            if (t.stats().expected == 0) {
                continue;
            }
            double share = t.stats().deliveries / (double) t.stats().expected;
            out.add(String.format(Locale.ROOT, "%s: viewers received %.2f %% of the deliveries the measured windows "
                    + "offered (%s of %s), at p99 %s ms: %s.", t.system(), share * 100,
                    count(t.stats().deliveries), count(t.stats().expected), Report.number(t.p99()),
                    share >= KEEPS_UP_SHARE && t.p99() <= KEEPS_UP_P99_MS ? "it kept up with the offered rate"
                            : "it did NOT keep up with the offered rate (saturated: deliveries plateau, latency grows)"));
        }
        if (chat != null && chat.stats().sent > 0) {
            out.add(String.format(Locale.ROOT, "chat-service acknowledged %s chat.send frames in its measured windows "
                    + "for %s sent (%.1f %%): a message is acknowledged once stored (its transaction committed), so "
                    + "this is the rate its write path sustained; its fan-out can only follow it.",
                    count(chat.stats().acks), count(chat.stats().sent), 100.0 * chat.stats().acks / chat.stats().sent));
        }
        databaseActivity.forEach(line -> out.add(line + "."));
        if (chat != null && io != null) {
            double capChat = capacity(ChatFanoutSettings.CHAT);
            double capIo = capacity(ChatFanoutSettings.SOCKETIO);
            out.add(String.format(Locale.ROOT, "Highest deliveries/s in a window that kept up: chat-service %s, "
                    + "Socket.IO %s; highest in any window: chat-service %s, Socket.IO %s.", count(capChat), count(capIo),
                    count(peak(ChatFanoutSettings.CHAT)), count(peak(ChatFanoutSettings.SOCKETIO))));
            boolean bothKeptUp = windows.stream().filter(w -> !w.sweep()).allMatch(ChatFanoutReport::keptUp);
            if (bothKeptUp) {
                out.add("Both systems kept up with the offered load in every measured window, so their deliveries/s "
                        + "are (nearly) the same by construction (an open-loop schedule) and the ratio is about 1: "
                        + "compare the latencies, the CPU each needed, and the sweep's saturation points instead.");
            }
        }
        for (Map.Entry<String, CpuMeter.Usage> e : cpu.entrySet()) {
            CpuMeter.Usage u = e.getValue();
            Total t = totals.get(e.getKey());
            if (t == null || t.deliveriesPerSecond() <= 0) {
                continue;
            }
            double server = u.service();
            out.add(String.format(Locale.ROOT, "%s: the server side used %.2f cores for %s deliveries/s = %.1f µs of "
                    + "CPU per delivery (%s cores would carry about %s deliveries/s); the harness JVM (client, Kafka "
                    + "broker) %.2f cores, the machine was %.0f %% busy.", e.getKey(), server,
                    count(t.deliveriesPerSecond()), server / t.deliveriesPerSecond() * 1e6, u.cores(),
                    count(u.cores() / (server / t.deliveriesPerSecond())), u.harness(),
                    u.machineBusy() / u.cores() * 100));
            out.addAll(u.caveats());
        }
        return out;
    }

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        out.append(summaryTable().text()).append('\n').append(windowTable().text()).append('\n')
                .append(connectTable().text()).append('\n');
        cpu.forEach((system, u) -> out.append(cpuTable(system, u).text()).append('\n'));
        analysis().forEach(line -> out.append("analysis: ").append(line).append('\n'));
        Map<String, Long> errors = errors();
        if (!errors.isEmpty()) {
            out.append("errors: ").append(errors).append('\n');
        }
        out.append(goalsTable().text()).append('\n');
        if (!loadAverage.isBlank()) {
            out.append("load average: ").append(loadAverage).append('\n');
        }
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: chat-fanout\n\n");
        md.append("Written by `").append(settings.command()).append("`; numbers from one run on a shared, noisy "
                + "machine.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Results (measured windows of all rounds)\n\n").append(summaryTable().markdown());
        md.append("\nPer window, in the order they ran (" + (settings.rounds() > 1 ? "A B A B" : "A B, one round")
                + "; the sweep after the last round of each system, then the floor). "
                + "\"offered\" = messages sent in the window × viewers ready in their room, per second; \"achieved\" = "
                + "deliveries to viewers received in the window, per second, and their latency — so a system that "
                + "falls behind shows a plateau and a growing latency. \"delivered\" = achieved ÷ offered. \"kept up\": "
                + "≥ " + Report.trim(KEEPS_UP_SHARE * 100) + " % delivered and p99 ≤ " + Report.trim(KEEPS_UP_P99_MS)
                + " ms.\n\n").append(windowTable().markdown());
        md.append("\n## Saturation: offered against achieved\n\n").append(saturationTable().markdown());
        md.append("\n## Connections\n\n").append(connectTable().markdown());
        md.append("\n## Where the time goes\n\n");
        analysis().forEach(line -> md.append("- ").append(line).append('\n'));
        for (Map.Entry<String, CpuMeter.Usage> e : cpu.entrySet()) {
            CpuMeter.Usage u = e.getValue();
            md.append("\nCPU during the ").append(e.getKey()).append(" measured windows (").append(fixed(u.wallSeconds()))
                    .append(" s), cores (CPU seconds per wall second), from /proc:\n\n")
                    .append(cpuTable(e.getKey(), u).markdown());
            for (String service : u.services().keySet()) {
                Table threads = u.threadTable(service);
                if (threads != null && !service.startsWith("Socket.IO") && !service.equals("redis-server")) {
                    md.append("\nBusiest threads of ").append(service)
                            .append(" (names as Linux keeps them, 15 characters):\n\n").append(threads.markdown());
                }
            }
            CpuMeter.Usage harness = harnessThreads.get(e.getKey());
            Table threads = harness == null ? null : harness.threadTable(ChatFanoutBenchmark.HARNESS);
            if (threads != null) {
                md.append("\nBusiest threads of the harness JVM (vert.x-eventloop: the client; kafka-*, "
                        + "data-plane-*, broker-*, quorum-*: the in-JVM Kafka broker):\n\n").append(threads.markdown());
            }
        }
        md.append("\n## Errors\n\n");
        Map<String, Long> errors = errors();
        if (errors.isEmpty()) {
            md.append("None.\n");
        } else {
            Table table = new Table("system", "when", "cause", "count").textColumns(3);
            errors.forEach((key, n) -> {
                String[] parts = key.split(" \\| ", 3);
                table.row(parts[0], parts[1], parts[2], n);
            });
            md.append(table.markdown());
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append('\n').append(resultLine()).append('\n');
        return md.toString();
    }

    private List<String> method() {
        List<String> method = new ArrayList<>();
        method.add(String.format(Locale.ROOT, "Load: %s viewers over %d rooms — %d small rooms of %d viewers and %d "
                + "large rooms of %d — plus %d publisher connections (%d per small room, %d per large room, each its "
                + "own signed-in user). Messages enter at a steady open-loop rate per room: %s/s in a small room, %s/s "
                + "in a large one (%s messages/s in all), the room's publishers taking turns; offered %s deliveries/s "
                + "to viewers. Viewers %s.", count(settings.viewers()), settings.rooms(), settings.smallRooms(),
                settings.smallViewers(), settings.largeRooms(), settings.largeViewers(), settings.publishers(),
                settings.smallPublishers(), settings.largePublishers(), Report.trim(settings.smallRate()),
                Report.trim(settings.largeRate()), Report.trim(settings.offeredMessagesPerSecond()),
                count(settings.offeredDeliveriesPerSecond()), settings.signedInViewers()
                        ? "are signed in (each its own RS256 bearer, sent in the auth frame)"
                        : "are anonymous (read-only) at chat-service"));
        method.add("One client for both systems, in the harness JVM: Vert.x core WebSocket client on "
                + settings.clientThreads() + " event-loop thread(s), every socket on 127.0.0.1"
                + (settings.sourceAddresses() > 1 ? " (local addresses 127.0.0.1 .. 127.0.0." + settings.sourceAddresses()
                        + ")" : "") + ", connection i to instance i mod n of the system. chat-service: "
                + "ws://…/ws/sessions/{id}, auth frame, welcome; publishers send chat.send, every connection in the "
                + "room receives chat.message (the sender too; only viewers are counted). Socket.IO: Socket.IO v5 over "
                + "Engine.IO v4 on a raw WebSocket (/socket.io/?EIO=4&transport=websocket&room=…: open packet 0, "
                + "connect 40, events 42[\"chat\",{…}] with an ack id, Engine.IO pings answered); the server joins the "
                + "socket to its room and broadcasts each message with io.to(room).emit, through the Redis adapter.");
        method.add("Latency: each message's text carries System.nanoTime() at the moment the publisher wrote it "
                + "(t=<nanos>; client and all viewers are in one JVM), and every viewer records receive − send into "
                + "HdrHistogram (µs, 3 digits). Deliveries/s: chat messages received by viewers during a window ÷ its "
                + "length (publishers also receive their own room's messages; not counted). Offered: messages sent in "
                + "the window × the viewers ready in their room.");
        method.add("Rounds: for each of " + settings.rounds() + " round(s), each system in turn ("
                + (settings.rounds() > 1 ? "A B A B" : "A B") + "): open every connection at up to "
                + settings.connectRate() + "/s with at most " + settings.connectConcurrency() + " handshakes in flight "
                + "(publishers first), "
                + (warmups.isEmpty() ? "warm-up " + Harness.seconds(settings.warmup()) + " s"
                        : "warm up (first round: " + Harness.seconds(settings.warmup()) + " s")
                + " of the same load, later rounds " + Harness.seconds(settings.rewarm()) + " s), measure "
                + Harness.seconds(settings.window()) + " s, "
                + (settings.sweep().isEmpty() ? "" : "in the last round sweep the rate to " + settings.sweep().stream()
                        .map(Report::trim).map(s -> s + "×").toList() + " for " + Harness.seconds(settings
                                .sweepDuration()) + " s each, ")
                + "stop publishing, wait " + settings.drain().toMillis() + " ms, close every connection (at 5,000/s). "
                + "The floor (a plain Vert.x broadcast server, if on) runs once after the rounds, with "
                + Harness.seconds(settings.rewarm()) + " s of warm-up and the sweep. Only one system has connections at a time (10,000 sockets on each at once would not "
                + "fit the file-descriptor limit, and both would share 2 cores with each other's idle sockets).");
        method.add("What runs: " + stack + ".");
        method.add("Everything shares the machine's cores: the client (which must read every delivery), the Kafka "
                + "broker (in the harness JVM), PostgreSQL, Redis, and the servers. The client is the same for both "
                + "systems, so the ratio compares the servers; the absolute figures are what this machine allows.");
        return method;
    }

    /** Cores used by each process during one system's measured windows. */
    static Table cpuTable(String system, CpuMeter.Usage u) {
        Table table = new Table("during the " + system + " windows", "cores used", "share of the machine");
        u.services().forEach((name, used) -> table.row(name, fixed(used), Report.percent(used / u.cores())));
        table.row("harness JVM (the client of every socket; the Kafka broker)", fixed(u.harness()),
                Report.percent(u.harness() / u.cores()));
        table.row("embedded PostgreSQL", fixed(u.postgres()), Report.percent(u.postgres() / u.cores()));
        table.row("everything else on the machine", fixed(u.others()), Report.percent(u.others() / u.cores()));
        table.row("idle", fixed(u.idle()), Report.percent(u.idle() / u.cores()));
        return table;
    }

    private static String share(FanoutClient.WindowStats s) {
        return s.expected == 0 ? "-" : Report.percent(s.deliveries / (double) s.expected);
    }

    private static long errorCount(FanoutClient.WindowStats s) {
        return s.errors.values().stream().mapToLong(Long::longValue).sum();
    }

    static String count(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /** p99 of a histogram in ms, for tests. */
    static double p99(Histogram h) {
        return percentileMs(h, 99);
    }
}
