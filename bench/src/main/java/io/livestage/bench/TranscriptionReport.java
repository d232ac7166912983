package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.HdrHistogram.Histogram;

import io.livestage.bench.TranscriptionBenchmark.Bytes;
import io.livestage.bench.TranscriptionBenchmark.Split;
import io.livestage.bench.TranscriptionBenchmark.WindowResult;
import io.livestage.bench.TranscriptionLoad.Group;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.percentileMs;

/**
 * The transcription results: a console summary and {@code docs/benchmarks/transcription.md}, whose last line is
 * {@code RESULT relay_p99_ms=<n> caption_p99_ms=<n>}.
 */
public final class TranscriptionReport {
    /** Goals from issue 6. */
    public static final double GOAL_RELAY_P99_MS = 2;
    public static final double GOAL_CAPTION_P99_MS = 20;
    /** The published anchor: Gladia's own partial latency (BENCHMARKS.md), for scale. */
    static final double GLADIA_PARTIAL_MS = 100;

    static final String RELAY = "relay: harness write → stub read";
    static final String INTENDED = "relay from the intended send time (incl. the harness's lateness)";
    static final String SEND_LAG = "harness: intended send time → write";

    private final Report.Machine machine;
    private final TranscriptionSettings settings;
    private final List<WindowResult> windows;
    private final List<Bytes> bytes;
    private final List<Split> splits;
    private final CpuMeter.Usage serviceCpu;
    private final CpuMeter.Usage floorCpu;
    private final Table harnessThreads;
    private final List<JfrProfile.Summary> profiles;
    private final String stack;
    private final List<String> notes;
    private final String loadAverage;
    private final String loadDuring;

    TranscriptionReport(Report.Machine machine, TranscriptionSettings settings, List<WindowResult> windows,
            List<Bytes> bytes, List<Split> splits, CpuMeter.Usage serviceCpu, CpuMeter.Usage floorCpu,
            Table harnessThreads, List<JfrProfile.Summary> profiles, String stack, List<String> notes, String loadAverage, String loadDuring) {
        this.machine = machine;
        this.settings = settings;
        this.windows = List.copyOf(windows);
        this.bytes = List.copyOf(bytes);
        this.splits = List.copyOf(splits);
        this.serviceCpu = serviceCpu;
        this.floorCpu = floorCpu;
        this.harnessThreads = harnessThreads;
        this.profiles = List.copyOf(profiles);
        this.stack = stack;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
        this.loadDuring = loadDuring == null ? "" : loadDuring;
    }

    // ------------------------------------------------------------------------------------------------------------
    // figures

    private List<WindowResult> of(Group group) {
        return windows.stream().filter(w -> w.group() == group).toList();
    }

    private static Histogram merge(List<WindowResult> from, Function<WindowResult, Histogram> pick) {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        from.forEach(w -> h.add(pick.apply(w)));
        return h;
    }

    Histogram relay() {
        return merge(of(Group.SERVICE), WindowResult::relay);
    }

    Histogram floorRelay() {
        return merge(of(Group.FLOOR), WindowResult::relay);
    }

    Histogram caption() {
        return merge(of(Group.SERVICE), WindowResult::captionAll);
    }

    Histogram captionPartial() {
        return merge(of(Group.SERVICE), WindowResult::captionPartial);
    }

    Histogram captionFinal() {
        return merge(of(Group.SERVICE), WindowResult::captionFinal);
    }

    Histogram floorCaption() {
        return merge(of(Group.FLOOR), WindowResult::floorCaption);
    }

    public double relayP99Ms() {
        return percentileMs(relay(), 99);
    }

    public double captionP99Ms() {
        return percentileMs(caption(), 99);
    }

    boolean bytesEqual() {
        return !bytes.isEmpty() && bytes.stream().allMatch(Bytes::equal);
    }

    public String resultLine() {
        return "RESULT relay_p99_ms=" + Report.number(relayP99Ms()) + " caption_p99_ms=" + Report.number(captionP99Ms());
    }

    /** Milliseconds with three decimals (sub-millisecond relay figures), {@code -} for none. */
    static String ms3(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentile)
                / 1000.0);
    }

    static String max3(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", h.getMaxValue() / 1000.0);
    }

    private static Object[] row(String name, long count, Histogram h) {
        return new Object[] { name, count, ms3(h, 50), ms3(h, 90), ms3(h, 99), ms3(h, 99.9), max3(h) };
    }

    private static Table latency(String first) {
        return new Table(first, "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms").textColumns(1);
    }

    // ------------------------------------------------------------------------------------------------------------
    // tables

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double relay = relayP99Ms();
        double caption = captionP99Ms();
        table.row("relay: audio-in → stub, p99 (" + settings.speakers() + " speakers in real time)",
                "≤ " + Report.trim1(GOAL_RELAY_P99_MS) + " ms", Report.withUnit(relay, " ms"),
                Report.met(relay, GOAL_RELAY_P99_MS));
        table.row("caption: transcript at the stub → caption frame at a viewer, p99", "≤ "
                + Report.trim1(GOAL_CAPTION_P99_MS) + " ms", Report.withUnit(caption, " ms"),
                Report.met(caption, GOAL_CAPTION_P99_MS));
        long sent = bytes.stream().filter(b -> b.group() == Group.SERVICE).mapToLong(Bytes::sent).sum();
        long counted = bytes.stream().filter(b -> b.group() == Group.SERVICE).mapToLong(Bytes::counted).sum();
        table.row("audio bytes: sent by the speakers = counted by the stub", "equal", String.format(Locale.ROOT,
                "%,d / %,d", sent, counted), bytes.stream().filter(b -> b.group() == Group.SERVICE)
                        .allMatch(Bytes::equal) && sent > 0 ? "met" : "NOT met");
        return table;
    }

    public Table relayTable() {
        Table table = latency("window: path");
        for (WindowResult w : windows) {
            table.row(row(w.label() + ": " + (w.group() == Group.SERVICE ? "transcription-service" : "floor relay"),
                    w.relay().getTotalCount(), w.relay()));
        }
        table.row(row("all service windows: transcription-service", relay().getTotalCount(), relay()));
        if (!of(Group.FLOOR).isEmpty()) {
            table.row(row("all floor windows: plain relay", floorRelay().getTotalCount(), floorRelay()));
        }
        table.row(row("service windows, " + INTENDED, merge(of(Group.SERVICE), WindowResult::intendedToStub)
                .getTotalCount(), merge(of(Group.SERVICE), WindowResult::intendedToStub)));
        return table;
    }

    /** transcription-service ÷ floor, per round and in all (p50 and p99). */
    public Table relayRatioTable() {
        Table table = new Table("round", "service p50 ms", "floor p50 ms", "p50 ratio", "service p99 ms",
                "floor p99 ms", "p99 ratio");
        List<WindowResult> service = of(Group.SERVICE);
        for (WindowResult s : service) {
            WindowResult f = of(Group.FLOOR).stream().filter(x -> x.round() == s.round()).findFirst().orElse(null);
            if (f != null) {
                table.row(s.round(), ms3(s.relay(), 50), ms3(f.relay(), 50), ratio(s.relay(), f.relay(), 50),
                        ms3(s.relay(), 99), ms3(f.relay(), 99), ratio(s.relay(), f.relay(), 99));
            }
        }
        table.row("all", ms3(relay(), 50), ms3(floorRelay(), 50), ratio(relay(), floorRelay(), 50), ms3(relay(), 99),
                ms3(floorRelay(), 99), ratio(relay(), floorRelay(), 99));
        return table;
    }

    private static String ratio(Histogram a, Histogram b, double p) {
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0 || b.getValueAtPercentile(p) == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f×", a.getValueAtPercentile(p) / (double) b.getValueAtPercentile(p));
    }

    public Table captionTable() {
        Table table = latency("window: captions");
        for (WindowResult w : of(Group.SERVICE)) {
            table.row(row(w.label() + ": partials", w.captionPartial().getTotalCount(), w.captionPartial()));
            table.row(row(w.label() + ": finals", w.captionFinal().getTotalCount(), w.captionFinal()));
            table.row(row(w.label() + ": all", w.captionAll().getTotalCount(), w.captionAll()));
        }
        table.row(row("all service windows: partials", captionPartial().getTotalCount(), captionPartial()));
        table.row(row("all service windows: finals", captionFinal().getTotalCount(), captionFinal()));
        table.row(row("all service windows: all", caption().getTotalCount(), caption()));
        if (!of(Group.FLOOR).isEmpty()) {
            table.row(row("floor: stub → relay → speaker socket (one hop back)", floorCaption().getTotalCount(),
                    floorCaption()));
        }
        return table;
    }

    public Table deliveriesTable() {
        Table table = new Table("window", "transcripts at the stub", "of which partials", "caption frames expected",
                "received", "missing", "duplicates");
        for (WindowResult w : windows) {
            table.row(w.label(), w.transcripts(), w.partials(), w.expectedDeliveries(), w.deliveries(),
                    Math.max(0, w.expectedDeliveries() - w.deliveries()), w.duplicates());
        }
        return table;
    }

    public Table scheduleTable() {
        Table table = new Table("window", "seconds", "chunks written", "chunks/s", "at the stub", "late (> "
                + TranscriptionLoad.LATE_NANOS / 1_000_000 + " ms)", "send lag p50 ms", "p99 ms", "max ms");
        for (WindowResult w : windows) {
            table.row(w.label(), fixed(w.seconds()), w.chunksSent(), Report.trim1(w.chunksSent() / Math.max(1e-9,
                    w.seconds())), w.chunksAtStub(), w.lateSends(), ms3(w.sendLag(), 50), ms3(w.sendLag(), 99),
                    max3(w.sendLag()));
        }
        return table;
    }

    public Table bytesTable() {
        Table table = new Table("streams", "count", "bytes sent by the harness", "bytes counted by the stub", "equal",
                "discarded by drops", "reconnects", "sessions not ended").textColumns(1);
        for (Bytes b : bytes) {
            table.row(b.group() == Group.SERVICE ? "through transcription-service" : "through the floor relay",
                    b.streams(), String.format(Locale.ROOT, "%,d", b.sent()), String.format(Locale.ROOT, "%,d",
                            b.counted()), b.equal() ? "yes" : "NO (" + b.unequal() + " streams differ)", b.discarded(),
                    b.reconnects(), b.notEnded());
        }
        return table;
    }

    public Table splitTable() {
        Table table = new Table("stage of the caption path (first viewer of each counted caption)", "count", "p50 ms",
                "p90 ms", "p99 ms", "max ms", "how").textColumns(1);
        for (Split s : splits) {
            Histogram h = s.histogram();
            table.row(s.name(), h.getTotalCount(), ms3(h, 50), ms3(h, 90), ms3(h, 99), max3(h), s.how()
                    + (s.clamped() > 0 ? " (" + s.clamped() + " negative, counted as 0)" : ""));
        }
        return table;
    }

    private Split split(int index) {
        return index < splits.size() ? splits.get(index) : null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // prose

    List<String> analysis() {
        List<String> out = new ArrayList<>();
        Histogram relay = relay();
        Histogram floor = floorRelay();
        if (relay.getTotalCount() > 0) {
            out.add(String.format(Locale.ROOT, "Relay: p50 %.3f ms, p99 %.3f ms through transcription-service%s. "
                    + "The path is harness write → loopback → the speaker socket's event loop (websockets-next "
                    + "@OnBinaryMessage) → GladiaStream.audio (into the resend buffer, writeBinaryMessage) → "
                    + "loopback → the stub's Netty read.", percentileMs(relay, 50), percentileMs(relay, 99),
                    floor.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, "; the plain relay in the same "
                            + "run: p50 %.3f ms, p99 %.3f ms", percentileMs(floor, 50), percentileMs(floor, 99))));
        }
        Split total = split(0);
        Split toCe = split(1);
        Split toKafka = split(2);
        Split kafka = split(3);
        Split onKafka = split(4);
        Split feed = split(5);
        Split echo = split(6);
        if (total != null && total.histogram().getTotalCount() > 0 && onKafka.histogram().getTotalCount() > 0) {
            out.add(String.format(Locale.ROOT, "Caption path at the median: %.2f ms from the stub's write until "
                    + "transcription-service starts the segment's write (after the stream's previous one), %.2f ms "
                    + "from there until the outbox relay sends the event (the segment statement and its commit, the "
                    + "relay's wake-up, its select), %.2f ms to a "
                    + "consumer's poll, then %.2f ms until chat-service's caption frame reaches the first viewer; %.2f "
                    + "ms in all (p99 %.2f ms). The speaker's own transcript frame, sent right after the commit, "
                    + "arrives %.2f ms (p50) after the stub's write.",
                    percentileMs(toCe.histogram(), 50), percentileMs(toKafka.histogram(), 50),
                    percentileMs(kafka.histogram(), 50), percentileMs(feed.histogram(), 50),
                    percentileMs(total.histogram(), 50), percentileMs(total.histogram(), 99),
                    percentileMs(echo.histogram(), 50)));
            out.add(String.format(Locale.ROOT, "In the tail (p99 of each stage, not additive): stub → write starts %.2f "
                    + "ms, service → Kafka send %.2f ms, send → poll %.2f ms, stub → on Kafka %.2f ms, Kafka → "
                    + "viewer %.2f ms, stub → speaker's own frame %.2f ms.", percentileMs(toCe.histogram(), 99),
                    percentileMs(toKafka.histogram(), 99), percentileMs(kafka.histogram(), 99),
                    percentileMs(onKafka.histogram(), 99), percentileMs(feed.histogram(), 99),
                    percentileMs(echo.histogram(), 99)));
        }
        Split hop = split(7);
        if (hop != null && hop.histogram().getTotalCount() > 0 && kafka != null) {
            out.add(String.format(Locale.ROOT, "The Kafka hop alone (a plain producer and consumer in the harness on "
                    + "the same broker during the same windows): p50 %.2f ms, p99 %.2f ms — against the caption path's "
                    + "send → poll stage p50 %.2f ms, p99 %.2f ms. That one hop is what the caption path cannot go "
                    + "below on this machine.", percentileMs(hop.histogram(), 50), percentileMs(hop.histogram(), 99),
                    percentileMs(kafka.histogram(), 50), percentileMs(kafka.histogram(), 99)));
        }
        Histogram fc = floorCaption();
        if (fc.getTotalCount() > 0) {
            out.add(String.format(Locale.ROOT, "For scale: a transcript going one WebSocket hop back through the plain "
                    + "relay takes p50 %.3f ms, p99 %.3f ms on this machine in the same run; Gladia's own partials "
                    + "take ~%.0f ms (BENCHMARKS.md), so the caption path adds %s to what a viewer waits for anyway.",
                    percentileMs(fc, 50), percentileMs(fc, 99), GLADIA_PARTIAL_MS, Double.isNaN(captionP99Ms()) ? "?"
                            : String.format(Locale.ROOT, "%.0f %% (p99)", captionP99Ms() / GLADIA_PARTIAL_MS * 100)));
        }
        if (serviceCpu != null) {
            out.add(String.format(Locale.ROOT, "CPU during the service windows: transcription-service %.2f cores, "
                    + "chat-service %.2f, session-service %.2f, PostgreSQL %.2f, the harness %.2f, everything else on "
                    + "the machine %.2f, idle %.2f of %d.", serviceCpu.services().getOrDefault("transcription-service",
                            0.0), serviceCpu.services().getOrDefault("chat-service", 0.0),
                    serviceCpu.services().getOrDefault("session-service", 0.0), serviceCpu.postgres(),
                    serviceCpu.harness(), serviceCpu.others(), serviceCpu.idle(), serviceCpu.cores()));
            if (serviceCpu.idle() < 0.25) {
                out.add("The machine had almost no idle CPU during the service windows: part of every latency above is "
                        + "waiting for a core (run queue), which shows in the tails first.");
            }
            out.addAll(serviceCpu.caveats());
        }
        return out;
    }

    List<String> method() {
        List<String> method = new ArrayList<>();
        method.add("Set-up through session-service's REST API, as TranscriptionIT does: " + settings.sessions()
                + " live PUBLIC AUDIO sessions with transcriptionEnabled, each created, started and joined by its host; "
                + (settings.speakersPerSession() - 1) + " more users join and are given their role on stage by the "
                + "host (POST /api/sessions/{id}/participants/{user}/role: a COHOST, then GUESTs) — "
                + settings.speakers() + " speakers in all. " + settings.viewersPerSession() + " viewers per session ("
                + settings.viewers() + ") open the room socket on chat-service (auth with their own bearer, welcome) "
                + "before any audio.");
        method.add("Speakers: one WebSocket each on transcription-service's speaker channel (start with the bearer, "
                + "16 kHz mono pcm_s16le, languages [en]; ready carries the Gladia stream id, which maps the stub's "
                + "session to the speaker). Each then sends " + settings.chunk().toMillis() + " ms chunks ("
                + settings.chunkBytes() + " bytes) in real time: chunk k at window start + phase + k × "
                + settings.chunk().toMillis() + " ms, the phases of the speakers spread evenly over one chunk period ("
                + String.format(Locale.ROOT, "%,.0f", settings.speakers() * 1000.0 / settings.chunk().toMillis())
                + " chunks/s, " + String.format(Locale.ROOT, "%,.1f", settings.speakers() * 1.0
                        * TranscriptionSettings.BYTES_PER_SECOND * 8 / 1e6) + " Mbit/s). One scheduler thread "
                + "walks those intended times (park until due, no per-speaker sleeps) and hands each write to the "
                + "socket's event loop (Vert.x " + settings.clientThreads() + " event loops); the write time is taken "
                + "just before writeBinaryMessage. Lateness against the intended time is reported.");
        method.add("Relay: the stub's onAudio(session, offset, length, nanos) hook, in this JVM, finds the chunk by "
                + "(stream, byte offset); latency = the stub's read time − the harness's write time (System.nanoTime "
                + "in one JVM). Also shown from the intended send time.");
        method.add("Caption: the stub's onTranscript(session, utterance, isFinal, text, nanos) enters a ledger keyed by "
                + "(stream, utterance, isFinal); each viewer's caption frame with that streamId, utteranceId and "
                + "isFinal is timed on arrival against it: stub write → caption frame at the viewer's socket, partials "
                + "and finals. With utterances of " + settings.utterance().toMillis() + " ms of audio every speaker "
                + "produces " + Report.trim(settings.transcriptsPerSecondPerSpeaker()) + " transcripts/s ("
                + String.format(Locale.ROOT, "%,.0f", settings.speakers() * settings.transcriptsPerSecondPerSpeaker())
                + "/s in all, each a PostgreSQL transaction and a Kafka event, " + String.format(Locale.ROOT, "%,.0f",
                        settings.viewers() * settings.transcriptsPerSecondPerSpeaker() * settings.speakersPerSession())
                + " caption frames/s to the viewers). Path: transcription-service → PostgreSQL (segment + outbox row "
                + "in one transaction) → outbox relay → Kafka → chat-service's room feed → the room's sockets. A "
                + "Kafka consumer in the harness (no group, every partition from the end, poll " + settings
                        .pollTimeout().toMillis() + " ms) notes each event's poll time, CreateTime and ce_time, which "
                + "split the path.");
        method.add("Schedule: warm-up " + Harness.seconds(settings.warmup()) + " s through the services"
                + (settings.floor() ? " and " + Harness.seconds(settings.floorWarmup()) + " s through the floor" : "")
                + " (not counted), then " + settings.rounds() + " rounds A B: " + Harness.seconds(settings.window())
                + " s through transcription-service" + (settings.floor() ? ", then " + Harness.seconds(settings
                        .floorWindow()) + " s of the same " + settings.floorSpeakers() + " streams through the floor "
                        + "relay (the service speakers pause meanwhile)" : "") + ". A chunk counts in the window of "
                + "its intended time, a transcript in the window of the chunk that completed it (sent at most 1 s "
                + "after the window). After the last window and " + settings.drain().toMillis() + " ms of drain every "
                + "stream stops (stop → stop_recording → the last final → close 1000) and the bytes the harness sent "
                + "are compared with the stub's count per stream.");
        method.add("Infrastructure, all on 127.0.0.1: " + stack + ". The harness JVM holds the speakers, viewers, "
                + "scheduler, the stub, the floor relay, the Kafka tap and (by default) the Kafka broker.");
        return method;
    }

    // ------------------------------------------------------------------------------------------------------------
    // rendering

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        out.append(relayTable().text()).append('\n');
        if (!of(Group.FLOOR).isEmpty()) {
            out.append(relayRatioTable().text()).append('\n');
        }
        out.append(captionTable().text()).append('\n').append(splitTable().text()).append('\n')
                .append(deliveriesTable().text()).append('\n').append(scheduleTable().text()).append('\n')
                .append(bytesTable().text()).append('\n');
        if (serviceCpu != null) {
            out.append(serviceCpu.table("the service windows", TranscriptionBenchmark.HARNESS_PARTS).text())
                    .append('\n');
        }
        for (JfrProfile.Summary p : profiles) {
            out.append("JFR ").append(p.service()).append(": ").append(p.samples()).append(" samples, ")
                    .append(p.file()).append('\n');
            out.append(JfrProfile.tables(p).values().iterator().next().text()).append('\n');
        }
        analysis().forEach(line -> out.append("where the time goes: ").append(line).append('\n'));
        out.append(goalsTable().text()).append('\n');
        if (!loadAverage.isBlank()) {
            out.append("load average: ").append(loadAverage).append('\n');
        }
        if (!loadDuring.isBlank()) {
            out.append(loadDuring).append('\n');
        }
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: transcription\n\n");
        md.append("Written by `").append(settings.command()).append("`; numbers from one run on a shared, noisy "
                + "machine. Compare runs by the ratio to the floor relay measured in the same run, not by absolute "
                + "figures.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        if (!loadDuring.isBlank()) {
            md.setLength(md.length() - 1);
            md.append("- ").append(loadDuring).append("\n\n");
        }
        md.append("## Goals\n\n").append(goalsTable().markdown());
        md.append("\n## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Relay: audio in → the stub\n\nPer chunk, the harness's write on the speaker socket to the "
                + "stub's read of the frame holding the chunk's last byte.\n\n").append(relayTable().markdown());
        if (!of(Group.FLOOR).isEmpty()) {
            md.append("\ntranscription-service against the plain relay, round by round (A B A B):\n\n")
                    .append(relayRatioTable().markdown());
        }
        md.append("\n## Captions: the stub's transcript → the caption frame at a viewer\n\nEvery viewer's caption "
                + "frame of a counted transcript is one sample.\n\n").append(captionTable().markdown());
        md.append("\n### Where the caption time goes\n\n").append(splitTable().markdown());
        md.append("\n### Deliveries\n\n").append(deliveriesTable().markdown());
        md.append("\n## Schedule\n\nWhether the harness kept the real-time pace (a late send is one more than "
                + TranscriptionLoad.LATE_NANOS / 1_000_000 + " ms behind its intended time).\n\n")
                .append(scheduleTable().markdown());
        md.append("\n## Audio bytes\n\nAfter every stream stopped: what the harness sent against what the stub "
                + "counted (GladiaSession.receivedBytes), per stream.\n\n").append(bytesTable().markdown());
        md.append("\n## Analysis\n\n");
        analysis().forEach(line -> md.append("- ").append(line).append('\n'));
        if (serviceCpu != null) {
            md.append("\n## Where the CPU went\n\nCPU seconds per wall second over the service windows (")
                    .append(fixed(serviceCpu.wallSeconds())).append(" s), from /proc.\n\n")
                    .append(serviceCpu.table("the service windows", TranscriptionBenchmark.HARNESS_PARTS).markdown());
            for (String service : serviceCpu.services().keySet()) {
                Table threads = serviceCpu.threadTable(service);
                if (threads != null) {
                    md.append("\nBusiest threads of ").append(service)
                            .append(" (names as Linux keeps them, 15 characters):\n\n").append(threads.markdown());
                }
            }
            if (harnessThreads != null) {
                md.append("\nBusiest threads of the harness JVM (gladia-stub-*-io: the stub; vert.x-eventloop: speakers "
                        + "and viewers; data-plane / kafka / broker threads: the in-JVM Kafka broker):\n\n")
                        .append(harnessThreads.markdown());
            }
            if (floorCpu != null) {
                md.append("\nThe same over the floor windows (").append(fixed(floorCpu.wallSeconds()))
                        .append(" s; the service speakers pause, their sockets stay open):\n\n")
                        .append(floorCpu.table("the floor windows", TranscriptionBenchmark.HARNESS_PARTS).markdown());
            }
        }
        if (!profiles.isEmpty()) {
            md.append("\n## Profile (JFR)\n\n");
            for (JfrProfile.Summary p : profiles) {
                md.append("### ").append(p.service()).append("\n\n").append(String.format(Locale.ROOT, "%,d execution "
                        + "samples (settings=profile) from the first to the last service window; GC: %d pause phases, "
                        + "%.1f ms in all, longest %.1f ms. Recording: `%s` (`jfr print --events jdk.ExecutionSample`)."
                        + "\n\n", p.samples(), p.gcPauses(), p.gcPauseMillis(), p.gcMaxPauseMillis(),
                        settings.repoRoot().relativize(p.file().toAbsolutePath())));
                for (Map.Entry<String, Table> t : JfrProfile.tables(p).entrySet()) {
                    md.append("By ").append(t.getKey()).append(":\n\n").append(t.getValue().markdown()).append('\n');
                }
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append("\n## Command\n\n```bash\n").append(settings.command()).append("\n```\n");
        md.append('\n').append(resultLine()).append('\n');
        return md.toString();
    }
}
