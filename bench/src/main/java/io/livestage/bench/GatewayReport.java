package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import org.HdrHistogram.Histogram;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.percent;
import static io.livestage.bench.Report.trim1;

/**
 * The gateway results: a console summary and {@code docs/benchmarks/gateway.md}, whose last line is
 * {@code RESULT added_p99_ms=<n> throughput_ratio=<n>}.
 */
public final class GatewayReport {
    /** Goals from issue 5. */
    public static final double GOAL_ADDED_P99_MS = 1.0;
    public static final double GOAL_THROUGHPUT_RATIO = 0.70;

    static final String DIRECT = GatewayBenchmark.DIRECT;
    static final String GATEWAY = GatewayBenchmark.GATEWAY;
    static final String VARIANT = GatewayBenchmark.VARIANT;
    static final String FLOOR = GatewayBenchmark.FLOOR;
    static final String HOP = GatewayBenchmark.HOP;
    static final String OPEN = GatewayBenchmark.OPEN;
    static final String CLOSED = GatewayBenchmark.CLOSED;
    static final String FROM_SEND = OPEN + "-from-send";
    static final String ALL_OPS = "all";
    private static final double[] PERCENTILES = { 50, 90, 99, 99.9 };

    /**
     * One target's figures for one operation in one window: {@code phase} is open, open-from-send (the same requests
     * timed from the actual send) or closed; {@code elapsed} is the window's length.
     */
    public record Line(String phase, String target, String op, int round, long ok, long errors, Duration elapsed,
            Histogram histogram) {
    }

    /** Several windows' lines merged. */
    record Merged(long ok, long errors, double okPerSecond, Histogram histogram) {
        double ms(double percentile) {
            return Report.percentileMs(histogram, percentile);
        }
    }

    private final Report.Machine machine;
    private final GatewaySettings settings;
    private final List<String> method;
    private final List<Line> lines;
    private final Map<String, Double> rps;
    private final Map<String, CpuMeter.Usage> cpu;
    private final Map<String, Histogram> sendLag;
    private final Map<String, Long> late;
    private final Map<String, Long> errors;
    private final List<String> notes;
    private final List<OtherProcesses.Usage> others;
    private final List<Double> loadDuring;
    private final JfrSummary.Profile profile;
    private String loadBefore = "";
    private String loadAfter = "";
    private String command = "./bench/run gateway";

    GatewayReport(Report.Machine machine, GatewaySettings settings, List<String> method, List<Line> lines,
            Map<String, Double> rps, Map<String, CpuMeter.Usage> cpu, Map<String, Histogram> sendLag,
            Map<String, Long> late, Map<String, Long> errors, List<String> notes, List<OtherProcesses.Usage> others,
            List<Double> loadDuring, JfrSummary.Profile profile) {
        this.machine = machine;
        this.settings = settings;
        this.method = List.copyOf(method);
        this.lines = List.copyOf(lines);
        this.rps = new LinkedHashMap<>(rps);
        this.cpu = new LinkedHashMap<>(cpu);
        this.sendLag = new LinkedHashMap<>(sendLag);
        this.late = new LinkedHashMap<>(late);
        this.errors = new TreeMap<>(errors);
        this.notes = new ArrayList<>(notes);
        this.others = List.copyOf(others);
        this.loadDuring = List.copyOf(loadDuring);
        this.profile = profile;
    }

    GatewayReport withLoad(String before, String after) {
        this.loadBefore = before == null ? "" : before;
        this.loadAfter = after == null ? "" : after;
        return this;
    }

    /** The arguments the run was given, for the report's command line ({@code --root} left out). */
    GatewayReport withArguments(List<String> arguments) {
        List<String> shown = arguments.stream().filter(a -> !a.startsWith("--root=")).toList();
        this.command = "./bench/run gateway" + (shown.isEmpty() ? "" : " " + String.join(" ", shown));
        return this;
    }

    // ---- figures ----

    /** The lines of a phase, target and operation (null: every operation), merged over the given round (0: all). */
    Merged merged(String phase, String target, String op, int round) {
        Histogram all = new Histogram(OpStats.HIGHEST_MICROS, 3);
        long ok = 0;
        long errs = 0;
        Map<Integer, Duration> windows = new TreeMap<>();
        for (Line line : lines) {
            if (line.phase().equals(phase) && line.target().equals(target) && (op == null || line.op().equals(op))
                    && (round == 0 || line.round() == round)) {
                all.add(line.histogram());
                ok += line.ok();
                errs += line.errors();
                windows.put(line.round(), line.elapsed());
            }
        }
        double seconds = windows.values().stream().mapToDouble(d -> d.toNanos() / 1e9).sum();
        return new Merged(ok, errs, seconds > 0 ? ok / seconds : 0, all);
    }

    /** p99 of the authenticated GET through the gateway minus direct, open loop, all rounds; NaN when not measured. */
    public double addedP99Ms() {
        return added(OPEN, GATEWAY, DIRECT, GatewayBenchmark.GET, 99, 0);
    }

    double added(String phase, String target, String baseline, String op, double percentile, int round) {
        Merged a = merged(phase, target, op, round);
        Merged b = merged(phase, baseline, op, round);
        if (a.histogram().getTotalCount() == 0 || b.histogram().getTotalCount() == 0) {
            return Double.NaN;
        }
        return a.ms(percentile) - b.ms(percentile);
    }

    /** Closed-loop ok/s through the gateway ÷ direct, all rounds; NaN when not measured. */
    public double throughputRatio() {
        return ratio(GATEWAY, DIRECT);
    }

    double ratio(String target, String baseline) {
        double a = merged(CLOSED, target, null, 0).okPerSecond();
        double b = merged(CLOSED, baseline, null, 0).okPerSecond();
        return a > 0 && b > 0 ? a / b : Double.NaN;
    }

    /**
     * True when session-service alone did not keep up with the open-loop rate (its windows answered under 95 % of the
     * offered rate, or its p99 exceeded 100 ms): then both targets queue and the added latency is not the gateway's cost.
     */
    boolean directSaturated() {
        Merged direct = merged(OPEN, DIRECT, null, 0);
        if (direct.ok() == 0) {
            return false;
        }
        return direct.okPerSecond() < 0.95 * settings.rate() || direct.ms(99) > 100;
    }

    public String resultLine() {
        return "RESULT added_p99_ms=" + Report.number(addedP99Ms()) + " throughput_ratio="
                + Report.number(throughputRatio());
    }

    private Set<String> ops(String phase) {
        Set<String> ops = new LinkedHashSet<>();
        for (String op : List.of(GatewayBenchmark.GET, GatewayBenchmark.GET_ANON)) {
            if (lines.stream().anyMatch(l -> l.phase().equals(phase) && l.op().equals(op))) {
                ops.add(op);
            }
        }
        lines.stream().filter(l -> l.phase().equals(phase)).map(Line::op).forEach(ops::add);
        return ops;
    }

    private boolean has(String phase, String target) {
        return lines.stream().anyMatch(l -> l.phase().equals(phase) && l.target().equals(target));
    }

    private int rounds(String phase, String target) {
        return lines.stream().filter(l -> l.phase().equals(phase) && l.target().equals(target))
                .mapToInt(Line::round).max().orElse(0);
    }

    // ---- tables ----

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double added = addedP99Ms();
        table.row("latency added by the gateway at p99 (authenticated GET, open loop at "
                + Report.trim(settings.rate()) + " req/s)", "≤ " + trim1(GOAL_ADDED_P99_MS) + " ms",
                Report.withUnit(added, " ms"), Report.met(added, GOAL_ADDED_P99_MS)
                        + (directSaturated() ? " (direct saturated too, see below)" : ""));
        double ratio = throughputRatio();
        table.row("throughput through the gateway ÷ direct (closed loop, " + settings.connections() + " connections)",
                "≥ " + percent(GOAL_THROUGHPUT_RATIO), Double.isNaN(ratio) ? "n/a" : percent(ratio),
                Double.isNaN(ratio) ? "not measured" : ratio >= GOAL_THROUGHPUT_RATIO ? "met" : "NOT met");
        return table;
    }

    /** p50/p90/p99/p99.9/max and ok/s of each target and operation of a phase: all rounds, then each round. */
    Table latencyTable(String phase, List<String> targets) {
        Table table = new Table("target", "request", "round", "ok", "errors", "ok/s", "p50 ms", "p90 ms", "p99 ms",
                "p99.9 ms", "max ms").textColumns(3);
        for (String target : targets) {
            if (!has(phase, target)) {
                continue;
            }
            int rounds = rounds(phase, target);
            List<String> ops = new ArrayList<>(ops(phase));
            if (ops.size() > 1) {
                ops.add(ALL_OPS);
            }
            for (String op : ops) {
                for (int round = 0; round <= (rounds > 1 ? rounds : 0); round++) {
                    Merged m = merged(phase, target, op.equals(ALL_OPS) ? null : op, round);
                    if (m.ok() + m.errors() == 0) {
                        continue;
                    }
                    row(table, target, op, round == 0 ? "all" : Integer.toString(round), m);
                }
            }
        }
        return table;
    }

    private static void row(Table table, String target, String op, String round, Merged m) {
        Histogram h = m.histogram();
        table.row(target, op, round, m.ok(), m.errors(), trim1(m.okPerSecond()), Report.ms(h, 50), Report.ms(h, 90),
                Report.ms(h, 99), Report.ms(h, 99.9), Report.maxMs(h));
    }

    /** What the second target adds to the first at each percentile, per operation (all rounds), and p99 per round. */
    Table addedTable(String phase, String target, String baseline) {
        Table table = new Table("request", "round", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms").textColumns(2);
        int rounds = Math.min(rounds(phase, target), rounds(phase, baseline));
        for (String op : ops(phase)) {
            if (op.equals(OpenLoop.NOT_SENT)) {
                continue;
            }
            for (int round = 0; round <= (rounds > 1 ? rounds : 0); round++) {
                List<Object> cells = new ArrayList<>(List.of(op, round == 0 ? "all" : Integer.toString(round)));
                for (double p : PERCENTILES) {
                    cells.add(signed(added(phase, target, baseline, op, p, round)));
                }
                table.row(cells.toArray());
            }
        }
        return table;
    }

    /** Closed loop: ok/s of each target per round and in all, and the ratio. */
    Table throughputTable(String target, String baseline) {
        Table table = new Table("round", baseline + " ok/s", target + " ok/s", target + " ÷ " + baseline);
        int rounds = Math.min(rounds(CLOSED, target), rounds(CLOSED, baseline));
        for (int round = 1; round <= rounds; round++) {
            double a = merged(CLOSED, baseline, null, round).okPerSecond();
            double b = merged(CLOSED, target, null, round).okPerSecond();
            table.row(round, trim1(a), trim1(b), a > 0 ? percent(b / a) : "-");
        }
        double a = merged(CLOSED, baseline, null, 0).okPerSecond();
        double b = merged(CLOSED, target, null, 0).okPerSecond();
        table.row("all", trim1(a), trim1(b), a > 0 ? percent(b / a) : "-");
        return table;
    }

    /** How well the open-loop client kept to its schedule, per target. */
    Table scheduleTable() {
        Table table = new Table("target", "requests", "send lag p50 ms", "p99 ms", "max ms", "sends > 1 ms late",
                "p99 from actual send ms").textColumns(1);
        for (Map.Entry<String, Histogram> e : sendLag.entrySet()) {
            Histogram h = e.getValue();
            Merged fromSend = merged(FROM_SEND, e.getKey(), null, 0);
            table.row(e.getKey(), h.getTotalCount(), Report.ms(h, 50), Report.ms(h, 99), Report.maxMs(h),
                    late.getOrDefault(e.getKey(), 0L), Report.ms(fromSend.histogram(), 99));
        }
        return table;
    }

    /** Cores used by each process in each kind of window, the request rate, and CPU per request. */
    Table cpuTable() {
        if (cpu.isEmpty()) {
            return null;
        }
        List<String> keys = new ArrayList<>(cpu.keySet());
        List<String> headers = new ArrayList<>(List.of("cores used (CPU s per s)"));
        keys.forEach(k -> headers.add(k));
        Table table = new Table(headers.toArray(String[]::new));
        Set<String> processes = new LinkedHashSet<>();
        cpu.values().forEach(u -> processes.addAll(u.services().keySet()));
        for (String process : processes) {
            table.row(cells(process, keys, u -> u.services().getOrDefault(process, 0.0)));
        }
        table.row(cells("harness JVM (client, floor, Kafka broker)", keys, CpuMeter.Usage::harness));
        table.row(cells("embedded PostgreSQL", keys, CpuMeter.Usage::postgres));
        table.row(cells("everything else on the machine", keys, CpuMeter.Usage::others));
        table.row(cells("idle (of " + machine.cores() + " cores)", keys, CpuMeter.Usage::idle));
        List<Object> rate = new ArrayList<>(List.of("ok/s"));
        keys.forEach(k -> rate.add(trim1(okPerSecond(k))));
        table.row(rate.toArray());
        for (String process : processes) {
            table.row(perRequest("µs CPU per request: " + process, keys, u -> u.services().getOrDefault(process, 0.0)));
        }
        table.row(perRequest("µs CPU per request: harness", keys, CpuMeter.Usage::harness));
        table.row(perRequest("µs CPU per request: PostgreSQL", keys, CpuMeter.Usage::postgres));
        table.row(perRequest("µs CPU per request: all of this run", keys,
                u -> u.service() + u.harness() + u.postgres()));
        return table;
    }

    private double okPerSecond(String key) {
        String[] parts = key.split(" ", 2);
        return merged(parts[0], parts[1], null, 0).okPerSecond();
    }

    private Object[] cells(String label, List<String> keys, ToDoubleFunction<CpuMeter.Usage> f) {
        List<Object> cells = new ArrayList<>(List.of(label));
        keys.forEach(k -> cells.add(fixed(f.applyAsDouble(cpu.get(k)))));
        return cells.toArray();
    }

    private Object[] perRequest(String label, List<String> keys, ToDoubleFunction<CpuMeter.Usage> f) {
        List<Object> cells = new ArrayList<>(List.of(label));
        keys.forEach(k -> {
            double rate = okPerSecond(k);
            cells.add(rate > 0 ? String.format(Locale.ROOT, "%.0f", f.applyAsDouble(cpu.get(k)) / rate * 1e6) : "-");
        });
        return cells.toArray();
    }

    Table threadTable(String key, String process) {
        CpuMeter.Usage usage = cpu.get(key);
        return usage == null ? null : usage.threadTable(process);
    }

    Table othersTable() {
        if (others.isEmpty()) {
            return null;
        }
        Table table = new Table("other process (not this run)", "processes", "cores used").textColumns(1);
        others.forEach(o -> table.row(o.what(), o.processes(), fixed(o.cores())));
        return table;
    }

    private static Table profileTable(String title, List<JfrSummary.Entry> entries) {
        Table table = new Table(title, "samples", "share").textColumns(1);
        entries.forEach(e -> table.row("`" + e.method() + "`", e.samples(), percent(e.share())));
        return table;
    }

    private static Table componentTable(JfrSummary.Profile profile) {
        Table table = new Table("component (self time)", "samples", "share").textColumns(1);
        profile.components().forEach(e -> table.row(e.method(), e.samples(), percent(e.share())));
        return table;
    }

    private static Table groupTable(JfrSummary.Profile profile) {
        Table table = new Table("piece of work (total: it and what it calls)", "samples", "share").textColumns(1);
        profile.groups().stream().filter(e -> e.samples() > 0)
                .sorted((a, b) -> Long.compare(b.samples(), a.samples()))
                .forEach(e -> table.row(e.method(), e.samples(), percent(e.share())));
        return table;
    }

    // ---- words ----

    /** Sentences on what bounds the figures, from the figures. */
    List<String> limits() {
        List<String> out = new ArrayList<>();
        CpuMeter.Usage closedGateway = cpu.get(CLOSED + " " + GATEWAY);
        CpuMeter.Usage closedDirect = cpu.get(CLOSED + " " + DIRECT);
        double ratio = throughputRatio();
        if (closedGateway != null && closedDirect != null) {
            double directRate = okPerSecond(CLOSED + " " + DIRECT);
            double gatewayRate = okPerSecond(CLOSED + " " + GATEWAY);
            double busyDirect = closedDirect.machineBusy() / closedDirect.cores();
            double busyGateway = closedGateway.machineBusy() / closedGateway.cores();
            if (directRate > 0 && gatewayRate > 0) {
                double directCost = (closedDirect.service() + closedDirect.harness() + closedDirect.postgres())
                        / directRate * 1e6;
                double gatewayCost = (closedGateway.service() + closedGateway.harness() + closedGateway.postgres())
                        / gatewayRate * 1e6;
                double gatewayOwn = closedGateway.services().getOrDefault(GATEWAY, 0.0) / gatewayRate * 1e6;
                out.add(String.format(Locale.ROOT, "Closed loop: the machine was %.0f %% busy during the direct "
                        + "windows and %.0f %% during the gateway windows, so throughput is bounded by CPU: every "
                        + "request costs this run's processes %.0f µs of CPU direct and %.0f µs through the gateway, "
                        + "of which the gateway itself takes %.0f µs. On a saturated machine the throughput ratio "
                        + "cannot exceed the CPU ratio %.0f ÷ %.0f = %.0f %% (measured: %s); the gateway's CPU per "
                        + "request comes straight out of the service's share of the same %d cores.",
                        busyDirect * 100, busyGateway * 100, directCost, gatewayCost, gatewayOwn, directCost,
                        gatewayCost, directCost / gatewayCost * 100, Double.isNaN(ratio) ? "n/a" : percent(ratio),
                        machine.cores()));
            }
        }
        if (has(CLOSED, VARIANT)) {
            double vr = ratio(VARIANT, GATEWAY);
            CpuMeter.Usage cv = cpu.get(CLOSED + " " + VARIANT);
            double variantRate = okPerSecond(CLOSED + " " + VARIANT);
            double gatewayRate = okPerSecond(CLOSED + " " + GATEWAY);
            String cpuSentence = "";
            if (cv != null && closedGateway != null && variantRate > 0 && gatewayRate > 0) {
                cpuSentence = String.format(Locale.ROOT, "; CPU per request of the gateway process %.0f µs, of the "
                        + "variant %.0f µs", closedGateway.services().getOrDefault(GATEWAY, 0.0) / gatewayRate * 1e6,
                        cv.services().getOrDefault("variant gateway", 0.0) / variantRate * 1e6);
            }
            out.add("Variant " + settings.variantEnv() + " against the gateway: closed-loop throughput "
                    + (Double.isNaN(vr) ? "n/a" : percent(vr)) + " of the gateway's, p99 at "
                    + Report.trim(settings.rate()) + " req/s " + signed(added(OPEN, VARIANT, GATEWAY,
                            GatewayBenchmark.GET, 99, 0)) + " ms" + cpuSentence + ".");
        }
        double hopRatio = ratio(HOP, FLOOR);
        if (!Double.isNaN(hopRatio)) {
            out.add("A plain vertx-http-proxy hop in front of the loopback floor keeps " + percent(hopRatio)
                    + " of the floor's closed-loop throughput on this machine: that much of any proxy's ratio is the "
                    + "cost of one more hop (two more socket round trips and an HTTP parse and encode per request) on "
                    + machine.cores() + " shared cores, not the gateway's own logic.");
        }
        double hopAdded = added(OPEN, HOP, FLOOR, GatewayBenchmark.GET, 99, 0);
        double added = addedP99Ms();
        if (!Double.isNaN(hopAdded) && !Double.isNaN(added)) {
            out.add(String.format(Locale.ROOT, "Open loop at %s req/s: the plain hop adds %s ms at p99 to the floor, "
                    + "the gateway adds %s ms to session-service.", Report.trim(settings.rate()), fixed(hopAdded),
                    fixed(added)));
        }
        if (directSaturated()) {
            Merged direct = merged(OPEN, DIRECT, null, 0);
            out.add(String.format(Locale.ROOT, "session-service alone did not keep up with %s req/s during this run "
                    + "(the direct windows answered %.0f ok/s, p99 %s ms): both targets were queueing, so the open-loop "
                    + "latencies are mostly waiting for a core and the added p99 is a difference of queueing delays, "
                    + "not the gateway's own cost. Compare the CPU per request below, or rerun on a quieter machine "
                    + "or with a lower --rate.", Report.trim(settings.rate()), direct.okPerSecond(),
                    fixed(direct.ms(99))));
        }
        CpuMeter.Usage openGateway = cpu.get(OPEN + " " + GATEWAY);
        if (openGateway != null) {
            out.add(String.format(Locale.ROOT, "At %s req/s the machine was %.0f %% busy during the gateway windows "
                    + "(%.0f %% direct): the open-loop figures are %s.", Report.trim(settings.rate()),
                    openGateway.machineBusy() / openGateway.cores() * 100,
                    cpu.containsKey(OPEN + " " + DIRECT) ? cpu.get(OPEN + " " + DIRECT).machineBusy()
                            / cpu.get(OPEN + " " + DIRECT).cores() * 100 : Double.NaN,
                    openGateway.machineBusy() / openGateway.cores() > 0.85
                            ? "those of a nearly saturated machine, where queueing for a core dominates the tail"
                            : "below saturation: the tail is scheduling and GC, not queueing for throughput"));
        }
        Histogram lag = sendLag.get(GATEWAY);
        if (lag != null && lag.getTotalCount() > 0 && lag.getValueAtPercentile(99) > 500) {
            out.add("The client itself sent " + percent(late.getOrDefault(GATEWAY, 0L) / (double) lag.getTotalCount())
                    + " of the gateway window's requests more than 1 ms late (send lag p99 "
                    + Report.ms(lag, 99) + " ms): the harness competes for the same cores, and its lateness is in "
                    + "the figures (latency is timed from the intended send).");
        }
        CpuMeter.Usage any = closedGateway != null ? closedGateway : openGateway;
        if (any != null) {
            out.addAll(any.caveats());
        }
        return out;
    }

    private static String signed(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return (value > 0 ? "+" : "") + fixed(value);
    }

    private String loadLine() {
        StringBuilder out = new StringBuilder();
        if (!loadBefore.isBlank()) {
            out.append(loadBefore).append(" before the run, ").append(loadAfter).append(" after");
        }
        if (!loadDuring.isEmpty()) {
            double min = loadDuring.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = loadDuring.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            out.append(out.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT,
                    "1-minute load %.2f–%.2f at the ends of the measured windows", min, max));
        }
        return out.toString();
    }

    private double othersCores() {
        double sum = 0;
        double wall = 0;
        for (CpuMeter.Usage u : cpu.values()) {
            sum += u.others() * u.wallSeconds();
            wall += u.wallSeconds();
        }
        return wall > 0 ? sum / wall : Double.NaN;
    }

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        out.append("open loop at ").append(Report.trim(settings.rate())).append(" req/s (latency from the intended send)\n")
                .append(latencyTable(OPEN, List.of(DIRECT, GATEWAY, VARIANT, FLOOR, HOP)).text()).append('\n');
        out.append("added by the gateway (gateway − direct), open loop\n").append(addedTable(OPEN, GATEWAY, DIRECT).text())
                .append('\n');
        if (has(OPEN, VARIANT)) {
            out.append("variant − gateway, open loop\n").append(addedTable(OPEN, VARIANT, GATEWAY).text()).append('\n');
        }
        out.append("closed loop, ").append(settings.connections()).append(" connections\n")
                .append(throughputTable(GATEWAY, DIRECT).text()).append('\n');
        if (has(CLOSED, VARIANT)) {
            out.append(throughputTable(VARIANT, GATEWAY).text()).append('\n');
        }
        if (has(CLOSED, FLOOR)) {
            out.append(throughputTable(HOP, FLOOR).text()).append('\n');
        }
        out.append(scheduleTable().text()).append('\n');
        Table cpuTable = cpuTable();
        if (cpuTable != null) {
            out.append(cpuTable.text()).append('\n');
        }
        Table othersTable = othersTable();
        if (othersTable != null) {
            out.append(othersTable.text()).append('\n');
        }
        if (profile != null) {
            out.append("JFR samples of the gateway: ").append(profile.samples()).append('\n')
                    .append(componentTable(profile).text()).append('\n').append(groupTable(profile).text())
                    .append('\n');
        }
        out.append(goalsTable().text()).append('\n');
        String load = loadLine();
        if (!load.isBlank()) {
            out.append("load average: ").append(load).append('\n');
        }
        if (!errors.isEmpty()) {
            out.append("errors: ").append(errors).append('\n');
        }
        limits().forEach(l -> out.append("limit: ").append(l).append('\n'));
        notes.forEach(n -> out.append("note: ").append(n).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: gateway\n\n");
        md.append("Written by `./bench/run gateway`; numbers from one run on a shared, noisy machine. What the gateway "
                + "costs: the same request straight to session-service and through the gateway, measured side by side "
                + "in the same run (A B A B), at a fixed rate (latency added) and at full speed (throughput ratio), "
                + "with the loopback floor and a plain proxy hop as the physical baseline. Compare runs by the "
                + "differences and ratios, not by absolute figures.\n\n");
        md.append(Harness.machineSection(machine, loadLine()));
        double othersCores = othersCores();
        if (!Double.isNaN(othersCores)) {
            md.append(String.format(Locale.ROOT, "Other work on the machine (not this run: other engineers' builds "
                    + "and tests) took %.2f of the %d cores on average during the measured windows.%s\n\n",
                    othersCores, machine.cores(), others.isEmpty() ? "" : " The busiest:"));
            Table othersTable = othersTable();
            if (othersTable != null) {
                md.append(othersTable.markdown()).append('\n');
            }
        }
        md.append("## Setup and method\n\n");
        method.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Goals\n\n").append(goalsTable().markdown());
        md.append("\nAdded latency = p99 through the gateway − p99 direct of the authenticated GET in the open-loop "
                + "windows (all rounds); throughput ratio = closed-loop ok/s through the gateway ÷ direct (all "
                + "rounds).\n");
        md.append("\n## Open loop: ").append(Report.trim(settings.rate())).append(" req/s, direct and through the "
                + "gateway\n\nLatency from the intended send time to the whole response read; successful (2xx) "
                + "responses only. `all` = every round; then each round (A B A B order: direct, gateway).\n\n")
                .append(latencyTable(OPEN, List.of(DIRECT, GATEWAY, VARIANT)).markdown());
        md.append("\nAdded by the gateway (gateway − direct, ms; negative: the gateway windows were faster, i.e. "
                + "noise):\n\n").append(addedTable(OPEN, GATEWAY, DIRECT).markdown());
        if (has(OPEN, VARIANT)) {
            md.append("\nThe variant against the gateway (variant − gateway, ms; variant environment: ")
                    .append(settings.variantEnv()).append("):\n\n").append(addedTable(OPEN, VARIANT, GATEWAY).markdown());
        }
        md.append("\nHow well the client kept its schedule (send lag = actual − intended send time), and p99 timed "
                + "from the actual send instead:\n\n").append(scheduleTable().markdown());
        md.append("\n## Closed loop: ").append(settings.connections()).append(" connections, direct and through the "
                + "gateway\n\n").append(throughputTable(GATEWAY, DIRECT).markdown()).append('\n');
        if (has(CLOSED, VARIANT)) {
            md.append(throughputTable(VARIANT, GATEWAY).markdown()).append('\n');
        }
        md.append(latencyTable(CLOSED, List.of(DIRECT, GATEWAY, VARIANT)).markdown());
        if (has(OPEN, FLOOR) || has(CLOSED, FLOOR)) {
            md.append("\n## Loopback floor: the harness's Vert.x server, straight and through a plain proxy hop\n\n"
                    + "What the client, the loopback and one vertx-http-proxy hop cost on this machine, without "
                    + "Quarkus, the gateway's logic, session-service or PostgreSQL.\n\n");
            if (has(OPEN, FLOOR)) {
                md.append("Open loop at ").append(Report.trim(settings.rate())).append(" req/s:\n\n")
                        .append(latencyTable(OPEN, List.of(FLOOR, HOP)).markdown())
                        .append("\nAdded by the hop (hop − floor, ms):\n\n").append(addedTable(OPEN, HOP, FLOOR).markdown());
            }
            if (has(CLOSED, FLOOR)) {
                md.append("\nClosed loop, ").append(settings.connections()).append(" connections:\n\n")
                        .append(throughputTable(HOP, FLOOR).markdown()).append('\n')
                        .append(latencyTable(CLOSED, List.of(FLOOR, HOP)).markdown());
            }
        }
        Table cpuTable = cpuTable();
        if (cpuTable != null) {
            md.append("\n## Where the CPU went\n\nCPU seconds per wall second of each process over each kind of "
                    + "measured window (from /proc), and per successful request. On a shared machine, "
                    + "\"everything else\" is other people's work competing with this run.\n\n")
                    .append(cpuTable.markdown());
            for (String key : List.of(CLOSED + " " + GATEWAY, OPEN + " " + GATEWAY, CLOSED + " " + VARIANT)) {
                String process = key.endsWith(VARIANT) ? "variant gateway" : "gateway";
                Table threads = threadTable(key, process);
                if (threads != null) {
                    md.append("\nBusiest threads of the ").append(process).append(" during the ").append(key)
                            .append(" windows:\n\n").append(threads.markdown());
                }
            }
        }
        if (profile != null) {
            md.append("\n## Where the gateway spends its time (JFR)\n\n").append(profile.samples())
                    .append(" execution samples of the gateway's Java threads over the measured rounds (`")
                    .append(profile.file().getFileName()).append("` in bench/target/gateway; open with `jfr print "
                            + "--events jdk.ExecutionSample` or JDK Mission Control). Time in native code (socket "
                            + "reads and writes, epoll) is not sampled.\n\nBy component — each sample charged to "
                            + "the innermost frame of a known component (JDK frames and Netty's buffers/utilities "
                            + "are charged to their caller), so the shares add up to 100 %:\n\n")
                    .append(componentTable(profile).markdown())
                    .append("\nNarrow pieces of work, each with everything it calls (a sample counts once per row; "
                            + "the rows overlap):\n\n")
                    .append(groupTable(profile).markdown())
                    .append("\nHeaviest methods by self time (top frame):\n\n")
                    .append(profileTable("method (self)", profile.self()).markdown())
                    .append("\nHeaviest methods by total time (anywhere on the stack):\n\n")
                    .append(profileTable("method (total)", profile.total()).markdown());
        }
        List<String> limits = limits();
        if (!limits.isEmpty()) {
            md.append("\n## What limits it\n\n");
            limits.forEach(l -> md.append("- ").append(l).append('\n'));
        }
        md.append("\n## Errors\n\n");
        if (errors.isEmpty()) {
            md.append("None: every request got a 2xx response.\n");
        } else {
            Table table = new Table("where", "cause", "count").textColumns(2);
            errors.forEach((key, count) -> {
                int split = key.lastIndexOf(' ');
                table.row(key.substring(0, split), key.substring(split + 1), count);
            });
            md.append(table.markdown());
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\n## Command\n\n```bash\n").append(command).append("\n```\n\n");
        md.append(resultLine()).append('\n');
        return md.toString();
    }
}
