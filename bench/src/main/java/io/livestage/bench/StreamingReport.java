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
 * The streaming results: a console summary and {@code docs/benchmarks/streaming.md}, whose last line is
 * {@code RESULT status_p99_ms=<n> hls_ratio=<n>} ({@code n/a} for a part that was skipped).
 */
public final class StreamingReport {
    public static final double GOAL_STATUS_P99_MS = 100;
    public static final double GOAL_HLS_RATIO = 0.9;

    static final String HLS_SERVICE = "recording-service /hls";
    static final String HLS_PEER = "Vert.x Web StaticHandler";
    static final String PEER_PART = "Vert.x static-file peer";

    private final Report.Machine machine;
    private final StreamingSettings settings;
    private final String session;
    private final StreamingBenchmark.SseOutcome sse;
    private final StreamingBenchmark.HlsOutcome hls;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;

    StreamingReport(Report.Machine machine, StreamingSettings settings, String session,
            StreamingBenchmark.SseOutcome sse, StreamingBenchmark.HlsOutcome hls, String stack, List<String> notes,
            String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.session = session;
        this.sse = sse;
        this.hls = hls;
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
    }

    // --- headline figures --------------------------------------------------------------------------------------------

    /** p99 of quality change sent → event at a subscriber, over every measured pair; NaN when skipped. */
    public double statusP99Ms() {
        return sse.changes() == null ? Double.NaN : percentileMs(sse.changes().measured(), 99);
    }

    /** Service ÷ peer segment requests per second over all rounds; NaN when skipped. */
    public double hlsRatio() {
        double peer = RecordingReport.rate(hls.windows(), HLS_PEER);
        return Double.isNaN(peer) || peer == 0 ? Double.NaN : RecordingReport.rate(hls.windows(), HLS_SERVICE) / peer;
    }

    public String resultLine() {
        return "RESULT status_p99_ms=" + Report.number(statusP99Ms()) + " hls_ratio=" + Report.number(hlsRatio());
    }

    /** recording-service's CPU µs per measured change over the changes window, and net of its idle rate. */
    double[] cpuMicrosPerChange() {
        CpuMeter.Usage changes = sse.changesCpu();
        if (changes == null || sse.changes() == null || !changes.services().containsKey("recording-service")) {
            return new double[] { Double.NaN, Double.NaN };
        }
        int count = sse.changes().measuredCount();
        double cores = changes.services().get("recording-service");
        double gross = cores * changes.wallSeconds() * 1e6 / count;
        CpuMeter.Usage idle = sse.idleCpu();
        double idleCores = idle == null ? Double.NaN : idle.services().getOrDefault("recording-service", Double.NaN);
        double net = Double.isNaN(idleCores) ? Double.NaN
                : Math.max(0, cores - idleCores) * changes.wallSeconds() * 1e6 / count;
        return new double[] { gross, net };
    }

    /** Per-round ratios service ÷ peer of the hls part, in round order. */
    List<Double> roundRatios() {
        Map<Integer, double[]> rounds = new LinkedHashMap<>();
        for (RecordingBenchmark.Window w : hls.windows()) {
            double[] pair = rounds.computeIfAbsent(w.round(), r -> new double[2]);
            pair[w.target().equals(HLS_SERVICE) ? 0 : 1] = w.result().okPerSecond();
        }
        List<Double> out = new ArrayList<>();
        rounds.values().forEach(pair -> out.add(pair[1] == 0 ? Double.NaN : pair[0] / pair[1]));
        return out;
    }

    // --- tables ------------------------------------------------------------------------------------------------------

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double p99 = statusP99Ms();
        table.row("quality change sent → event at each of " + settings.subscribers() + " subscribers, p99",
                "≤ " + trim1(GOAL_STATUS_P99_MS) + " ms",
                Double.isNaN(p99) ? skippedCell(sse.skipped()) : Report.withUnit(p99, " ms"),
                Report.met(p99, GOAL_STATUS_P99_MS));
        table.row("lost status events", "0", sse.changes() == null ? skippedCell(sse.skipped())
                : Long.toString(sse.lost()), sse.changes() == null ? "not measured" : sse.lost() == 0 ? "met"
                        : "NOT met");
        double ratio = hlsRatio();
        table.row("HLS segment requests/s, service ÷ plain Vert.x StaticHandler", "≥ " + GOAL_HLS_RATIO,
                Double.isNaN(ratio) ? skippedCell(hls.skipped()) : fixed(ratio),
                Double.isNaN(ratio) ? "not measured" : ratio >= GOAL_HLS_RATIO ? "met" : "NOT met");
        return table;
    }

    private static String skippedCell(String skipped) {
        return skipped == null ? "n/a" : skipped.startsWith("endpoint not available") ? "skipped (404)" : "skipped";
    }

    Table subscribersTable() {
        StreamSubscribers.OpenOutcome open = sse.open();
        Histogram first = open.firstEventMicros();
        Table table = new Table("subscribers", "value").textColumns(1);
        table.row("opened", settings.subscribers());
        table.row("ready (first event received)", open.ready());
        table.row("failed to open", open.failed() + (open.failures().isEmpty() ? "" : " " + open.failures()));
        table.row("no first event within the open timeout", open.pending());
        table.row("time to open all", open.millis() + " ms");
        table.row("GET → first event p50 / p99 / max", ms(first, 50) + " / " + ms(first, 99) + " / "
                + Report.maxMs(first) + " ms");
        table.row("initial preset (subscribers)", open.initialPresets().toString());
        table.row("Content-Type", String.valueOf(sse.contentType()));
        table.row("connected when the measured changes began", sse.readyAtStart());
        table.row("streams ended or failed afterwards", sse.dropped().isEmpty() ? "0" : sse.dropped().toString());
        return table;
    }

    Table changesTable() {
        QualityChanges changes = sse.changes();
        Histogram put = sse.putMicros();
        Table table = new Table("quality changes", "value").textColumns(1);
        table.row("warm-up (not measured)", changes.warmup());
        table.row("measured", changes.measuredCount());
        table.row("interval", settings.interval().toMillis() + " ms");
        table.row("measured PUTs sent more than " + StreamingBenchmark.LATE_NANOS / 1_000_000
                + " ms after their scheduled time", sse.lateSends());
        table.row("PUT sent → 200 read, p50 / p99 / max", ms(put, 50) + " / " + ms(put, 99) + " / "
                + Report.maxMs(put) + " ms");
        table.row("PUT errors (whole run)", sse.putErrors().isEmpty() ? "0" : sse.putErrors().toString());
        return table;
    }

    Table latencyTable() {
        QualityChanges changes = sse.changes();
        Histogram measured = changes.measured();
        Histogram warm = changes.warm();
        Table table = new Table("PUT sent → event with that preset at a subscriber", "count", "p50 ms", "p99 ms",
                "p99.9 ms", "max ms").textColumns(1);
        table.row("measured (subscriber, change) pairs", measured.getTotalCount(), ms(measured, 50), ms(measured, 99),
                ms(measured, 99.9), Report.maxMs(measured));
        table.row("warm-up pairs", warm.getTotalCount(), ms(warm, 50), ms(warm, 99), ms(warm, 99.9),
                Report.maxMs(warm));
        return table;
    }

    Table deliveryTable() {
        QualityChanges changes = sse.changes();
        Table table = new Table("deliveries", "count").textColumns(1);
        table.row("expected (subscribers connected at the start × measured changes)", sse.expected());
        table.row("delivered", changes.measuredDelivered());
        table.row("lost", sse.lost());
        table.row("skipped over by a later change's event (whole run, part of lost when measured)",
                changes.skipped.sum());
        table.row("events matching no sent change (not timed)", changes.unmatched.sum());
        table.row("events repeating a version already seen", changes.repeats.sum());
        table.row("changes seen with different versions by different subscribers", changes.inconsistentVersions.sum());
        table.row("events of another type than `" + StreamSubscribers.EVENT_TYPE + "`", sse.otherEventTypes());
        table.row("events whose data was not a JSON object", sse.unreadableEvents());
        table.row("events after the first, before the first change", sse.eventsBeforeChanges());
        return table;
    }

    Table perChangeTable() {
        QualityChanges changes = sse.changes();
        Table table = new Table("change", "preset", "version", "PUT", "PUT ms", "delivered", "first ms", "p50 ms",
                "p99 ms", "max ms").textColumns(2);
        for (int k = changes.warmup(); k < changes.size(); k++) {
            Histogram h = changes.perChange(k);
            long put = changes.respondedNanos(k) - changes.sentNanos(k);
            table.row(k - changes.warmup() + 1, changes.preset(k), changes.version(k) < 0 ? "-" : changes.version(k),
                    changes.status(k) == 0 ? "failed" : changes.status(k),
                    changes.respondedNanos(k) == 0 ? "-" : fixed(put / 1e6), changes.delivered(k),
                    h.getTotalCount() == 0 ? "-" : fixed(h.getMinValue() / 1000.0), ms(h, 50), ms(h, 99),
                    Report.maxMs(h));
        }
        return table;
    }

    Table sseCpuTable() {
        double[] perChange = cpuMicrosPerChange();
        CpuMeter.Usage changes = sse.changesCpu();
        CpuMeter.Usage idle = sse.idleCpu();
        Table table = new Table("recording-service CPU", "value").textColumns(1);
        table.row("cores used, idle with the subscribers connected", idle == null ? "n/a"
                : fixed(idle.services().getOrDefault("recording-service", Double.NaN)));
        table.row("cores used over the measured changes (" + (changes == null ? "-" : fixed(changes.wallSeconds()))
                + " s)", changes == null ? "n/a" : fixed(changes.services().getOrDefault("recording-service",
                        Double.NaN)));
        table.row("µs per change", Report.number(perChange[0]));
        table.row("µs per change, net of the idle rate", Report.number(perChange[1]));
        table.row("µs per delivered event, net of the idle rate", Report.number(sse.readyAtStart() == 0 ? Double.NaN
                : perChange[1] / sse.readyAtStart()));
        return table;
    }

    Table hlsTotalsTable() {
        Table table = new Table("target", "requests", "ok/s", "MB/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                "server CPU µs per request").textColumns(1);
        for (String target : List.of(HLS_SERVICE, HLS_PEER)) {
            Histogram h = RecordingReport.histogram(hls.windows(), target);
            double rps = RecordingReport.rate(hls.windows(), target);
            boolean peer = target.equals(HLS_PEER);
            table.row(target, RecordingReport.okCount(hls.windows(), target), Report.number(rps),
                    Report.number(rps * hls.segments().meanBytes() / 1e6), ms(h, 50), ms(h, 99), ms(h, 99.9),
                    Report.maxMs(h), Report.number(RecordingReport.cpuMicrosPerRequest(peer ? hls.peerCpu()
                            : hls.serviceCpu(), peer ? PEER_PART : "recording-service", hls.windows(), target)));
        }
        return table;
    }

    Table headersTable() {
        Table table = new Table("response", HLS_SERVICE, HLS_PEER).textColumns(3);
        StreamingBenchmark.Probe s = hls.service();
        StreamingBenchmark.Probe p = hls.peer();
        table.row("playlist Content-Type", s.playlistType(), p.playlistType());
        table.row("playlist bytes as written", s.playlistAsWritten() ? "yes" : "no", p.playlistAsWritten() ? "yes"
                : "no");
        table.row("segment Content-Type", s.segmentType(), p.segmentType());
        table.row("segment Cache-Control", s.cacheControl(), p.cacheControl());
        table.row("Access-Control-Allow-Origin (Origin: " + StreamingBenchmark.PROBE_ORIGIN + ")", s.cors(),
                p.cors());
        return table;
    }

    // --- analysis ----------------------------------------------------------------------------------------------------

    List<String> sseAnalysis() {
        List<String> out = new ArrayList<>();
        if (sse.changes() == null) {
            return out;
        }
        Histogram measured = sse.changes().measured();
        if (measured.getTotalCount() > 0) {
            out.add(String.format(Locale.ROOT, "Over %d measured changes to %d subscribers, the event carrying the "
                    + "new preset reached a subscriber %s ms after the PUT was sent at the median, %s ms at p99 and "
                    + "%s ms at worst; the PUT itself took %s ms at the median (the event can arrive before the "
                    + "PUT's response).", sse.changes().measuredCount(), sse.readyAtStart(), ms(measured, 50),
                    ms(measured, 99), Report.maxMs(measured), ms(sse.putMicros(), 50)));
        }
        if (sse.lost() > 0) {
            out.add(sse.lost() + " of " + sse.expected() + " expected deliveries never arrived (see the per-change "
                    + "table for which changes).");
        }
        double[] perChange = cpuMicrosPerChange();
        if (!Double.isNaN(perChange[1]) && sse.readyAtStart() > 0) {
            out.add(String.format(Locale.ROOT, "recording-service spent %s µs of CPU per change net of its idle "
                    + "rate (%s µs gross), %s µs per delivered event.", Report.number(perChange[1]),
                    Report.number(perChange[0]), Report.number(perChange[1] / sse.readyAtStart())));
        }
        CpuMeter.Usage usage = sse.changesCpu();
        if (usage != null) {
            out.add(String.format(Locale.ROOT, "The machine was %.0f %% busy during the measured changes (%.2f of %d "
                    + "cores idle).", usage.machineBusy() / usage.cores() * 100, usage.idle(), usage.cores()));
            out.addAll(usage.caveats());
        }
        return out;
    }

    List<String> hlsAnalysis() {
        List<String> out = new ArrayList<>();
        if (hls.skipped() != null) {
            return out;
        }
        List<Double> ratios = roundRatios();
        double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double cpuService = RecordingReport.cpuMicrosPerRequest(hls.serviceCpu(), "recording-service", hls.windows(),
                HLS_SERVICE);
        double cpuPeer = RecordingReport.cpuMicrosPerRequest(hls.peerCpu(), PEER_PART, hls.windows(), HLS_PEER);
        out.add(String.format(Locale.ROOT, "recording-service served %s of the plain Vert.x server's segment "
                + "requests per second over %d rounds (per round %s to %s). Server CPU per segment (%.0f KB mean): "
                + "service %s µs, peer %s µs (ratio %s).", Report.number(hlsRatio()), ratios.size(),
                Report.number(min), Report.number(max), hls.segments().meanBytes() / 1000, Report.number(cpuService),
                Report.number(cpuPeer), Report.number(cpuService / cpuPeer)));
        CpuMeter.Usage usage = hls.serviceCpu();
        if (usage != null) {
            out.add(String.format(Locale.ROOT, "During the service's windows recording-service used %.2f cores, "
                    + "the harness (client) %.2f, PostgreSQL %.2f, others %.2f, idle %.2f of %d: %s",
                    usage.services().getOrDefault("recording-service", 0.0), usage.harness(), usage.postgres(),
                    usage.others(), usage.idle(), usage.cores(), usage.idle() < 0.25
                            ? "the machine was saturated, so CPU per request is the figure to compare."
                            : "the machine had CPU to spare."));
            out.addAll(usage.caveats());
        }
        return out;
    }

    // --- renderings --------------------------------------------------------------------------------------------------

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        if (sse.changes() == null) {
            out.append("sse: ").append(sse.skipped()).append('\n');
        } else {
            out.append(subscribersTable().text()).append('\n').append(latencyTable().text()).append('\n')
                    .append(deliveryTable().text()).append('\n').append(sseCpuTable().text()).append('\n');
            sseAnalysis().forEach(line -> out.append("sse: ").append(line).append('\n'));
        }
        if (hls.skipped() != null) {
            out.append("hls: ").append(hls.skipped()).append('\n');
        } else {
            out.append(RecordingReport.windowsTable(hls.windows(), Math.round(hls.segments().meanBytes())).text())
                    .append('\n').append(hlsTotalsTable().text()).append('\n');
            hlsAnalysis().forEach(line -> out.append("hls: ").append(line).append('\n'));
        }
        out.append(goalsTable().text()).append('\n');
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: streaming\n\n");
        md.append("Written by `./bench/run streaming`; numbers from one run on a shared, noisy machine.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));

        md.append("\n## 1. Status events to ").append(settings.subscribers()).append(" subscribers\n\n");
        if (sse.changes() == null) {
            md.append("Skipped: ").append(sse.skipped()).append(".\n");
        } else {
            md.append(subscribersTable().markdown()).append('\n').append(changesTable().markdown()).append('\n')
                    .append(latencyTable().markdown()).append('\n').append(deliveryTable().markdown()).append('\n')
                    .append(sseCpuTable().markdown()).append('\n');
            sseAnalysis().forEach(line -> md.append("- ").append(line).append('\n'));
            sse.notes().forEach(line -> md.append("- ").append(line).append('\n'));
            if (sse.changesCpu() != null) {
                md.append("\nCPU over the measured changes (").append(fixed(sse.changesCpu().wallSeconds()))
                        .append(" s), from /proc:\n\n").append(sse.changesCpu().table("the measured changes",
                                "subscribers, sender, Kafka broker, LiveKit stub").markdown());
            }
            md.append("\nBy change (measured only; first: the earliest subscriber, i.e. the service's path from the PUT "
                    + "to its first write, the rest is the fan-out):\n\n").append(perChangeTable().markdown());
        }

        md.append("\n## 2. HLS segments\n\n");
        if (hls.skipped() != null) {
            md.append("Skipped: ").append(hls.skipped()).append(".\n");
        } else {
            md.append(String.format(Locale.ROOT, "%d segments of %.0f KB mean (%d to %d bytes) and `%s` in `%s`, "
                    + "requested at random as `GET /hls/%s/<segment>`.%n%n", hls.segments().names().size(),
                    hls.segments().meanBytes() / 1000, hls.segments().sizes().stream().mapToLong(Long::longValue)
                            .min().orElse(0), hls.segments().sizes().stream().mapToLong(Long::longValue).max()
                                    .orElse(0), hls.segments().playlist(), hls.folder(), session))
                    .append(RecordingReport.windowsTable(hls.windows(), Math.round(hls.segments().meanBytes()))
                            .markdown()).append('\n').append(hlsTotalsTable().markdown()).append('\n');
            hlsAnalysis().forEach(line -> md.append("- ").append(line).append('\n'));
            hls.notes().forEach(line -> md.append("- ").append(line).append('\n'));
            md.append("\nWhat each server answered to the probe GETs:\n\n").append(headersTable().markdown());
            Map<String, Long> causes = RecordingReport.errorCauses(hls.windows());
            if (causes.isEmpty()) {
                md.append("\nNo errors.\n");
            } else {
                Table table = new Table("target: cause", "count").textColumns(1);
                causes.forEach(table::row);
                md.append("\nErrors:\n\n").append(table.markdown());
            }
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
        method.add("Infrastructure, all on 127.0.0.1: " + stack + ". The harness JVM holds the subscribers, the "
                + "sender, the HLS load client, the LiveKit stub and (by default) the Kafka broker.");
        method.add("Session: `POST /api/sessions` with `" + settings.sessionJson() + "` and `POST "
                + "/api/sessions/{id}/start` at session-service as the host (an RS256 test token), then `GET "
                + "/api/sessions/{id}/stream` at recording-service every 100 ms until it answers 200 with "
                + "`\"status\":\"live\"` (at most " + settings.liveTimeout().toSeconds() + " s; recording-service "
                + "learns of the session from Kafka).");
        method.add("Part 1 (sse): " + settings.subscribers() + " subscribers `GET /api/sessions/{id}/stream/events` "
                + "(`Accept: text/event-stream`, no token: a PUBLIC session), one HTTP/1.1 connection each, from one "
                + "Vert.x HttpClient (pool of one connection per subscriber, " + settings.clientThreads()
                + " event loop(s)), " + settings.connectConcurrency() + " opening at a time; a subscriber is ready "
                + "when its first event (the current status) has arrived. The host then sends `PUT "
                + "/api/sessions/{id}/stream/quality` `{\"quality\":\"<preset>\"}` with its bearer token, alternating "
                + "720p and 1080p (starting with the one the stream does not have), one every "
                + settings.interval().toMillis() + " ms, open loop from one sender thread: "
                + settings.warmupChanges() + " warm-up changes, " + settings.idleCpu().toSeconds() + " s idle (CPU "
                + "baseline), then " + settings.changes() + " measured. Measured per (subscriber, change): from just "
                + "before the PUT is written to the socket read that completes that subscriber's `event: "
                + StreamSubscribers.EVENT_TYPE + "` whose `quality.preset` is the preset just set (one JVM, one "
                + "clock; events parsed incrementally as the WHATWG standard defines, the JSON with a streaming "
                + "parser). An event carrying a later change's preset counts the changes skipped as lost; events "
                + "still missing " + settings.eventGrace().toMillis() + " ms after the last change are lost.");
        method.add("recording-service CPU per change: its process CPU (from /proc, threads and children) over the "
                + "measured changes (first PUT to the last subscriber's last event) divided by the changes, and the "
                + "same net of its CPU rate while idle with the subscribers connected.");
        method.add("Part 2 (hls): a media playlist and " + settings.segments() + " MPEG-TS segments of "
                + settings.segmentMinKib() + " to " + settings.segmentMaxKib() + " KiB (188-byte packets starting "
                + "with 0x47, random payload) written into `<storage>/hls/<session>/`; closed loops on "
                + settings.hlsConnections() + " keep-alive connections (Vert.x HttpClient, whole body read and its "
                + "length and first byte checked; only 200 counts), each request for a segment at random, against "
                + "recording-service's `GET /hls/{session}/{file}` and against HlsFloorServer: Vert.x Web's "
                + "StaticHandler with a CorsHandler on the same folder in its own JVM, 2 × cores server instances "
                + "(as Quarkus' event loops), its default caching headers, `video/mp2t` for `.ts`. "
                + settings.hlsRounds() + " rounds A B (service window, peer window) of "
                + Harness.seconds(settings.hlsDuration().dividedBy(settings.hlsRounds())) + " s each after "
                + settings.hlsWarmup().toSeconds() + " s of warm-up each in 5 s turns. hls_ratio = service req/s ÷ "
                + "peer req/s over all rounds; server CPU µs per request = the server process's CPU over its windows "
                + "÷ its successful requests.");
        return method;
    }
}
