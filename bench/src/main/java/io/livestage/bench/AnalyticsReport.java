package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Console table and Markdown report of {@code ./bench/run analytics}. */
public final class AnalyticsReport {
    static final double GOAL_EVENTS_PER_SECOND = 50_000;
    static final double GOAL_LIVE_P99_MS = 1_000;

    private final Report.Machine machine;
    private final AnalyticsSettings settings;
    private final AnalyticsBenchmark.Loaded loaded;
    private final List<AnalyticsBenchmark.PlainRun> plains;
    private final List<AnalyticsBenchmark.ServiceRun> services;
    private final AnalyticsBenchmark.LiveRun live;
    private final List<OtherProcesses.Usage> othersLive;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;

    AnalyticsReport(Report.Machine machine, AnalyticsSettings settings, AnalyticsBenchmark.Loaded loaded,
            List<AnalyticsBenchmark.PlainRun> plains, List<AnalyticsBenchmark.ServiceRun> services,
            AnalyticsBenchmark.LiveRun live, List<OtherProcesses.Usage> othersLive, String stack, List<String> notes,
            String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.loaded = loaded;
        this.plains = List.copyOf(plains);
        this.services = List.copyOf(services);
        this.live = live;
        this.othersLive = List.copyOf(othersLive);
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage;
    }

    AnalyticsBenchmark.Loaded loaded() {
        return loaded;
    }

    List<AnalyticsBenchmark.PlainRun> plains() {
        return plains;
    }

    List<AnalyticsBenchmark.ServiceRun> services() {
        return services;
    }

    AnalyticsBenchmark.LiveRun live() {
        return live;
    }

    // --- headline figures ------------------------------------------------------------------------------------------

    private List<AnalyticsBenchmark.ServiceRun> measuredServices() {
        return services.stream().filter(s -> s.failure() == null && s.progress() != null && s.progress().caughtUp())
                .toList();
    }

    private List<AnalyticsBenchmark.PlainRun> measuredPlains() {
        return plains.stream().filter(p -> p.done() != null && p.done().windowNanos() > 0).toList();
    }

    /** Service events/s over every round that caught up: events after the first commit ÷ the windows' time. */
    double serviceEventsPerSecond() {
        List<AnalyticsBenchmark.ServiceRun> runs = measuredServices();
        if (runs.isEmpty()) {
            return Double.NaN;
        }
        double events = runs.stream().mapToDouble(r -> r.progress().eventsInWindow()).sum();
        double seconds = runs.stream().mapToDouble(r -> r.progress().windowSeconds()).sum();
        return seconds > 0 ? events / seconds : Double.NaN;
    }

    double plainEventsPerSecond() {
        List<AnalyticsBenchmark.PlainRun> runs = measuredPlains();
        if (runs.isEmpty()) {
            return Double.NaN;
        }
        double events = runs.stream().mapToDouble(r -> r.done().eventsInWindow()).sum();
        double seconds = runs.stream().mapToDouble(r -> r.done().windowNanos() / 1e9).sum();
        return seconds > 0 ? events / seconds : Double.NaN;
    }

    double ratio() {
        return serviceEventsPerSecond() / plainEventsPerSecond();
    }

    /** Service CPU seconds per 1,000 events over the measured windows. */
    double serviceCpuPer1000() {
        double cpu = 0;
        double events = 0;
        for (AnalyticsBenchmark.ServiceRun r : measuredServices()) {
            if (Double.isNaN(r.progress().cpuSeconds())) {
                return Double.NaN;
            }
            cpu += r.progress().cpuSeconds();
            events += r.progress().eventsInWindow();
        }
        return events > 0 ? cpu / events * 1000 : Double.NaN;
    }

    double plainCpuPer1000() {
        double cpu = 0;
        double events = 0;
        for (AnalyticsBenchmark.PlainRun r : measuredPlains()) {
            cpu += r.done().cpuNanosInWindow() / 1e9;
            events += r.done().eventsInWindow();
        }
        return events > 0 ? cpu / events * 1000 : Double.NaN;
    }

    double liveP99Ms() {
        return live.skipped() != null || live.latency() == null ? Double.NaN
                : Report.percentileMs(live.latency().measured(), 99);
    }

    String resultLine() {
        double rate = serviceEventsPerSecond();
        return "RESULT events_per_s=" + (Double.isNaN(rate) ? "n/a" : Long.toString(Math.round(rate)))
                + " live_p99_ms=" + Report.number(liveP99Ms()) + " ratio_vs_plain=" + Report.number(ratio());
    }

    private static String metAtLeast(double measured, double goal) {
        return Double.isNaN(measured) ? "not measured" : measured >= goal ? "met" : "NOT met";
    }

    private static String rate(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String cpu3(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    // --- console -----------------------------------------------------------------------------------------------------

    public String console() {
        StringBuilder out = new StringBuilder("\nanalytics\n\n");
        Table table = new Table("system", "events/s", "CPU s per 1,000 events");
        table.row("analytics-service (Kafka Streams, exactly_once_v2)", rate(serviceEventsPerSecond()),
                cpu3(serviceCpuPer1000()));
        table.row("plain KafkaConsumer (decode + count)", rate(plainEventsPerSecond()), cpu3(plainCpuPer1000()));
        out.append(table.text()).append('\n');
        if (live.skipped() == null && live.latency() != null) {
            Histogram h = live.latency().measured();
            out.append(String.format(Locale.ROOT, "live: %d messages to %d sessions, p50 %s ms, p95 %s ms, p99 %s ms,"
                    + " max %s ms, %d lost%n%n", h.getTotalCount(), live.sessions(), Report.ms(h, 50),
                    Report.ms(h, 95), Report.ms(h, 99), Report.maxMs(h), live.latency().measuredLost(live.sent())));
        } else {
            out.append("live: ").append(live.skipped()).append("\n\n");
        }
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    // --- markdown ----------------------------------------------------------------------------------------------------

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: analytics\n\n");
        md.append("Written by `./bench/run analytics`; numbers from one run on a shared, noisy machine.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        goals(md);
        method(md);
        settingsSection(md);
        throughput(md);
        liveSection(md);
        othersSection(md);
        analysis(md);
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        md.append("## Command\n\n```bash\n./bench/run analytics\n```\n\n");
        md.append(resultLine()).append('\n');
        return md.toString();
    }

    private void goals(StringBuilder md) {
        md.append("## Goals\n\n");
        Table goals = new Table("goal", "target", "measured", "met").textColumns(4);
        double rate = serviceEventsPerSecond();
        goals.row("events/s consumed by analytics-service from a whole log", "≥ 50,000", rate(rate),
                metAtLeast(rate, GOAL_EVENTS_PER_SECOND));
        double p99 = liveP99Ms();
        goals.row("chat message sent → SSE frame counting it, p99", "≤ 1,000 ms", Report.withUnit(p99, " ms"),
                Report.met(p99, GOAL_LIVE_P99_MS));
        goals.row("events/s, analytics-service ÷ plain KafkaConsumer (no goal; for scale)", "-",
                Report.number(ratio()), "-");
        md.append(goals.markdown()).append('\n');
    }

    private void method(StringBuilder md) {
        AnalyticsLog.Totals t = loaded.totals();
        md.append("## Method\n\n");
        md.append("- Infrastructure, all on 127.0.0.1: ").append(stack).append(". The harness JVM holds the load "
                + "generator, the progress poller, the SSE subscribers and (by default) the Kafka broker.\n");
        md.append(String.format(Locale.ROOT, "- **The log** (`AnalyticsLog`, seed %d): %,d ended sessions of 20 to 60 "
                + "minutes started over the day before, %,d events in all, CloudEvents as session-service and "
                + "chat-service publish them (encoded with `CloudEventCodec`, key = session id, per-topic per-session "
                + "sequences): on `livestage.session` `session.started` and `session.ended` of each session; on "
                + "`livestage.chat` `viewer.presence` JOINED/LEFT pairs of each connection (the host's own first; "
                + "viewers 80 %% signed in, drawn from a pool of 0.7 × connections users so some reconnect, 20 %% "
                + "anonymous), `chat.message` and `chat.reaction` bursts, weights %s. Every event lies inside its "
                + "session's live window, so each session's unique viewers, messages and reactions are known. "
                + "Produced in event-time order across sessions, before anything reads it.\n", settings.seed(),
                settings.sessions(), t.events(), settings.mix()));
        md.append("- **Throughput**: analytics-service is started after the log is in Kafka, with a fresh "
                + "application id (so its Kafka Streams application reads both topics from the beginning) and a "
                + "fresh database. An `Admin` client polls `listConsumerGroupOffsets(<application id>)` every "
                + settings.progressEvery().toMillis() + " ms against the end offsets read once after producing. "
                + "Window = the first poll that sees any committed offset → the first poll that sees every "
                + "partition of both topics committed to its end; events/s = records committed after the first "
                + "poll ÷ the window (the service's start-up, its rebalance and the records before its first "
                + "commit are outside it). CPU s per 1,000 events = the service process's CPU time (ProcessHandle) "
                + "over the window ÷ the window's events × 1,000. Afterwards: the final statistics the service "
                + "records (PostgreSQL `session_stats`, " + settings.finalDelay().toMillis() + " ms after a session's "
                + "last event) are counted until every session has one, `livestage_analytics_events_total` is read "
                + "from `/q/metrics`, and " + settings.checkSessions() + " sessions' statistics are read back as "
                + "their hosts (`GET /api/sessions/{id}/analytics`) and compared with the log.\n");
        md.append("- **Plain consumer** (peer, `PlainAnalyticsConsumer`, its own JVM on the harness's classpath and "
                + "JDK, -Xmx512m): a `KafkaConsumer` with the client's defaults, no group, nothing committed, every "
                + "partition of both topics assigned from the beginning; each record decoded with `CloudEventCodec` "
                + "against its topic's sealed type, as the topology does, and counted per session in memory "
                + "(distinct viewers from presence, messages, reactions), until its positions reach the end offsets "
                + "the harness passed it. Window = first non-empty poll → end offsets reached; events/s = records "
                + "after the first poll ÷ the window; CPU = its process CPU over the window. It runs before the "
                + "service in each round, on the same log, with nothing else of the run active.\n");
        md.append(String.format(Locale.ROOT, "- **Live latency**: with the service caught up, %d new live sessions "
                + "(`session.started` a minute ago, two viewers joined); one SSE subscriber per session as its host "
                + "(`GET /api/sessions/{id}/analytics/events`, bearer RS256 test token, JDK HttpClient, a virtual "
                + "thread each, parsed by `SseParser`). Then chat messages produced to `livestage.chat` open loop at "
                + "%s/s in all, round robin over the sessions (linger 0): %d warm-up, then %d measured. For each "
                + "message the send time is recorded just before `send`; an SSE frame whose `chat.messages` "
                + "reaches n resolves the n-th message of its session (counted from the first frame) at the time "
                + "of the socket read that completed the frame: latency = that read − send (HdrHistogram, µs, one "
                + "JVM clock). The service polls each subscribed session every %d ms (LIVESTAGE_ANALYTICS_LIVE_POLL,"
                + " its default 250 ms). Messages not counted %d ms after the last one are lost.\n",
                settings.liveSessions(), Report.trim(settings.liveRate()), settings.warmupMessages(),
                settings.measuredMessages(), settings.livePoll().toMillis(), settings.frameGrace().toMillis()));
        md.append("- Rounds: " + settings.rounds() + " (each: plain consumer, then a fresh analytics-service); the "
                + "headline figures are over all rounds (events ÷ time). " + (settings.jfr()
                        ? "A JFR profile (`settings=profile`, started with jcmd right after the first commit) of "
                                + "the last round's service."
                        : "No JFR profile (`--jfr=false`).") + "\n\n");
    }

    private void settingsSection(StringBuilder md) {
        md.append("## Settings\n\n");
        Table s = new Table("knob", "value").textColumns(2);
        s.row("--sessions", settings.sessions());
        s.row("--events", settings.events());
        s.row("--mix", settings.mix());
        s.row("--seed", settings.seed());
        s.row("--rounds", settings.rounds());
        s.row("--phases", String.join(",", AnalyticsSettings.ALL_PHASES.stream().filter(settings::runs).toList()));
        s.row("--progress-ms", settings.progressEvery().toMillis());
        s.row("--final-delay", Report.trim(settings.finalDelay().toMillis() / 1000.0) + " s");
        s.row("--live-sessions", settings.liveSessions());
        s.row("--live-rate", Report.trim(settings.liveRate()) + " messages/s");
        s.row("--live-warmup / --live-duration", Report.trim(settings.liveWarmup().toMillis() / 1000.0) + " s / "
                + Report.trim(settings.liveDuration().toMillis() / 1000.0) + " s");
        s.row("--live-poll-ms", settings.livePoll().toMillis());
        s.row("--service-java-opts", settings.serviceJavaOpts().isBlank() ? "(none)" : settings.serviceJavaOpts());
        s.row("--jfr", settings.jfr());
        md.append(s.markdown()).append('\n');
    }

    private void throughput(StringBuilder md) {
        AnalyticsLog.Totals t = loaded.totals();
        md.append("## 1. Throughput over the whole log\n\n");
        Table log = new Table("the log", "events").textColumns(1);
        log.row("session.started + session.ended", t.sessionEvents());
        log.row("viewer.presence (JOINED + LEFT of " + t.connections() + " connections)", t.presenceEvents());
        log.row("chat.message", t.messages());
        log.row("chat.reaction bursts (" + t.reactions() + " reactions)", t.reactionEvents());
        log.row("in all", t.events());
        log.row("records in the two topics after producing", loaded.inTopics());
        md.append(log.markdown()).append('\n');
        md.append(String.format(Locale.ROOT, "Produced in %.1f s (%,.0f events/s, the harness's producer; not a "
                + "measured figure). Unique viewers over all sessions: %,d.%n%n", loaded.seconds(),
                loaded.produced() / loaded.seconds(), t.viewers()));

        Table rounds = new Table("round", "system", "events/s", "window s", "events in the window",
                "CPU s per 1,000 events", "cores used (CPU s ÷ window)", "start-up s").textColumns(2);
        int max = Math.max(plains.size(), services.size());
        for (int i = 0; i < max; i++) {
            if (i < plains.size()) {
                AnalyticsBenchmark.PlainRun p = plains.get(i);
                if (p.done() == null) {
                    rounds.row(p.round(), "plain KafkaConsumer", "failed: " + p.failure(), "-", "-", "-", "-", "-");
                } else {
                    double window = p.done().windowNanos() / 1e9;
                    double cpu = p.done().cpuNanosInWindow() / 1e9;
                    rounds.row(p.round(), "plain KafkaConsumer", rate(p.done().eventsPerSecond()),
                            Report.fixed(window), p.done().eventsInWindow(),
                            cpu3(cpu / p.done().eventsInWindow() * 1000), Report.fixed(cpu / window),
                            "JVM " + Report.fixed(p.wallSeconds() - window) + " s outside the window");
                }
            }
            if (i < services.size()) {
                AnalyticsBenchmark.ServiceRun s = services.get(i);
                GroupProgress.Outcome o = s.progress();
                if (s.failure() != null || o == null) {
                    rounds.row(s.round(), "analytics-service", "failed: " + s.failure(), "-", "-", "-", "-",
                            Report.number(s.startupSeconds()));
                } else {
                    rounds.row(s.round(), "analytics-service", rate(o.eventsPerSecond()),
                            Report.fixed(o.windowSeconds()), o.eventsInWindow(),
                            cpu3(o.cpuSeconds() / o.eventsInWindow() * 1000),
                            Report.fixed(o.cpuSeconds() / o.windowSeconds()), Report.fixed(s.startupSeconds()));
                }
            }
        }
        rounds.row("all", "analytics-service", rate(serviceEventsPerSecond()), "", "", cpu3(serviceCpuPer1000()), "",
                "");
        rounds.row("all", "plain KafkaConsumer", rate(plainEventsPerSecond()), "", "", cpu3(plainCpuPer1000()), "",
                "");
        md.append(rounds.markdown()).append('\n');
        md.append("ratio_vs_plain (events/s, analytics-service ÷ plain consumer, all rounds): **")
                .append(Report.number(ratio())).append("**; CPU per event, analytics-service ÷ plain consumer: ")
                .append(Report.number(serviceCpuPer1000() / plainCpuPer1000())).append(".\n\n");

        md.append("### Correctness\n\n");
        Table c = new Table("check", "expected (the log)", "found").textColumns(1);
        for (AnalyticsBenchmark.PlainRun p : plains) {
            if (p.done() == null) {
                continue;
            }
            SessionCounts.Totals found = p.done().totals();
            String r = " (plain, round " + p.round() + ")";
            c.row("records read" + r, loaded.inTopics(), found.events());
            c.row("sessions" + r, settings.sessions(), found.sessions());
            c.row("unique viewers, summed over sessions" + r, t.viewers(), found.viewers());
            c.row("chat messages" + r, t.messages(), found.messages());
            c.row("reactions" + r, t.reactions(), found.reactions());
            c.row("undecodable records" + r, 0, found.skipped());
        }
        for (AnalyticsBenchmark.ServiceRun s : services) {
            if (s.failure() != null) {
                continue;
            }
            String r = " (service, round " + s.round() + ")";
            c.row("events counted (livestage_analytics_events_total)" + r, loaded.inTopics(),
                    Double.isNaN(s.eventsCounted()) ? "n/a" : Long.toString(Math.round(s.eventsCounted())));
            if (s.finals() != null) {
                c.row("final statistics recorded in PostgreSQL" + r, s.finals().expected(),
                        s.finals().recorded() + " (" + Report.trim1(s.finals().secondsAfterCaughtUp())
                                + " s after catching up)");
            }
            if (s.checks() != null) {
                c.row("sessions read back matching the log (viewers, messages, reactions)" + r, s.checks().checked(),
                        s.checks().matched());
            }
        }
        md.append(c.markdown()).append('\n');
        for (AnalyticsBenchmark.ServiceRun s : services) {
            if (s.checks() != null && !s.checks().mismatches().isEmpty()) {
                md.append("Mismatches (round ").append(s.round()).append("):\n\n");
                s.checks().mismatches().stream().limit(10).forEach(m -> md.append("- ").append(m).append('\n'));
                md.append('\n');
            }
        }

        AnalyticsBenchmark.ServiceRun lastRun = services.isEmpty() ? null : services.getLast();
        if (lastRun != null && lastRun.cpu() != null) {
            md.append("### Where the CPU went (round ").append(lastRun.round()).append(", the service's window)\n\n");
            md.append(lastRun.cpu().table("the window", "progress poller, in-JVM Kafka broker").markdown())
                    .append('\n');
            Table threads = lastRun.cpu().threadTable(AnalyticsBenchmark.SERVICE);
            if (threads != null) {
                md.append(threads.markdown()).append('\n');
            }
        }
        if (lastRun != null && lastRun.profile() != null) {
            JfrProfile.Summary p = lastRun.profile();
            md.append("### JFR profile of analytics-service (round ").append(lastRun.round()).append(")\n\n");
            md.append(String.format(Locale.ROOT, "%d CPU samples (jdk.ExecutionSample); GC pauses: %d, %.1f ms in all, "
                    + "longest %.1f ms. Recording: `%s`.%n%n", p.samples(), p.gcPauses(), p.gcPauseMillis(),
                    p.gcMaxPauseMillis(), "bench/target/analytics/" + p.file().getFileName()));
            for (Map.Entry<String, Table> table : JfrProfile.tables(p).entrySet()) {
                md.append("**").append(table.getKey()).append("**\n\n").append(table.getValue().markdown())
                        .append('\n');
            }
        }
        if (lastRun != null && lastRun.waits() != null) {
            JfrWaits.Summary w = lastRun.waits();
            md.append("### Where the stream thread waited (JFR, round ").append(lastRun.round()).append(")\n\n");
            md.append(String.format(Locale.ROOT, "`%s`: its jdk.ThreadPark, jdk.JavaMonitorWait and "
                    + "jdk.JavaMonitorEnter events of 1 ms or more over the %.1f s recording, by cause (waiting "
                    + "inside the consumer's socket select has no event and is not listed).%n%n", w.thread(),
                    w.recordingSeconds()));
            md.append(JfrWaits.table(w).markdown()).append('\n');
        }
    }

    private void liveSection(StringBuilder md) {
        md.append("## 2. Live latency\n\n");
        if (live.skipped() != null) {
            md.append("Skipped: ").append(live.skipped()).append("\n\n");
            return;
        }
        LiveLatency l = live.latency();
        Table t = new Table("chat message sent → SSE frame counting it", "count", "p50 ms", "p95 ms", "p99 ms",
                "p99.9 ms", "max ms");
        Histogram m = l.measured();
        Histogram w = l.warm();
        t.row("measured", m.getTotalCount(), Report.ms(m, 50), Report.ms(m, 95), Report.ms(m, 99),
                Report.ms(m, 99.9), Report.maxMs(m));
        t.row("warm-up (not measured)", w.getTotalCount(), Report.ms(w, 50), Report.ms(w, 95), Report.ms(w, 99),
                Report.ms(w, 99.9), Report.maxMs(w));
        md.append(t.markdown()).append('\n');
        Table c = new Table("live", "value").textColumns(1);
        c.row("sessions / subscribers with a first frame", live.sessions() + " / " + live.subscribed());
        c.row("time until every session answered its host's GET (after session.started was produced)",
                Report.fixed(live.secondsToReady()) + " s");
        c.row("messages sent (warm-up + measured)", live.sent());
        c.row("measured rate achieved", Report.fixed(live.achievedRate()) + " /s");
        c.row("measured messages sent more than 10 ms late", live.late());
        c.row("measured messages lost (no frame counted them)", l.measuredLost(live.sent()));
        c.row("frames received / frames that counted new messages", l.frames() + " / " + l.changingFrames());
        c.row("frames whose data had no chat.messages", live.unreadable());
        c.row("subscription failures", live.failures().isEmpty() ? "none" : live.failures().toString());
        c.row("streams ended by the server", live.endedStreams());
        if (live.cpu() != null) {
            double cores = live.cpu().services().getOrDefault(AnalyticsBenchmark.SERVICE, 0.0);
            c.row("analytics-service cores used during the measured messages", Report.fixed(cores));
            c.row("analytics-service CPU µs per measured message (incl. recomputing every subscribed session each "
                    + settings.livePoll().toMillis() + " ms)",
                    Report.fixed(cores * live.cpu().wallSeconds() * 1e6 / Math.max(1, l.measuredCount())));
        }
        md.append(c.markdown()).append('\n');
    }

    private void othersSection(StringBuilder md) {
        md.append("## What else ran\n\n");
        md.append("Processes outside this run (not the harness or its children) that used CPU during the measured "
                + "windows, from /proc:\n\n");
        boolean any = false;
        for (AnalyticsBenchmark.ServiceRun s : services) {
            if (!s.others().isEmpty()) {
                any = true;
                md.append(othersTable("throughput window, round " + s.round(), s.others()).markdown()).append('\n');
            }
        }
        if (!othersLive.isEmpty()) {
            any = true;
            md.append(othersTable("live measured window", othersLive).markdown()).append('\n');
        }
        if (!any) {
            md.append("none measurable.\n\n");
        }
        AnalyticsBenchmark.ServiceRun lastRun = services.isEmpty() ? null : services.getLast();
        if (lastRun != null && lastRun.cpu() != null) {
            for (String caveat : lastRun.cpu().caveats()) {
                md.append("- ").append(caveat).append('\n');
            }
            md.append('\n');
        }
    }

    private static Table othersTable(String window, List<OtherProcesses.Usage> others) {
        Table t = new Table(window + ": process", "processes", "cores used").textColumns(1);
        others.forEach(o -> t.row(o.what(), o.processes(), Report.fixed(o.cores())));
        return t;
    }

    private void analysis(StringBuilder md) {
        md.append("## Analysis\n\n");
        List<String> lines = new ArrayList<>();
        double rate = serviceEventsPerSecond();
        double cpu = serviceCpuPer1000();
        double plainCpu = plainCpuPer1000();
        int cores = machine.cores();
        if (!Double.isNaN(rate)) {
            lines.add(String.format(Locale.ROOT, "Throughput: %,.0f events/s, %s the 50,000 goal%s.", rate,
                    rate >= GOAL_EVENTS_PER_SECOND ? "meeting" : "short of",
                    rate >= GOAL_EVENTS_PER_SECOND ? ""
                            : String.format(Locale.ROOT, " (%.2f× would be needed)", GOAL_EVENTS_PER_SECOND / rate)));
        }
        if (!Double.isNaN(cpu)) {
            lines.add(String.format(Locale.ROOT, "analytics-service spends %.3f CPU s per 1,000 events (%.1f µs per "
                    + "event), the plain consumer %.3f (%.1f µs): %.1f× the CPU per event. At %.1f µs per event the "
                    + "service needs %.2f cores for 50,000 events/s; this machine has %d, shared with the broker, "
                    + "the harness and other work.", cpu, cpu * 1000, plainCpu, plainCpu * 1000, cpu / plainCpu,
                    cpu * 1000, cpu * 50, cores));
        }
        AnalyticsBenchmark.ServiceRun lastRun = services.isEmpty() ? null : services.getLast();
        if (lastRun != null && lastRun.cpu() != null && lastRun.progress() != null) {
            CpuMeter.Usage u = lastRun.cpu();
            lines.add(String.format(Locale.ROOT, "During the service's window (round %d) the service used %.2f cores, "
                    + "the harness JVM (poller and, by default, the Kafka broker) %.2f, everything else %.2f, idle "
                    + "%.2f of %d.", lastRun.round(), u.service(), u.harness(), u.others(), u.idle(), u.cores()));
            // /proc shows 15 characters of a thread's name: the stream thread is "<application id>-<uuid>-StreamThread-1"
            String prefix = lastRun.applicationId().substring(0, Math.min(15, lastRun.applicationId().length()));
            double stream = u.threads(prefix);
            double jit = u.threads("C2 Compiler") + u.threads("C1 Compiler");
            lines.add(String.format(Locale.ROOT, "Its Kafka Streams stream thread used %.2f cores (the JIT compilers "
                    + "%.2f): the application runs one stream thread (num.stream.threads defaults to 1), so "
                    + "consumption, decoding, the topology, changelog production and the exactly-once commits of "
                    + "all 6 tasks share one core at most; a stream thread near 1.00 is the ceiling of this "
                    + "configuration, one well below it means the machine (or waiting on Kafka) held it back.",
                    stream, jit));
        }
        if (lastRun != null && lastRun.waits() != null && lastRun.cpu() != null && lastRun.progress() != null) {
            JfrWaits.Summary w = lastRun.waits();
            String prefix = lastRun.applicationId().substring(0, Math.min(15, lastRun.applicationId().length()));
            double window = lastRun.progress().windowSeconds();
            double running = lastRun.cpu().threads(prefix) * lastRun.cpu().wallSeconds();
            double blocked = w.totalSeconds();
            lines.add(String.format(Locale.ROOT, "Of the %.1f s window the stream thread was on a CPU for %.1f s and "
                    + "blocked for %.1f s (JFR, %.1f s recording): %.1f s writing final statistics to PostgreSQL "
                    + "from the punctuator (%d writes, each one transaction awaited on the stream thread), %.1f s in "
                    + "commits (flushing changelog records and committing the transaction), %.1f s in producer sends, "
                    + "%.1f s elsewhere; the remaining ~%.1f s it waited "
                    + "for fetches (socket select, no JFR event) or was runnable without a free core.", window,
                    running, blocked, w.recordingSeconds(), w.seconds(JfrWaits.FINAL_STATS),
                    w.rows().stream().filter(r -> r.cause().equals(JfrWaits.FINAL_STATS)).mapToLong(JfrWaits.Row::count)
                            .sum(), w.seconds(JfrWaits.EOS_COMMIT), w.seconds(JfrWaits.PRODUCE),
                    blocked - w.seconds(JfrWaits.FINAL_STATS) - w.seconds(JfrWaits.EOS_COMMIT)
                            - w.seconds(JfrWaits.PRODUCE), Math.max(0, window - running - blocked)));
        }
        if (lastRun != null && lastRun.profile() != null && !lastRun.profile().activities().isEmpty()) {
            StringBuilder top = new StringBuilder();
            lastRun.profile().activities().stream().limit(5).forEach(r -> top.append(top.isEmpty() ? "" : ", ")
                    .append(r.name()).append(' ').append(Report.percent(r.share())));
            lines.add("Where the service's CPU samples fall (JFR, by activity): " + top + ".");
        } else if (settings.jfr()) {
            lines.add("No JFR profile could be read (see the log lines of the run).");
        } else {
            lines.add("No JFR profile was taken (`--jfr=false`).");
        }
        if (live.skipped() == null && live.latency() != null) {
            Histogram m = live.latency().measured();
            lines.add(String.format(Locale.ROOT, "Live: p50 %s ms, p99 %s ms against a goal of 1,000 ms; the "
                    + "service recomputes a subscribed session's statistics every %d ms, so up to that much of each "
                    + "latency is waiting for the next poll (uniform: about half of it on average).",
                    Report.ms(m, 50), Report.ms(m, 99), settings.livePoll().toMillis()));
        }
        lines.forEach(l -> md.append("- ").append(l).append('\n'));
        md.append('\n');
    }
}
