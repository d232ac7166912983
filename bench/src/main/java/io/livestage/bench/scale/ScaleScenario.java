package io.livestage.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpStats;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Table;
import io.livestage.devstack.Catalog;
import io.livestage.devstack.DevStack;
import io.livestage.devstack.DevStackConfig;
import io.livestage.devstack.Progress;
import io.livestage.devstack.ServiceProcess;
import io.livestage.testing.livekit.LiveKitStub;

/**
 * {@code ./bench/run scale}: the local stack as {@code ./livestage up --replicas=N} runs it, but with the container
 * settings (the images' JVM options, a 512 MB memory limit, {@code MALLOC_ARENA_MAX=2}), the dev identity instead of
 * Keycloak and the LiveKit contract stub instead of an SFU; started cold, stopped, started warm (timed), left idle
 * (RSS), then loaded by {@link ScaleLoad}, with the CPU of every instance over the load.
 */
public final class ScaleScenario implements Scenario {
    private static final String MAX_RAM = "-XX:MaxRAM=512m";
    static final double GOAL_RSS_MB = 200;
    static final double GOAL_WARM_S = 30;

    private final ScaleSettings settings;

    public ScaleScenario(Knobs knobs) {
        this.settings = ScaleSettings.from(knobs);
    }

    @Override
    public Duration budget() {
        return settings.budget();
    }

    @Override
    public Report run(Run run) throws Exception {
        Path root = run.root();
        List<String> environment = new ArrayList<>(List.of("before the run: load average " + loadAverage()
                + "; busiest processes (ps: CPU % over each one's lifetime, RSS): " + busiest()));
        String[] fds = Files.readString(Path.of("/proc/self/limits"))
                .replaceAll("(?s).*Max open files\\s+(\\S+)\\s+(\\S+).*", "$1 $2").split(" ");
        int cap = ScaleSettings.socketCap(fds[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fds[0]),
                settings.gateway());
        environment.add("file descriptors: soft limit " + fds[0] + ", hard " + fds[1] + " (bench/run raises it to "
                + "70,000 where allowed; the services inherit it). " + settings.participants() + " sockets need about "
                + (settings.gateway() ? 2 : 1) * settings.participants() + " in the " + (settings.gateway() ? "gateway"
                        : "harness") + (cap >= settings.participants() ? ": within the limit." : ": more than the "
                                + "limit allows, so chat sockets are capped at " + cap + " (" + cap
                                / settings.sessions() + " per session, guests first); every participant still gets a "
                                + "token and joins."));
        List<String> jvm = jvmOptions(root);
        Path state = run.dir().resolve("state");
        Run.deleteTree(state);
        Progress progress = new Progress(System.out);
        LiveKitStub livekit = run.own(LiveKitStub.start());
        DevStackConfig config = config(root, state, jvm, livekit);
        for (Catalog.ServiceSpec spec : Catalog.SERVICES) { // a cold start trains them again
            ServiceProcess.deleteStartupCache(config, spec);
        }
        double cold = Double.NaN;
        if (settings.restart()) {
            Log.info("cold start (fresh state in %s)", root.relativize(state));
            long t0 = System.nanoTime();
            DevStack first = DevStack.start(config, progress);
            cold = (System.nanoTime() - t0) / 1e9;
            first.close();
        }
        Log.info("warm start");
        long t0 = System.nanoTime();
        DevStack stack = run.own(DevStack.start(config, progress));
        double warm = (System.nanoTime() - t0) / 1e9;
        run.describe("the stack: devstack's DevStack in the harness JVM (PostgreSQL embedded, Kafka a broker process), "
                + settings.replicas() + " instance(s) of every service and one gateway");
        Log.info("stack up in %s s; idle for %d s", Table.plain(warm, 1), settings.idle().toSeconds());
        Thread.sleep(settings.idle().toMillis());
        Table rss = new Table("instance", "pid", "VmRSS MB", "anonymous MB", "file MB", "PSS MB", "≤ "
                + Table.plain(GOAL_RSS_MB, 0) + " MB");
        double maxRss = 0;
        List<Cpu.Proc> procs = new ArrayList<>();
        for (ServiceProcess s : stack.services()) {
            double[] mb = rss(s.process().pid());
            maxRss = Math.max(maxRss, mb[0]);
            rss.row(s.name(), s.process().pid(), Table.f(mb[0], 1), Table.f(mb[1], 1), Table.f(mb[2], 1),
                    Table.f(mb[3], 1), mb[0] <= GOAL_RSS_MB ? "yes" : "no");
            procs.add(new Cpu.Proc(s.name(), s.process().pid()));
        }
        procs.add(new Cpu.Proc("kafka", stack.kafka().pid()));
        Run.postgresProc(stack.config().postgresPort()).ifPresent(procs::add);
        procs.add(Cpu.Proc.self("harness"));
        Cpu cpu = new Cpu(procs);
        ScaleLoad load = new ScaleLoad(settings, targets(stack), livekit, stack.identity(), cap);
        load.mintBearers();
        Cpu.Sample before = cpu.sample();
        long rampSeconds;
        try {
            rampSeconds = load.run();
        } finally {
            load.sockets.close();
        }
        Map<String, Cpu.Usage> used = Cpu.between(before, cpu.sample());
        environment.add("after the load: load average " + loadAverage() + "; busiest processes: " + busiest());
        RoomSockets s = load.sockets;
        List<OpStats> latencies = List.of(load.tokens, s.all, s.each, load.approvals, s.opened, load.api);
        long operations = load.tokens.histogram().getTotalCount() + s.sent.sum();
        Table cpuTable = new Table("process", "cores over ramp + hold", "CPU s", "JIT share",
                "µs per operation (tokens issued + chat messages sent)");
        used.forEach((name, u) -> cpuTable.row(name, Table.f(u.cores(), 2), Table.f(u.cpuSeconds(), 1),
                Table.pct(u.jitShare()), Table.f(u.microsPer(operations), 1)));
        Table latency = new Table("path", "count", "p50 ms", "p99 ms", "max ms", "errors");
        Table errors = new Table("where", "kind", "count");
        long errorCount = 0;
        for (OpStats op : latencies) {
            Histogram h = op.histogram();
            latency.row(op.name(), h.getTotalCount(), ms(h, 50), ms(h, 99), ms(h, 100), op.errors());
            errorCount += op.errors();
            op.errorsByCause().forEach((cause, n) -> errors.row(op.name(), cause, n));
        }
        Table population = new Table("what", "asked", "done")
                .row("sessions live (created, started, host's token)", settings.sessions(), load.sessionsLive.sum())
                .row("guests joined (token, at the stub)", (long) settings.sessions() * settings.guests(),
                        load.guestsJoined.sum())
                .row("viewers joined (token, at the stub)", settings.viewers(), load.viewersJoined.sum())
                .row("chat sockets ready (welcome)", settings.participants(), load.socketsReady.sum())
                .row("chat messages sent", "–", s.sent.sum()).row("presence frames received", "–", s.presence.sum())
                .row("ramp, s", settings.ramp().toSeconds(), rampSeconds)
                .row("largest delay behind the open-loop schedule, ms", "–",
                        Table.f(load.maxBehindNanos.get() / 1e6, 1));
        Table start = new Table("start", "seconds", "goal")
                .row("cold (fresh state: databases, topics, CDS archives written at its stop)",
                        Double.isNaN(cold) ? "not run" : Table.f(cold, 1), "–")
                .row(Double.isNaN(cold) ? "the only start (--restart=false: fresh state, no startup caches)"
                        : "warm (same state, startup caches mapped)", Table.f(warm, 1), "≤ "
                                + Table.plain(GOAL_WARM_S, 0) + " s: " + (warm <= GOAL_WARM_S ? "met" : "NOT met"));
        Report report = Report.load("scale");
        report.put("replicas", settings.replicas()).put("sessions", settings.sessions())
                .put("guests", settings.guests()).put("viewers", settings.viewers())
                .put("hold_s", settings.duration().toSeconds()).put("idle_s", settings.idle().toSeconds())
                .put("chat_interval_s", settings.chatInterval().toSeconds())
                .put("request_timeout_s", settings.requestTimeout().toSeconds())
                .put("grace_s", settings.grace().toSeconds()).put("sockets", Math.min(cap, settings.participants()))
                .put("participants", settings.participants())
                .put("via", settings.gateway() ? "through the gateway" : "straight to the services' instances in turn "
                        + "(`--via=direct`); the gateway is not measured")
                .put("jvm", String.join(" ", jvm))
                .put("environment", "- " + String.join("\n- ", environment)).put("start", start).put("rss", rss)
                .put("max_rss", Table.f(maxRss, 1)).put("population", population).put("latency", latency)
                .put("cpu", cpuTable).put("errors", errors.isEmpty() ? "None." : errors.markdown());
        report.result("sessions", Long.toString(load.sessionsLive.sum()))
                .result("guests", Long.toString(load.guestsJoined.sum()))
                .result("viewers", Long.toString(load.viewersJoined.sum())).result("errors", Long.toString(errorCount))
                .result("token_p99_ms", ms(load.tokens.histogram(), 99))
                .result("chat_p99_ms", ms(s.all.histogram(), 99))
                .result("idle_rss_mb", Table.plain(maxRss, 1)).result("warm_start_s", Table.plain(warm, 1));
        return report;
    }

    private DevStackConfig config(Path root, Path state, List<String> jvm, LiveKitStub livekit) throws IOException {
        DevStackConfig.Builder builder = DevStackConfig.builder(root).stateDir(state)
                .libDir(root.resolve("devstack/target/lib")).keycloak(false).replicas(settings.replicas())
                .postgresPort(Peer.freePort()).kafkaPort(Peer.freePort()).kafkaControllerPort(Peer.freePort())
                .serviceReadyTimeout(Duration.ofSeconds(300)).serviceJvmOptions(jvm)
                .serviceEnv(Map.of("LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                        "LIVEKIT_API_KEY", livekit.apiKey(), "LIVEKIT_API_SECRET", livekit.apiSecret(),
                        "MALLOC_ARENA_MAX", "2", "LIVESTAGE_REDIS_URL", ""));
        for (Catalog.ServiceSpec spec : Catalog.SERVICES) {
            builder.servicePort(spec.name(), Peer.freePort());
            for (int i = 2; i <= settings.replicas(); i++) {
                builder.servicePort(spec.name() + "-" + i, Peer.freePort());
            }
        }
        return builder.build();
    }

    /** The gateway for everything, or each service's instances in turn ({@code --via=direct}). */
    private ScaleLoad.Targets targets(DevStack stack) {
        List<Integer> gateway = ports(stack, "gateway");
        return settings.gateway() ? new ScaleLoad.Targets(gateway, gateway, gateway) : new ScaleLoad.Targets(
                ports(stack, "session-service"), ports(stack, "token-service"), ports(stack, "chat-service"));
    }

    private static List<Integer> ports(DevStack stack, String service) {
        return stack.services().stream().filter(s -> s.spec().name().equals(service)).map(ServiceProcess::port).toList();
    }

    /**
     * The root pom's {@code images.jvm-options} and the container limit, without the images' own archive options:
     * devstack's startup cache takes their place (one per module, shared by its instances).
     */
    static List<String> jvmOptions(Path root) throws IOException {
        Matcher m = Pattern.compile("<images.jvm-options>([^<]*)</images.jvm-options>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no images.jvm-options in " + root.resolve("pom.xml"));
        }
        return Stream.concat(Stream.of(MAX_RAM), Arrays.stream(m.group(1).trim().split("\\s+"))
                .filter(o -> !o.equals("-XX:+AutoCreateSharedArchive") && !o.startsWith("-XX:SharedArchiveFile=")))
                .toList();
    }

    /** VmRSS, RssAnon, RssFile (/proc/&lt;pid&gt;/status) and Pss (smaps_rollup) of a process, MB (0 unreadable). */
    static double[] rss(long pid) {
        Map<String, Double> kb = new HashMap<>();
        for (String file : List.of("status", "smaps_rollup")) {
            try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/" + file))) {
                lines.filter(l -> l.matches("(VmRSS|RssAnon|RssFile|Pss):.*")).forEach(l -> kb.put(
                        l.substring(0, l.indexOf(':')), Double.parseDouble(l.replaceAll("\\D", "")) / 1024));
            } catch (IOException | RuntimeException e) {
                // unreadable (the process is gone): 0
            }
        }
        return new double[] {kb.getOrDefault("VmRSS", 0.0), kb.getOrDefault("RssAnon", 0.0),
                kb.getOrDefault("RssFile", 0.0), kb.getOrDefault("Pss", 0.0)};
    }

    /** Milliseconds at a percentile of a microsecond histogram; 0 when empty. */
    static String ms(Histogram h, double percentile) {
        double micros = h.getTotalCount() == 0 ? 0
                : percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return Table.plain(micros / 1000.0, 2);
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"), 3));
    }

    /** The five busiest processes outside this run (the harness and what it started), as {@code ps} lists them. */
    private static String busiest() throws IOException {
        Process ps = new ProcessBuilder("ps", "-eo", "pid=,pcpu=,rss=,args=", "--sort=-pcpu").start();
        Set<String> ours = Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants())
                .map(p -> Long.toString(p.pid())).collect(Collectors.toSet());
        return new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                .map(l -> l.split("\\s+", 4)).filter(f -> f.length == 4 && !ours.contains(f[0])).limit(5)
                .map(f -> "`" + (f[3].length() > 70 ? f[3].substring(0, 70) + "…" : f[3]) + "` " + f[1] + " %, "
                        + Long.parseLong(f[2]) / 1024 + " MB").collect(Collectors.joining("; "));
    }
}
