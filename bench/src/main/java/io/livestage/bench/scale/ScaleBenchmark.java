package io.livestage.bench.scale;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.livestage.bench.Report;
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
 * (RSS), then loaded by {@link ScaleLoad}. Why: the figures for the whole platform at its planned size come
 * from one command. See bench/README.md.
 */
public final class ScaleBenchmark {
    /** Progress lines on the console. */
    interface Log {
        void line(String text);
    }

    /** The CDS archive of each service instance, relative to its working directory (its module). */
    static final String CDS_ARCHIVE = "target/scale-cds.jsa";
    private static final String MAX_RAM = "-XX:MaxRAM=512m";

    private final ScaleSettings settings;
    private final Report.Machine machine;
    private final Log log = text -> System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + text);

    public ScaleBenchmark(ScaleSettings settings, Report.Machine machine) {
        this.settings = settings;
        this.machine = machine;
    }

    public ScaleReport run() throws Exception {
        Path root = settings.root();
        List<String> environment = new ArrayList<>(List.of("before the run: load average " + loadAverage()
                + "; busiest processes (ps: CPU % over each one's lifetime, RSS): " + busiest()));
        String[] fds = Files.readString(Path.of("/proc/self/limits")).replaceAll("(?s).*Max open files\\s+(\\S+)\\s+(\\S+).*",
                "$1 $2").split(" ");
        int cap = ScaleSettings.socketCap(fds[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fds[0]),
                settings.gateway());
        environment.add("file descriptors: soft limit " + fds[0] + ", hard " + fds[1] + " (bench/run raises it to 70,000 "
                + "where allowed, else the soft limit to the hard one; the services inherit it). " + settings.participants() + " sockets need about "
                + (settings.gateway() ? 2 : 1) * settings.participants() + " in the " + (settings.gateway() ? "gateway"
                        : "harness") + (cap >= settings.participants() ? ": within the limit." : ": more than the limit "
                                + "allows, so chat sockets are capped at " + cap + " (" + cap / settings.sessions()
                                + " per session, guests first); every participant still gets a token and joins."));
        List<String> jvm = jvmOptions(root);
        Path state = root.resolve("bench/target/scale/state");
        if (Files.exists(state)) {
            try (Stream<Path> paths = Files.walk(state)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        for (Catalog.ServiceSpec spec : Catalog.SERVICES) {
            Files.deleteIfExists(root.resolve(spec.module()).resolve(CDS_ARCHIVE));
        }
        Progress progress = new Progress(System.out);
        try (LiveKitStub livekit = LiveKitStub.start()) {
            DevStackConfig config = config(root, state, jvm, livekit);
            double cold = Double.NaN;
            if (settings.restart()) {
                log.line("cold start (fresh state in " + root.relativize(state) + ")");
                long t0 = System.nanoTime();
                DevStack first = DevStack.start(config, progress);
                cold = (System.nanoTime() - t0) / 1e9;
                first.close();
            }
            log.line("warm start");
            long t0 = System.nanoTime();
            try (DevStack stack = DevStack.start(config, progress)) {
                double warm = (System.nanoTime() - t0) / 1e9;
                log.line("stack up in " + ScaleReport.one(warm) + " s; idle for " + settings.idle().toSeconds() + " s");
                Thread.sleep(settings.idle().toMillis());
                List<ScaleReport.Rss> rss = stack.services().stream().map(s -> rss(s.name(), s.process().pid())).toList();
                ScaleLoad load = new ScaleLoad(settings, targets(stack), livekit, stack.identity(), cap);
                long rampSeconds;
                try {
                    rampSeconds = load.run(log);
                } finally {
                    load.sockets.close();
                }
                environment.add("after the load: load average " + loadAverage() + "; busiest processes: " + busiest());
                RoomSockets s = load.sockets;
                return new ScaleReport(settings, machine, method(jvm, cap), environment, cold, warm, rss,
                        new ScaleReport.Population(load.sessionsLive.sum(), load.guestsJoined.sum(),
                                load.viewersJoined.sum(), load.socketsReady.sum(), s.sent.sum(), s.presence.sum(),
                                load.maxBehindNanos.get() / 1e6, rampSeconds),
                        List.of(load.tokens, s.all, s.each, load.approvals, s.opened, load.api));
            }
        }
    }

    private DevStackConfig config(Path root, Path state, List<String> jvm, LiveKitStub livekit) throws IOException {
        DevStackConfig.Builder builder = DevStackConfig.builder(root).stateDir(state)
                .libDir(root.resolve("devstack/target/lib")).keycloak(false).replicas(settings.replicas())
                .postgresPort(freePort()).kafkaPort(freePort()).kafkaControllerPort(freePort())
                .serviceReadyTimeout(Duration.ofSeconds(300)).serviceJvmOptions(jvm)
                .serviceEnv(Map.of("LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                        "LIVEKIT_API_KEY", livekit.apiKey(), "LIVEKIT_API_SECRET", livekit.apiSecret(),
                        "MALLOC_ARENA_MAX", "2", "LIVESTAGE_REDIS_URL", ""));
        for (Catalog.ServiceSpec spec : Catalog.SERVICES) {
            builder.servicePort(spec.name(), freePort());
            for (int i = 2; i <= settings.replicas(); i++) {
                builder.servicePort(spec.name() + "-" + i, freePort());
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

    private List<String> method(List<String> jvm, int cap) {
        return List.of("Stack: devstack's `DevStack.start` in the harness JVM, as `./livestage up --no-build --replicas="
                + settings.replicas() + "` starts it (embedded PostgreSQL, a Kafka broker process, " + settings.replicas()
                + " instance(s) of every service, one gateway balancing over them; free ports of 127.0.0.1). Identity: "
                + "the dev identity (`keycloak(false)`): bearer tokens minted in the harness with `DevIdentity#mint`, "
                + "verified with its public key. Keycloak is not measured. LiveKit: the testing module's `LiveKitStub` in "
                + "the harness JVM.",
                "Container settings on every instance: root pom `images.jvm-options` with `" + MAX_RAM + "` for the "
                        + "container's memory limit and the CDS archive per module (`" + CDS_ARCHIVE + "`, shared by its "
                        + "instances; a container has its own `/tmp`): `" + String.join(" ", jvm) + "`; environment "
                        + "`MALLOC_ARENA_MAX=2` as the compose file sets; gateway rate limits on, counted by the gateway "
                        + "(`LIVESTAGE_REDIS_URL` empty).",
                "Start, timed around `DevStack.start` (PostgreSQL, Kafka, identity, every instance ready on "
                        + "`/q/health/ready`): cold from an empty state directory and no CDS archives (its stop writes "
                        + "them), then warm on the same state.",
                "Load, open loop: session i starts at i × ramp / sessions; its host creates it (PUBLIC VIDEO, maxGuests "
                        + "20, approval required), starts it and gets a LiveKit token. Its guests and viewers arrive evenly "
                        + "within its slot: `POST /api/tokens` (a synchronous join at session-service), `LiveKitStub#join` "
                        + "as the SFU would see them, a chat socket (`/ws/sessions/{id}`, auth frame, welcome). Each guest "
                        + "raises a hand and the host approves at once: timed from sending the approve to the stub "
                        + "receiving UpdateParticipant with canPublish for that identity (same clock). Requests go "
                        + (settings.gateway() ? "through the gateway." : "straight to the services' instances in turn "
                                + "(`--via=direct`); the gateway is not measured."),
                "Hold " + settings.duration().toSeconds() + " s: every guest with a socket sends a chat message every "
                        + settings.chatInterval().toSeconds() + " s, spread evenly. Chat latency: sent → every socket of "
                        + "its room that was ready at the send received it (every socket, no sampling); also per single "
                        + "delivery. Sockets: " + Math.min(cap, settings.participants()) + " of " + settings.participants()
                        + " participants.",
                "Errors: a non-2xx, a request timeout (" + settings.requestTimeout().toSeconds() + " s), a refused or "
                        + "failed socket, one closed by the server, no welcome in time, an error frame, a message some "
                        + "socket never got or an approval without UpdateParticipant " + settings.grace().toSeconds()
                        + " s after the hold.");
    }

    /** The root pom's {@code images.jvm-options}, the CDS archive per module, the container limit. */
    static List<String> jvmOptions(Path root) throws IOException {
        Matcher m = Pattern.compile("<images.jvm-options>([^<]*)</images.jvm-options>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        if (!m.find()) {
            throw new IllegalStateException("no images.jvm-options in " + root.resolve("pom.xml"));
        }
        return Stream.concat(Stream.of(MAX_RAM), Arrays.stream(m.group(1).trim().split("\\s+"))
                .map(o -> o.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + CDS_ARCHIVE : o)).toList();
    }

    /** VmRSS, RssAnon and RssFile of a process from /proc/&lt;pid&gt;/status, MB (0 when unreadable). */
    static ScaleReport.Rss rss(String name, long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            Map<String, Double> kb = lines.filter(l -> l.matches("(VmRSS|RssAnon|RssFile):.*")).collect(Collectors.toMap(
                    l -> l.substring(0, l.indexOf(':')), l -> Double.parseDouble(l.replaceAll("\\D", "")) / 1024));
            return new ScaleReport.Rss(name, pid, kb.getOrDefault("VmRSS", 0.0), kb.getOrDefault("RssAnon", 0.0),
                    kb.getOrDefault("RssFile", 0.0));
        } catch (IOException | RuntimeException e) {
            return new ScaleReport.Rss(name, pid, 0, 0, 0);
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
