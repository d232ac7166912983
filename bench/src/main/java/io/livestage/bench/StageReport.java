package io.livestage.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.ms;
import static io.livestage.bench.Report.percentileMs;
import static io.livestage.bench.Report.trim1;

/**
 * The stage results: a console summary and {@code docs/benchmarks/stage.md}, whose last line is
 * {@code RESULT approve_p99_ms=<n>}.
 */
public final class StageReport {
    public static final double GOAL_P99_MS = 100;
    public static final double SEED_P99_MS = 500;
    static final String APPROVE_SERVER = "session-service: POST …/stage-requests/{id}/approve";
    static final String UPDATE_CALL = "token-service: LiveKit UpdateParticipant call (SDK, incl. retries)";

    static final String END_TO_END = "approve sent → UpdateParticipant at LiveKit";
    static final String FROM_RESPONSE = "approve 2xx received → UpdateParticipant at LiveKit";
    static final String APPROVE = "approve request (sent → 2xx read)";
    static final String TO_EVENT = "approve sent → guest.approved polled from Kafka";
    static final String EVENT_TO_UPDATE = "guest.approved polled → UpdateParticipant at LiveKit";

    private final Report.Machine machine;
    private final StageSettings settings;
    private final List<StageBenchmark.Approval> approvals;
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private final CpuMeter.Usage cpu;
    private final ServerTimes times;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;
    private final long ok;
    private final long late;
    private final long maxSlipMicros;
    private final long eventAfterUpdate;

    StageReport(Report.Machine machine, StageSettings settings, List<StageBenchmark.Approval> approvals,
            Function<String, Optional<Long>> polledAt, CpuMeter.Usage cpu, ServerTimes times, String stack, List<String> notes,
            String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.approvals = List.copyOf(approvals);
        this.cpu = cpu;
        this.times = times;
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
        for (String name : List.of(END_TO_END, FROM_RESPONSE, APPROVE, TO_EVENT, EVENT_TO_UPDATE)) {
            histograms.put(name, new Histogram(OpStats.HIGHEST_MICROS, 3));
        }
        long good = 0;
        long lateSends = 0;
        long maxSlip = 0;
        long eventLate = 0;
        for (StageBenchmark.Approval a : approvals) {
            if (a.sent > 0) {
                long slip = Math.max(0, a.sent - a.scheduled) / 1_000;
                maxSlip = Math.max(maxSlip, slip);
                if (a.sent - a.scheduled > StageBenchmark.LATE_NANOS) {
                    lateSends++;
                }
            }
            if (a.approveOk) {
                record(APPROVE, a.responded - a.sent);
            }
            if (a.error != null) {
                errors.merge(a.error, 1L, Long::sum);
                continue;
            }
            good++;
            record(END_TO_END, a.update - a.sent);
            record(FROM_RESPONSE, a.update - a.responded);
            Optional<Long> polled = polledAt.apply(a.identity);
            if (polled.isPresent()) {
                record(TO_EVENT, polled.get() - a.sent);
                if (polled.get() > a.update) {
                    eventLate++;
                }
                record(EVENT_TO_UPDATE, a.update - polled.get());
            }
        }
        this.ok = good;
        this.late = lateSends;
        this.maxSlipMicros = maxSlip;
        this.eventAfterUpdate = eventLate;
    }

    private void record(String name, long nanos) {
        histograms.get(name).recordValue(Math.min(OpStats.HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
    }

    public double p99Ms() {
        return percentileMs(histograms.get(END_TO_END), 99);
    }

    public String resultLine() {
        return "RESULT approve_p99_ms=" + Report.number(p99Ms());
    }

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double p99 = p99Ms();
        table.row("approve sent → UpdateParticipant at LiveKit, p99", "≤ " + trim1(GOAL_P99_MS) + " ms",
                Report.withUnit(p99, " ms"), Report.met(p99, GOAL_P99_MS));
        table.row("the same, as the seeds asked", "< " + trim1(SEED_P99_MS) + " ms", Report.withUnit(p99, " ms"),
                Double.isNaN(p99) ? "not measured" : p99 < SEED_P99_MS ? "met" : "NOT met");
        return table;
    }

    public Table latencyTable() {
        Table table = new Table("path", "count", "p50 ms", "p99 ms", "p99.9 ms", "max ms").textColumns(1);
        histograms.forEach((name, h) -> table.row(name, h.getTotalCount(), ms(h, 50), ms(h, 99), ms(h, 99.9),
                Report.maxMs(h)));
        return table;
    }

    public Table scheduleTable() {
        long total = approvals.size();
        Table table = new Table("approvals", "value").textColumns(1);
        table.row("scheduled", total);
        table.row("reached LiveKit with canPublish (ok)", ok);
        table.row("errors", total - ok);
        table.row("rate", Report.trim(settings.rate()) + "/s");
        table.row("sent more than " + StageBenchmark.LATE_NANOS / 1_000_000 + " ms after their scheduled time", late);
        table.row("largest delay behind schedule", fixed(maxSlipMicros / 1000.0) + " ms");
        return table;
    }

    public Table serverTimesTable() {
        Table table = new Table("timer (the services' own Micrometer timers, measured phase only)", "count", "mean ms");
        for (String name : List.of(APPROVE_SERVER, UPDATE_CALL)) {
            table.row(name, Math.round(times.count(name)), Report.number(times.meanMs(name)));
        }
        return table;
    }

    List<String> analysis() {
        List<String> out = new ArrayList<>();
        Histogram approve = histograms.get(APPROVE);
        Histogram toEvent = histograms.get(TO_EVENT);
        Histogram eventToUpdate = histograms.get(EVENT_TO_UPDATE);
        Histogram endToEnd = histograms.get(END_TO_END);
        if (endToEnd.getTotalCount() > 0 && toEvent.getTotalCount() > 0) {
            double p50Approve = percentileMs(approve, 50);
            double p50Event = percentileMs(toEvent, 50);
            double p50Update = percentileMs(eventToUpdate, 50);
            out.add(String.format(Locale.ROOT, "At the median, an approval spends %.2f ms in the approve request "
                    + "(session-service: authorization, the transaction that makes the viewer a GUEST and writes the "
                    + "guest.approved outbox row, commit), %.2f ms more until the event is on Kafka and polled by a "
                    + "consumer (outbox relay woken on commit, produce, fetch), and %.2f ms from there to LiveKit "
                    + "(token-service's consumer: the @Blocking worker, the processed-event check in its database, "
                    + "the SDK's UpdateParticipant over HTTP). End to end p50 %.2f ms, p99 %.2f ms.",
                    p50Approve, Math.max(0, p50Event - p50Approve), p50Update, percentileMs(endToEnd, 50), p99Ms()));
            out.add("The split uses the harness's own consumer (no group, every partition, poll timeout "
                    + settings.pollTimeout().toMillis() + " ms) as a stand-in for the moment token-service's consumer "
                    + "can see the event; it polls in parallel with token-service, so it is an estimate"
                    + (eventAfterUpdate > 0 ? " (for " + eventAfterUpdate + " approvals the harness polled the event "
                            + "after LiveKit already had the update; counted as 0 in the last row)" : "") + ".");
        }
        if (endToEnd.getTotalCount() > 0) {
            double p99Approve = percentileMs(approve, 99);
            double p99Update = percentileMs(eventToUpdate, 99);
            double p99Event = percentileMs(toEvent, 99);
            out.add(String.format(Locale.ROOT, "In the tail, p99: the approve request alone %.2f ms, approve → event "
                    + "polled %s ms, event → LiveKit %s ms, end to end %.2f ms — %s.", p99Approve,
                    Report.number(p99Event), Report.number(p99Update), p99Ms(),
                    p99Approve >= p99Update ? "the slow approvals are mostly slow approve requests at session-service"
                            : "the slow approvals are mostly slow on token-service's side (consumer, LiveKit call)"));
        }
        double call = times.meanMs(UPDATE_CALL);
        if (!Double.isNaN(call)) {
            out.add(String.format(Locale.ROOT, "token-service timed its UpdateParticipant calls at %.2f ms on average "
                    + "(SDK → stub → answer).", call));
        }
        if (cpu != null) {
            boolean saturated = cpu.idle() < 0.25;
            out.add(String.format(Locale.ROOT, "The machine was %.0f %% busy during the measured phase (%.2f of %d "
                    + "cores idle)%s", cpu.machineBusy() / cpu.cores() * 100, cpu.idle(), cpu.cores(), saturated
                            ? ": little CPU to spare, so part of these latencies is waiting for a core."
                            : String.format(Locale.ROOT, ": at %s approvals/s nothing is saturated, so these latencies "
                                    + "are the path's own, not queueing.", Report.trim(settings.rate()))));
            out.addAll(cpu.caveats());
        }
        return out;
    }

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        out.append(scheduleTable().text()).append('\n').append(latencyTable().text()).append('\n')
                .append(serverTimesTable().text()).append('\n');
        if (cpu != null) {
            out.append(cpu.table("the measured phase", "driver, Kafka broker, LiveKit stub, probe").text()).append('\n');
        }
        analysis().forEach(line -> out.append("where the time goes: ").append(line).append('\n'));
        if (!errors.isEmpty()) {
            out.append("errors by cause: ").append(errors).append('\n');
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
        StringBuilder md = new StringBuilder("# Benchmark: stage\n\n");
        md.append("Written by `./bench/run stage`; numbers from one run on a shared, noisy machine.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Approvals\n\n").append(scheduleTable().markdown());
        md.append("\n## Latency\n\nSuccessful approvals only (2xx approve, UpdateParticipant with canPublish received "
                + "by the stub); the approve request line also counts approvals that failed later.\n\n")
                .append(latencyTable().markdown());
        md.append("\n## Where the time goes\n\n");
        analysis().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append('\n').append(serverTimesTable().markdown());
        if (cpu != null) {
            md.append("\nCPU seconds per wall second over the measured phase (").append(fixed(cpu.wallSeconds()))
                    .append(" s), from /proc.\n\n")
                    .append(cpu.table("the measured phase", "driver, Kafka broker, LiveKit stub, probe").markdown());
            for (String service : cpu.services().keySet()) {
                Table threads = cpu.threadTable(service);
                if (threads != null) {
                    md.append("\nBusiest threads of ").append(service)
                            .append(" (names as Linux keeps them, 15 characters):\n\n").append(threads.markdown());
                }
            }
        }
        md.append("\n## Errors\n\n");
        if (errors.isEmpty()) {
            md.append("None: every approval reached LiveKit.\n");
        } else {
            Table table = new Table("cause", "count").textColumns(1);
            errors.forEach(table::row);
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
        method.add("Set-up: " + settings.sessions() + " live VIDEO sessions (maxGuests 20, approval required), each "
                + "created, started and joined by its own host; token-service created their rooms at the LiveKit stub "
                + "before anything was measured.");
        method.add("One approval, on one lane per session, one viewer at a time: the previous viewer leaves "
                + "(POST /api/sessions/{id}/leave, and disconnects from the stub); a new viewer with its own RS256 "
                + "bearer joins (POST /api/sessions/{id}/join) and connects (stub.join(room, identity)), raises a hand "
                + "(POST /api/sessions/{id}/stage-requests); at its scheduled time the host sends POST "
                + "/api/sessions/{id}/stage-requests/{rid}/approve. Measured: from just before sending the approve "
                + "(System.nanoTime) to the stub receiving UpdateParticipant for that identity "
                + "(RecordedCall.receivedNanos: the same JVM's clock), which must carry canPublish. Also shown: from "
                + "the approve's 2xx response to the update (0 when the update came first), and the split at the "
                + "guest.approved event as a Kafka consumer in the harness polls it.");
        method.add("Schedule: open loop at a steady " + Report.trim(settings.rate()) + " approvals/s (approval k at "
                + "start + k / rate, lanes taking turns), " + settings.approvals() + " measured approvals after a "
                + "warm-up of " + settings.warmupApprovals() + " at " + Report.trim(settings.warmupRate())
                + "/s. A lane still busy with its previous approval sends late; late sends are counted above. "
                + "An UpdateParticipant not received within " + settings.updateTimeout().toMillis() + " ms is an "
                + "error. ANALYZE on both databases before and after the warm-up.");
        method.add("Infrastructure, all on 127.0.0.1: " + stack + ". The driver (JDK HttpClient, HTTP/1.1), the stub, "
                + "the probe and (by default) the Kafka broker share the harness JVM.");
        return method;
    }
}
