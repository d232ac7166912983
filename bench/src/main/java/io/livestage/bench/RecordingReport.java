package io.livestage.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.ms;
import static io.livestage.bench.Report.percentileMs;
import static io.livestage.bench.Report.trim1;

/**
 * The recording results: a console summary and {@code docs/benchmarks/recording.md}, whose last line is
 * {@code RESULT egress_start_p99_ms=<n> feed_rps=<n> range_ratio=<n>} ({@code n/a} for a part that was skipped).
 */
public final class RecordingReport {
    public static final double GOAL_EGRESS_P99_MS = 100;
    public static final double GOAL_FEED_RPS = 5_000;
    public static final double GOAL_FEED_P99_MS = 10;
    public static final double GOAL_RANGE_RATIO = 0.9;

    static final String FEED_304 = "feed, If-None-Match (304)";
    static final String FEED_200 = "feed, unconditional (200)";
    static final String RANGE_SERVICE = "recording-service file endpoint";
    static final String RANGE_PEER = "plain Vert.x static-file server";

    static final String END_TO_END = "start 2xx received → StartRoomCompositeEgress accepted at LiveKit";
    static final String FROM_SEND = "start sent → StartRoomCompositeEgress accepted at LiveKit";
    static final String START = "start request (sent → 2xx read)";
    static final String TO_EVENT = "start 2xx → session.started polled from Kafka (harness consumer)";
    static final String TO_ROOM = "start 2xx → room created at LiveKit (token-service's CreateRoom)";
    static final String TO_FIRST_ATTEMPT = "start 2xx → first StartRoomCompositeEgress attempt (any answer)";
    static final String NO_REFUSAL = "end to end, starts accepted at the first attempt";
    static final String AFTER_REFUSAL = "end to end, starts refused at least once first";

    private final Report.Machine machine;
    private final RecordingSettings settings;
    private final List<RecordingBenchmark.Start> starts;
    private final CpuMeter.Usage egressCpu;
    private final RecordingBenchmark.FeedOutcome feed;
    private final RecordingBenchmark.RangeOutcome range;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;
    private final Map<String, Histogram> egress = new LinkedHashMap<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private final long ok;
    private final long late;
    private final long refusedStarts;
    private final long refusedAttempts;
    private final int mostRefusals;

    RecordingReport(Report.Machine machine, RecordingSettings settings, List<RecordingBenchmark.Start> starts,
            CpuMeter.Usage egressCpu, RecordingBenchmark.FeedOutcome feed, RecordingBenchmark.RangeOutcome range,
            String stack, List<String> notes, String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.starts = List.copyOf(starts);
        this.egressCpu = egressCpu;
        this.feed = feed;
        this.range = range;
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
        for (String name : List.of(END_TO_END, FROM_SEND, START, TO_EVENT, TO_ROOM, TO_FIRST_ATTEMPT, NO_REFUSAL,
                AFTER_REFUSAL)) {
            egress.put(name, new Histogram(OpStats.HIGHEST_MICROS, 3));
        }
        long good = 0;
        long lateSends = 0;
        long refused = 0;
        long attempts = 0;
        int most = 0;
        for (RecordingBenchmark.Start s : starts) {
            if (s.sent > 0 && s.sent - s.scheduled > RecordingBenchmark.LATE_NANOS) {
                lateSends++;
            }
            if (s.startOk) {
                record(START, s.responded - s.sent);
            }
            if (s.error != null) {
                errors.merge(s.error, 1L, Long::sum);
                continue;
            }
            good++;
            record(END_TO_END, s.egress - s.responded);
            record(FROM_SEND, s.egress - s.sent);
            record(s.refused == 0 ? NO_REFUSAL : AFTER_REFUSAL, s.egress - s.responded);
            record(TO_FIRST_ATTEMPT, s.firstAttempt - s.responded);
            if (s.polled > 0) {
                record(TO_EVENT, s.polled - s.responded);
            }
            if (s.roomCreated > 0) {
                record(TO_ROOM, s.roomCreated - s.responded);
            }
            if (s.refused > 0) {
                refused++;
                attempts += s.refused;
                most = Math.max(most, s.refused);
            }
        }
        this.ok = good;
        this.late = lateSends;
        this.refusedStarts = refused;
        this.refusedAttempts = attempts;
        this.mostRefusals = most;
    }

    private void record(String name, long nanos) {
        egress.get(name).recordValue(Math.min(OpStats.HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
    }

    // --- headline figures --------------------------------------------------------------------------------------------

    public double egressP99Ms() {
        return percentileMs(egress.get(END_TO_END), 99);
    }

    /** Conditional feed requests per second over all measured windows; NaN when skipped. */
    public double feedRps() {
        return rate(feed.windows(), FEED_304);
    }

    public double feedP99Ms() {
        return percentileMs(histogram(feed.windows(), FEED_304), 99);
    }

    /** Service ÷ peer range requests per second over all rounds; NaN when skipped. */
    public double rangeRatio() {
        double peer = rate(range.windows(), RANGE_PEER);
        return Double.isNaN(peer) || peer == 0 ? Double.NaN : rate(range.windows(), RANGE_SERVICE) / peer;
    }

    public String resultLine() {
        return "RESULT egress_start_p99_ms=" + Report.number(egressP99Ms()) + " feed_rps="
                + (Double.isNaN(feedRps()) ? "n/a" : Long.toString(Math.round(feedRps()))) + " range_ratio="
                + Report.number(rangeRatio());
    }

    static double rate(List<RecordingBenchmark.Window> windows, String target) {
        long okCount = 0;
        long nanos = 0;
        for (RecordingBenchmark.Window w : windows) {
            if (w.target().equals(target)) {
                okCount += w.result().ok();
                nanos += w.result().elapsed().toNanos();
            }
        }
        return nanos == 0 ? Double.NaN : okCount / (nanos / 1e9);
    }

    static long okCount(List<RecordingBenchmark.Window> windows, String target) {
        return windows.stream().filter(w -> w.target().equals(target)).mapToLong(w -> w.result().ok()).sum();
    }

    static Histogram histogram(List<RecordingBenchmark.Window> windows, String target) {
        Histogram all = new Histogram(OpStats.HIGHEST_MICROS, 3);
        for (RecordingBenchmark.Window w : windows) {
            if (w.target().equals(target)) {
                w.result().stats().values().forEach(stats -> all.add(stats.histogram()));
            }
        }
        return all;
    }

    /** Per-round ratios service ÷ peer of the range part, in round order. */
    List<Double> roundRatios() {
        Map<Integer, double[]> rounds = new LinkedHashMap<>();
        for (RecordingBenchmark.Window w : range.windows()) {
            double[] pair = rounds.computeIfAbsent(w.round(), r -> new double[2]);
            pair[w.target().equals(RANGE_SERVICE) ? 0 : 1] = w.result().okPerSecond();
        }
        List<Double> out = new ArrayList<>();
        rounds.values().forEach(pair -> out.add(pair[1] == 0 ? Double.NaN : pair[0] / pair[1]));
        return out;
    }

    /** CPU µs of {@code part} per successful request of {@code target}; NaN when not measured. */
    static double cpuMicrosPerRequest(CpuMeter.Usage usage, String part, List<RecordingBenchmark.Window> windows,
            String target) {
        long count = okCount(windows, target);
        if (usage == null || count == 0 || !usage.services().containsKey(part)) {
            return Double.NaN;
        }
        return usage.services().get(part) * usage.wallSeconds() * 1e6 / count;
    }

    // --- tables ------------------------------------------------------------------------------------------------------

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double p99 = egressP99Ms();
        table.row("session.started committed → StartRoomCompositeEgress at LiveKit, p99", "≤ "
                + trim1(GOAL_EGRESS_P99_MS) + " ms", Report.withUnit(p99, " ms"), Report.met(p99, GOAL_EGRESS_P99_MS));
        double rps = feedRps();
        table.row("feed of " + settings.episodes() + " episodes with If-None-Match, throughput", "≥ "
                + String.format(Locale.ROOT, "%,d", Math.round(GOAL_FEED_RPS)) + " req/s",
                Double.isNaN(rps) ? skippedCell(feed.skipped()) : Math.round(rps) + " req/s",
                Double.isNaN(rps) ? "not measured" : rps >= GOAL_FEED_RPS ? "met" : "NOT met");
        double feedP99 = feedP99Ms();
        table.row("the same, p99", "≤ " + trim1(GOAL_FEED_P99_MS) + " ms",
                Double.isNaN(feedP99) ? skippedCell(feed.skipped()) : Report.withUnit(feedP99, " ms"),
                Report.met(feedP99, GOAL_FEED_P99_MS));
        double ratio = rangeRatio();
        table.row("random " + settings.sliceKib() + " KiB ranges of a " + settings.fileMb()
                + " MB file, service ÷ plain Vert.x", "≥ " + GOAL_RANGE_RATIO,
                Double.isNaN(ratio) ? skippedCell(range.skipped()) : fixed(ratio),
                Double.isNaN(ratio) ? "not measured" : ratio >= GOAL_RANGE_RATIO ? "met" : "NOT met");
        return table;
    }

    private static String skippedCell(String skipped) {
        return skipped == null ? "n/a" : skipped.startsWith("endpoint not available") ? "skipped (404)" : "skipped";
    }

    public Table egressScheduleTable() {
        Table table = new Table("session starts", "value").textColumns(1);
        table.row("scheduled", starts.size());
        table.row("recording started at LiveKit (ok)", ok);
        table.row("errors", starts.size() - ok);
        table.row("rate", Report.trim(settings.rate()) + "/s");
        table.row("sent more than " + RecordingBenchmark.LATE_NANOS / 1_000_000 + " ms after their scheduled time",
                late);
        table.row("rooms whose first StartRoomCompositeEgress was refused", refusedStarts);
        table.row("refused attempts before the accepted one, in all", refusedAttempts);
        table.row("most refused attempts for one room", mostRefusals);
        return table;
    }

    public Table egressLatencyTable() {
        Table table = new Table("path", "count", "p50 ms", "p99 ms", "p99.9 ms", "max ms").textColumns(1);
        egress.forEach((name, h) -> table.row(name, h.getTotalCount(), ms(h, 50), ms(h, 99), ms(h, 99.9),
                Report.maxMs(h)));
        return table;
    }

    static Table windowsTable(List<RecordingBenchmark.Window> windows, long bytesPerRequest) {
        Table table = new Table("target", "round", "ok/s", "MB/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors")
                .textColumns(1);
        for (RecordingBenchmark.Window w : windows) {
            Histogram h = histogram(List.of(w), w.target());
            double rps = w.result().okPerSecond();
            table.row(w.target(), w.round(), Math.round(rps),
                    bytesPerRequest > 0 ? fixed(rps * bytesPerRequest / 1e6) : "-", ms(h, 50), ms(h, 99),
                    ms(h, 99.9), Report.maxMs(h), w.result().errors());
        }
        return table;
    }

    static Table totalsTable(List<RecordingBenchmark.Window> windows, List<String> targets,
            Map<String, CpuMeter.Usage> cpu, String part) {
        Table table = new Table("target", "requests", "ok/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                "server CPU µs per request").textColumns(1);
        for (String target : targets) {
            Histogram h = histogram(windows, target);
            String serverPart = target.equals(RANGE_PEER) ? "Vert.x static-file peer" : part;
            table.row(target, okCount(windows, target), Report.number(rate(windows, target)), ms(h, 50), ms(h, 99),
                    ms(h, 99.9), Report.maxMs(h), Report.number(cpuMicrosPerRequest(cpu.get(target), serverPart,
                            windows, target)));
        }
        return table;
    }

    static Map<String, Long> errorCauses(List<RecordingBenchmark.Window> windows) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (RecordingBenchmark.Window w : windows) {
            w.result().stats().values().forEach(stats -> stats.errorsByCause().forEach((cause, n) -> out.merge(
                    w.target() + ": " + cause, n, Long::sum)));
        }
        return out;
    }

    // --- analysis ----------------------------------------------------------------------------------------------------

    List<String> egressAnalysis() {
        List<String> out = new ArrayList<>();
        Histogram endToEnd = egress.get(END_TO_END);
        if (endToEnd.getTotalCount() == 0) {
            return out;
        }
        out.add(String.format(Locale.ROOT, "At the median a recording reached LiveKit %.2f ms after the start's "
                + "response (p99 %.2f ms): %.2f ms until the harness's consumer polled session.started (the outbox "
                + "relay and Kafka), the room was created by token-service after %s ms, and recording-service's first "
                + "StartRoomCompositeEgress arrived after %s ms.", percentileMs(endToEnd, 50), egressP99Ms(),
                percentileMs(egress.get(TO_EVENT), 50), Report.number(percentileMs(egress.get(TO_ROOM), 50)),
                Report.number(percentileMs(egress.get(TO_FIRST_ATTEMPT), 50))));
        if (refusedStarts > 0) {
            out.add(String.format(Locale.ROOT, "%d of %d rooms (%.0f %%) did not exist yet when recording-service "
                    + "first asked (both services act on the same session.started; token-service creates the room, "
                    + "recording-service starts the egress): LiveKit answered not_found and the egress driver retried "
                    + "after its backoff (250 ms, doubling). Those starts took p50 %s ms, p99 %s ms; starts accepted "
                    + "at once p50 %s ms, p99 %s ms.", refusedStarts, ok, 100.0 * refusedStarts / Math.max(1, ok),
                    ms(egress.get(AFTER_REFUSAL), 50), ms(egress.get(AFTER_REFUSAL), 99),
                    ms(egress.get(NO_REFUSAL), 50), ms(egress.get(NO_REFUSAL), 99)));
        } else {
            out.add("Every room existed when recording-service first asked: no start was refused.");
        }
        if (egressCpu != null) {
            out.add(String.format(Locale.ROOT, "The machine was %.0f %% busy during the measured starts (%.2f of %d "
                    + "cores idle).", egressCpu.machineBusy() / egressCpu.cores() * 100, egressCpu.idle(),
                    egressCpu.cores()));
            out.addAll(egressCpu.caveats());
        }
        return out;
    }

    List<String> feedAnalysis() {
        List<String> out = new ArrayList<>();
        if (feed.skipped() != null) {
            return out;
        }
        double conditional = feedRps();
        double full = rate(feed.windows(), FEED_200);
        double cpu304 = cpuMicrosPerRequest(feed.conditionalCpu(), "recording-service", feed.windows(), FEED_304);
        double cpu200 = cpuMicrosPerRequest(feed.unconditionalCpu(), "recording-service", feed.windows(), FEED_200);
        out.add(String.format(Locale.ROOT, "With If-None-Match the service answered %.0f req/s (304, no body) at "
                + "%s µs of its CPU per request; without it %.0f req/s of the whole %,d-byte feed at %s µs per "
                + "request, %s× the throughput for the conditional requests.", conditional, Report.number(cpu304),
                full, feed.bodyBytes(), Report.number(cpu200), Report.number(conditional / full)));
        CpuMeter.Usage usage = feed.conditionalCpu();
        if (usage != null) {
            out.add(String.format(Locale.ROOT, "During the conditional windows recording-service used %.2f cores, "
                    + "PostgreSQL %.2f, the harness (client) %.2f, others %.2f, idle %.2f of %d: %s", usage.service(),
                    usage.postgres(), usage.harness(), usage.others(), usage.idle(), usage.cores(),
                    usage.idle() < 0.25 ? "the machine was saturated, so the throughput is the machine's share "
                            + "left to the service, and CPU per request is the figure to compare."
                            : "the machine had CPU to spare."));
            out.addAll(usage.caveats());
        }
        return out;
    }

    List<String> rangeAnalysis() {
        List<String> out = new ArrayList<>();
        if (range.skipped() != null) {
            return out;
        }
        List<Double> ratios = roundRatios();
        double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double cpuService = cpuMicrosPerRequest(range.serviceCpu(), "recording-service", range.windows(),
                RANGE_SERVICE);
        double cpuPeer = cpuMicrosPerRequest(range.peerCpu(), "Vert.x static-file peer", range.windows(), RANGE_PEER);
        out.add(String.format(Locale.ROOT, "The service served %s of the plain Vert.x server's range requests per "
                + "second over %d rounds (per round %s to %s). Server CPU per %d KiB range: service %s µs, peer %s µs "
                + "(ratio %s): the service's extra work per request is the authentication of the bearer token, the "
                + "session and recording lookups in PostgreSQL and the file's stat, around the same sendfile.",
                Report.number(rangeRatio()), ratios.size(), Report.number(min), Report.number(max),
                range.sliceBytes() / 1024, Report.number(cpuService), Report.number(cpuPeer),
                Report.number(cpuService / cpuPeer)));
        if (range.serviceCpu() != null) {
            out.addAll(range.serviceCpu().caveats());
        }
        return out;
    }

    // --- renderings --------------------------------------------------------------------------------------------------

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        if (settings.runs("egress")) {
            out.append(egressScheduleTable().text()).append('\n').append(egressLatencyTable().text()).append('\n');
            egressAnalysis().forEach(line -> out.append("egress: ").append(line).append('\n'));
            if (!errors.isEmpty()) {
                out.append("egress errors by cause: ").append(errors).append('\n');
            }
        }
        if (feed.skipped() != null) {
            out.append("feed: ").append(feed.skipped()).append('\n');
        } else {
            out.append(windowsTable(feed.windows(), 0).text()).append('\n');
            feedAnalysis().forEach(line -> out.append("feed: ").append(line).append('\n'));
        }
        if (range.skipped() != null) {
            out.append("range: ").append(range.skipped()).append('\n');
        } else {
            out.append(windowsTable(range.windows(), range.sliceBytes()).text()).append('\n');
            rangeAnalysis().forEach(line -> out.append("range: ").append(line).append('\n'));
        }
        out.append(goalsTable().text()).append('\n');
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: recording\n\n");
        md.append("Written by `./bench/run recording`; numbers from one run on a shared, noisy machine.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));

        md.append("\n## 1. Session start → egress at LiveKit\n\n");
        if (!settings.runs("egress")) {
            md.append("Not run (`--phases`).\n");
        } else {
            md.append(egressScheduleTable().markdown()).append('\n')
                    .append("Successful starts only (2xx start, StartRoomCompositeEgress accepted by the stub); the "
                            + "start request line also counts starts that failed later.\n\n")
                    .append(egressLatencyTable().markdown()).append('\n');
            egressAnalysis().forEach(line -> md.append("- ").append(line).append('\n'));
            if (egressCpu != null) {
                md.append("\nCPU over the measured starts (").append(fixed(egressCpu.wallSeconds()))
                        .append(" s), from /proc:\n\n").append(egressCpu.table("the measured starts",
                                "driver, Kafka broker, LiveKit stub, probe").markdown());
            }
            if (!errors.isEmpty()) {
                Table table = new Table("error", "count").textColumns(1);
                errors.forEach(table::row);
                md.append("\nErrors:\n\n").append(table.markdown());
            }
        }

        md.append("\n## 2. Podcast feed\n\n");
        if (feed.skipped() != null) {
            md.append("Skipped: ").append(feed.skipped()).append(".\n");
        } else {
            md.append("`GET /podcast/feeds/hosts/").append(RecordingBenchmark.FEED_HOST).append(".xml`, ")
                    .append(feed.episodes()).append(" items, ").append(feed.bodyBytes()).append(" bytes, ETag `")
                    .append(feed.etag()).append("`.\n\n").append(windowsTable(feed.windows(), 0).markdown())
                    .append('\n').append(totalsTable(feed.windows(), List.of(FEED_304, FEED_200),
                            Map.of(FEED_304, nullSafe(feed.conditionalCpu()), FEED_200,
                                    nullSafe(feed.unconditionalCpu())), "recording-service").markdown())
                    .append('\n');
            feedAnalysis().forEach(line -> md.append("- ").append(line).append('\n'));
            feed.notes().forEach(line -> md.append("- ").append(line).append('\n'));
            appendErrors(md, feed.windows());
        }

        md.append("\n## 3. Byte ranges of a recording file\n\n");
        if (range.skipped() != null) {
            md.append("Skipped: ").append(range.skipped()).append(".\n");
        } else {
            md.append("Random `Range: bytes=a-b` of ").append(range.sliceBytes() / 1024).append(" KiB within `")
                    .append(range.file()).append("` (").append(range.fileBytes()).append(" bytes).\n\n")
                    .append(windowsTable(range.windows(), range.sliceBytes()).markdown()).append('\n')
                    .append(totalsTable(range.windows(), List.of(RANGE_SERVICE, RANGE_PEER),
                            Map.of(RANGE_SERVICE, nullSafe(range.serviceCpu()), RANGE_PEER,
                                    nullSafe(range.peerCpu())), "recording-service").markdown())
                    .append('\n');
            rangeAnalysis().forEach(line -> md.append("- ").append(line).append('\n'));
            range.notes().forEach(line -> md.append("- ").append(line).append('\n'));
            appendErrors(md, range.windows());
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append('\n').append(resultLine()).append('\n');
        return md.toString();
    }

    /** An empty usage for a part that was not measured (its CPU cells say n/a). */
    private static CpuMeter.Usage nullSafe(CpuMeter.Usage usage) {
        return usage != null ? usage
                : new CpuMeter.Usage(0, Map.of(), 0, 0, 0, Runtime.getRuntime().availableProcessors(), Map.of());
    }

    private static void appendErrors(StringBuilder md, List<RecordingBenchmark.Window> windows) {
        Map<String, Long> causes = errorCauses(windows);
        if (causes.isEmpty()) {
            md.append("\nNo errors.\n");
            return;
        }
        Table table = new Table("target: cause", "count").textColumns(1);
        causes.forEach(table::row);
        md.append("\nErrors:\n\n").append(table.markdown());
    }

    private List<String> method() {
        List<String> method = new ArrayList<>();
        method.add("Infrastructure, all on 127.0.0.1: " + stack + ". The harness JVM holds the driver, the stub, "
                + "the Kafka probe and (by default) the Kafka broker.");
        method.add("Part 1 (egress): " + (settings.warmupSessions() + settings.sessions()) + " PUBLIC AUDIO sessions "
                + "with settings.recordingEnabled = true are created first (one host each, not measured); then "
                + settings.warmupSessions() + " are started at " + Report.trim(settings.warmupRate()) + "/s as a "
                + "warm-up and " + settings.sessions() + " at " + Report.trim(settings.rate()) + "/s measured, open "
                + "loop (start k at begin + k / rate, 8 sender threads; a late send is counted). Measured: from the "
                + "2xx response of POST /api/sessions/{id}/start, read by the harness (the session.started outbox "
                + "row is committed before the response is written, so this is at most the response's transit "
                + "after the commit), to the stub receiving the first StartRoomCompositeEgress for the room (room "
                + "name = session id) that it accepted (RecordedCall.receivedNanos, the same JVM's System.nanoTime). "
                + "Attempts the stub refused first (not_found: token-service had not created the room yet) are "
                + "counted. Also: from sending the start (an upper bound), the session.started record as a consumer "
                + "in the harness polls it, token-service's CreateRoom for the room, recording-service's first "
                + "attempt. A start without an accepted egress after " + settings.egressTimeout().toMillis()
                + " ms is an error. ANALYZE on the databases before and after the warm-up.");
        method.add("Part 2 (feed): " + settings.episodes() + " PUBLISHED, PUBLIC MP3 episodes of one host inserted "
                + "with SQL into recording-service's database (RecordingSeed: one recording_sessions row, one "
                + "recordings row per episode, the episodes rows), then GET /podcast/feeds/hosts/{host}.xml without "
                + "a token: a first GET for the ETag, then closed loops on " + settings.feedConnections()
                + " keep-alive connections (Vert.x HttpClient, " + settings.clientThreads() + " event loop(s); "
                + "latency = sent → whole response read, HdrHistogram), " + settings.feedRounds() + " rounds of "
                + "(If-None-Match: <ETag>, only 304 counts) then (unconditional, only 200 of the full length counts) "
                + "after a " + settings.feedWarmup().toSeconds() + " s warm-up of both in turn.");
        method.add("Part 3 (range): a " + settings.fileMb() + " MB file of random bytes written into the stub's egress "
                + "folder at <session>/<recording>-bench.mp3, and a COMPLETE MP3 output pointing at it "
                + "(/out/<session>/<recording>-bench.mp3) inserted with SQL with its recording and a PUBLIC session "
                + "(simpler than a real egress of that length; the file endpoint only reads the row and the file). "
                + "Random Range: bytes=a-(a+" + (settings.sliceKib() * 1024 - 1) + ") requests with a bearer token "
                + "to GET /api/sessions/{session}/recordings/{rid}/files/mp3 (only 206 with the full slice counts), "
                + "and the same ranges to RangeFloorServer: a plain Vert.x HTTP server in its own JVM with 2 × cores "
                + "server instances (as Quarkus' event loops) answering with sendFile(file, offset, length). "
                + settings.rangeRounds() + " rounds A B (service window, peer window) of "
                + Harness.seconds(settings.rangeDuration().dividedBy(settings.rangeRounds())) + " s each on "
                + settings.rangeConnections() + " connections after " + settings.rangeWarmup().toSeconds()
                + " s of warm-up each in 5 s turns. range_ratio = service req/s ÷ peer req/s over all rounds.");
        method.add("Server CPU µs per request: the server process's CPU (from /proc, its threads and children) over "
                + "the windows of one target divided by that target's successful requests.");
        return method;
    }
}
