package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * The session-api results: a console table and the Markdown report, whose last line is
 * {@code RESULT rps=<n> create_p99_ms=<n> event_p99_ms=<n>}.
 */
public final class Report {
    /** Goals from the issue. */
    public static final double GOAL_RPS = 5_000;
    public static final double GOAL_CREATE_P99_MS = 20;
    public static final double GOAL_EVENT_P99_MS = 25;

    /** Where it ran. */
    public record Machine(int cores, String cpu, String jdk, String os, String commit, String date) {
    }

    /** One measured A-B round: the service window, then the floor window. */
    public record Round(int number, double serviceRps, double floorRps) {
    }

    /** One latency line: successes in the histogram (microseconds), failures counted apart. */
    public record Line(String target, String op, long ok, long errors, double rps, Histogram histogram) {
    }

    /** The session.started timings. */
    public record Events(long expected, long received, long missing, long skipped, Histogram fromSend,
            Histogram fromResponse) {
    }

    private final Machine machine;
    private final List<String> method;
    private final List<Round> rounds;
    private final List<Line> lines;
    private final Events events;
    private final Map<String, Long> errors;
    private final double serviceRps;
    private final double floorRps;
    private final Histogram createLatency;
    private final List<String> notes;
    private CpuMeter.Usage cpu;
    private String loadAverage = "";

    public Report(Machine machine, List<String> method, List<Round> rounds, List<Line> lines, Events events,
            Map<String, Long> errors, double serviceRps, double floorRps, Histogram createLatency, List<String> notes) {
        this.notes = List.copyOf(notes);
        this.machine = machine;
        this.method = List.copyOf(method);
        this.rounds = List.copyOf(rounds);
        this.lines = List.copyOf(lines);
        this.events = events;
        this.errors = Map.copyOf(errors);
        this.serviceRps = serviceRps;
        this.floorRps = floorRps;
        this.createLatency = createLatency;
    }

    /** Where the CPU went during the service windows, and the load average before and after the run. */
    public Report withCpu(CpuMeter.Usage usage, String loadAverage) {
        this.cpu = usage;
        this.loadAverage = loadAverage == null ? "" : loadAverage;
        return this;
    }

    /** Null when not measured (not Linux). */
    public Table cpuTable() {
        return cpu == null ? null : cpu.table("the session-service windows", "client, probe, in-JVM Kafka broker if used");
    }

    /** The service's busiest threads over the service windows; null when not measured. */
    public Table threadTable() {
        return cpu == null ? null : cpu.threadTable("session-service");
    }

    public double serviceRps() {
        return serviceRps;
    }

    public double floorRps() {
        return floorRps;
    }

    /** Service throughput as a fraction of the loopback floor's, NaN without a floor. */
    public double ratio() {
        return floorRps > 0 ? serviceRps / floorRps : Double.NaN;
    }

    /** p99 of successful creates in ms, NaN when there were none. */
    public double createP99Ms() {
        return percentileMs(createLatency, 99);
    }

    /** p99 of POST /start sent → session.started polled, in ms; NaN when none arrived. */
    public double eventP99Ms() {
        return events == null ? Double.NaN : percentileMs(events.fromSend(), 99);
    }

    public long totalErrors() {
        return lines.stream().mapToLong(Line::errors).sum();
    }

    /** The machine-readable last line of the report. */
    public String resultLine() {
        return "RESULT rps=" + Math.round(serviceRps) + " create_p99_ms=" + number(createP99Ms()) + " event_p99_ms="
                + number(eventP99Ms());
    }

    public Table latencyTable() {
        Table table = new Table("target", "operation", "ok", "errors", "ok/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms")
                .textColumns(2);
        for (Line line : lines) {
            Histogram h = line.histogram();
            table.row(line.target(), line.op(), line.ok(), line.errors(), Double.isNaN(line.rps()) ? "" : trim1(line.rps()),
                    ms(h, 50), ms(h, 99), ms(h, 99.9), h.getTotalCount() == 0 ? "-" : fixed(h.getMaxValue() / 1000.0));
        }
        if (events != null) {
            table.row("kafka", "POST /start sent → session.started polled", events.fromSend().getTotalCount(),
                    events.missing(), "", ms(events.fromSend(), 50), ms(events.fromSend(), 99),
                    ms(events.fromSend(), 99.9), maxMs(events.fromSend()));
            table.row("kafka", "/start 2xx received → session.started polled", events.fromResponse().getTotalCount(),
                    events.missing(), "", ms(events.fromResponse(), 50), ms(events.fromResponse(), 99),
                    ms(events.fromResponse(), 99.9), maxMs(events.fromResponse()));
        }
        return table;
    }

    public Table roundsTable() {
        Table table = new Table("round", "session-service ok/s", "loopback floor ok/s", "ratio");
        for (Round round : rounds) {
            table.row(round.number(), trim1(round.serviceRps()), trim1(round.floorRps()),
                    round.floorRps() > 0 ? percent(round.serviceRps() / round.floorRps()) : "-");
        }
        table.row("all", trim1(serviceRps), trim1(floorRps), Double.isNaN(ratio()) ? "-" : percent(ratio()));
        return table;
    }

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        table.row("throughput (create/get/list mix)", "≥ " + trim1(GOAL_RPS) + " req/s", trim1(serviceRps) + " req/s",
                serviceRps >= GOAL_RPS ? "met" : "NOT met");
        double create = createP99Ms();
        table.row("create p99", "≤ " + trim1(GOAL_CREATE_P99_MS) + " ms", withUnit(create, " ms"),
                met(create, GOAL_CREATE_P99_MS));
        double event = eventP99Ms();
        table.row("session.started to consumer p99", "≤ " + trim1(GOAL_EVENT_P99_MS) + " ms", withUnit(event, " ms"),
                met(event, GOAL_EVENT_P99_MS));
        return table;
    }

    /** What the console shows at the end of a run. */
    public String console() {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(roundsTable().text()).append('\n').append(latencyTable().text()).append('\n')
                .append(goalsTable().text());
        Table cpuTable = cpuTable();
        if (cpuTable != null) {
            out.append('\n').append(cpuTable.text());
        }
        Table threadTable = threadTable();
        if (threadTable != null) {
            out.append('\n').append(threadTable.text());
        }
        if (!loadAverage.isBlank()) {
            out.append("load average: ").append(loadAverage).append('\n');
        }
        if (!errors.isEmpty()) {
            out.append("\nerrors by cause: ").append(new TreeMap<>(errors)).append('\n');
        }
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    /** The report file; its last line is {@link #resultLine()}. */
    public String markdown(String title) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Written by `./bench/run session-api`; numbers from one run on a shared, noisy machine. Compare "
                + "runs by the ratio to the loopback floor measured in the same run, not by absolute figures.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Method\n\n");
        method.forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Throughput: session-service against the loopback floor (A B A B)\n\n")
                .append(roundsTable().markdown());
        md.append("\n## Latency\n\nSuccessful (2xx) requests only; failures are counted in `errors` and listed below. "
                + "ok/s is over the measured windows of that target.\n\n").append(latencyTable().markdown());
        Table cpuTable = cpuTable();
        if (cpuTable != null) {
            md.append("\n## Where the CPU went\n\nCPU seconds per wall second over the measured session-service "
                    + "windows (").append(fixed(cpu.wallSeconds())).append(" s), from /proc. On a shared machine, "
                    + "\"everything else\" is other people's work competing with this run.\n\n")
                    .append(cpuTable.markdown());
            Table threadTable = threadTable();
            if (threadTable != null) {
                md.append("\nBusiest threads of session-service (names as Linux keeps them, 15 characters):\n\n")
                        .append(threadTable.markdown());
            }
        }
        md.append("\n## Errors\n\n");
        if (errors.isEmpty()) {
            md.append("None: every request got a 2xx response.\n");
        } else {
            Table table = new Table("where", "cause", "count").textColumns(2);
            new TreeMap<>(errors).forEach((key, count) -> {
                int split = key.lastIndexOf(' ');
                table.row(key.substring(0, split), key.substring(split + 1), count);
            });
            md.append(table.markdown());
        }
        if (events != null) {
            md.append("\nsession.started: ").append(events.expected()).append(" starts answered 2xx, ")
                    .append(events.received()).append(" events matched, ").append(events.missing())
                    .append(" never arrived within the grace period, ").append(events.skipped())
                    .append(" starts skipped because ").append(LifecycleDriver.MAX_OUTSTANDING)
                    .append(" were already outstanding.\n");
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append('\n').append(resultLine()).append('\n');
        return md.toString();
    }

    static String withUnit(double value, String unit) {
        return Double.isNaN(value) ? "n/a" : fixed(value) + unit;
    }

    static String met(double measured, double goal) {
        if (Double.isNaN(measured)) {
            return "not measured";
        }
        return measured <= goal ? "met" : "NOT met";
    }

    static double percentileMs(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : fixed(percentileMs(h, percentile));
    }

    static String maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : fixed(h.getMaxValue() / 1000.0);
    }

    /** Two decimals, or {@code n/a} for NaN. */
    static String number(double value) {
        return Double.isNaN(value) ? "n/a" : fixed(value);
    }

    static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String trim1(double value) {
        return String.format(Locale.ROOT, "%.1f", value).replaceAll("\\.0$", "");
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    /** Shortest of up to two decimals: 20, 33.33. */
    static String trim(double value) {
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("\\.?0+$", "");
    }

    /** For tests and callers that want to list lines. */
    List<Line> lines() {
        return new ArrayList<>(lines);
    }
}
