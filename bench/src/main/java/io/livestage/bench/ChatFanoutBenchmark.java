package io.livestage.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.vertx.core.Vertx;

import io.livestage.events.Topics;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * chat-fanout: chat messages entering rooms at a steady rate and fanned out to 10,000 connected viewers, chat-service
 * (instances sharing rooms through Kafka) against Socket.IO with the Redis adapter (instances sharing rooms through
 * Redis), measured by the same client in alternating windows. See bench/README.md.
 */
public final class ChatFanoutBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final int DISCONNECT_RATE = 5_000;
    private static final String REDIS_URL = "redis://127.0.0.1:6379";
    static final String HARNESS = "harness JVM";
    /** chat-service's instance presence topic (as devstack creates it). */
    static final String CHAT_PRESENCE_TOPIC = "livestage.chat.presence";

    /** One measured (or swept) window's outcome. */
    record WindowResult(String system, int round, String label, double multiplier, double seconds,
            FanoutClient.WindowStats stats) {
        double deliveriesPerSecond() {
            return stats.deliveries / seconds;
        }

        double expectedPerSecond() {
            return stats.expected / seconds;
        }

        boolean sweep() {
            return !label.startsWith("round");
        }
    }

    /** How opening (and later closing) one system's connections went in one round. */
    record ConnectResult(String system, int round, FanoutClient.ConnectOutcome outcome, int leftOpen) {
    }

    /** The floor server as a child JVM on the harness's classpath. */
    static final class FloorProcess implements AutoCloseable {
        final Process process;
        final int port;
        final int loops;

        private FloorProcess(Process process, int port, int loops) {
            this.process = process;
            this.port = port;
            this.loops = loops;
        }

        static FloorProcess start(int loops, Path log) throws IOException, InterruptedException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 50,
                    InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx1g", "-XX:+UseParallelGC", "-Djava.net.preferIPv4Stack=true"));
            if (Runtime.version().feature() >= 24) {
                command.add("--sun-misc-unsafe-memory-access=allow");
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FanoutFloorServer.class.getName(),
                    Integer.toString(port), Integer.toString(loops)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "floor-stop"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("floor server exited: " + Files.readString(log));
                }
                if (Files.readString(log).contains("ready " + port)) {
                    return new FloorProcess(process, port, loops);
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            throw new IllegalStateException("floor server not ready within 30 s: " + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private final ChatFanoutSettings settings;
    /** chat-service's database, for sampling pg_stat_activity; null without chat-service. */
    private Harness.Postgres chatPostgres;
    private TestDatabase chatDb;
    private final List<String> databaseActivity = new ArrayList<>();
    private final List<ServiceProcess> chatInstances = new ArrayList<>();
    private final List<String> outboxLags = new ArrayList<>();

    public ChatFanoutBenchmark(ChatFanoutSettings settings) {
        this.settings = settings;
    }

    public ChatFanoutReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        checkFileDescriptors(notes);
        Path logs = settings.repoRoot().resolve("bench/target/chat-fanout");
        List<AutoCloseable> toClose = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        Map<String, List<CpuMeter.Part>> parts = new LinkedHashMap<>();
        Harness.Postgres postgres = null;
        TestDatabase chatDatabase = null;
        List<ServiceProcess> chatServices = new ArrayList<>();
        ServiceProcess sessionService = null;
        SocketIoPeer socketIo = null;
        try {
            List<String> roomIds;
            String[] hosts = IntStream.rangeClosed(1, 8).mapToObj(i -> TestTokens.token(String.format(
                    "bench-chat-host-%02d", i))).toArray(String[]::new);
            if (settings.chatInstances() > 0) {
                Harness.Kafka kafka = Harness.kafka(notes);
                for (String topic : List.of(Topics.CHAT, CHAT_PRESENCE_TOPIC)) {
                    try {
                        kafka.broker().createTopic(topic, Harness.TOPIC_PARTITIONS);
                    } catch (IllegalStateException e) {
                        notes.add("Topic " + topic + " was used as it was: " + e.getMessage());
                    }
                }
                postgres = Harness.postgres();
                TestDatabase sessionDatabase = postgres.create("livestage_chat_fanout_bench_session");
                chatDatabase = postgres.create("livestage_chat_fanout_bench_chat");
                chatPostgres = postgres;
                chatDb = chatDatabase;
                String javaOptions = settings.serviceJavaOpts();
                Harness.log("session-service: starting " + settings.sessionJar());
                sessionService = ServiceProcess.builder("session-service").jar(settings.sessionJar())
                        .javaOptions(javaOptions).database(sessionDatabase).kafka(kafka.bootstrapServers())
                        .log(logs.resolve("session-service.log")).readyTimeout(READY_TIMEOUT).start();
                toClose.add(sessionService);
                Harness.log("session-service: ready on " + sessionService.url() + " after "
                        + sessionService.startupTime().toMillis() + " ms");
                for (int i = 1; i <= settings.chatInstances(); i++) {
                    Harness.log("chat-service " + i + ": starting " + settings.chatJar());
                    ServiceProcess chat = ServiceProcess.builder("chat-service").jar(settings.chatJar())
                            .javaOptions(javaOptions).database(chatDatabase).kafka(kafka.bootstrapServers())
                            .env("LIVESTAGE_CHAT_RATE_LIMIT_MESSAGES", "100000")
                            .env("LIVESTAGE_CHAT_FLOOD_FRAMES_PER_SECOND", "100000")
                            .env("LIVESTAGE_CHAT_FLOOD_BURST", "100000")
                            .log(logs.resolve("chat-service-" + i + ".log")).readyTimeout(READY_TIMEOUT).start();
                    chatServices.add(chat);
                    chatInstances.add(chat);
                    toClose.add(chat);
                    Harness.log("chat-service " + i + ": ready on " + chat.url() + " after "
                            + chat.startupTime().toMillis() + " ms (pid " + chat.pid() + ", log " + chat.log() + ")");
                }
                stack.add("Kafka " + kafka.origin() + ", topics " + Topics.SESSION + ", " + Topics.CHAT + " and "
                        + CHAT_PRESENCE_TOPIC + " with " + Harness.TOPIC_PARTITIONS + " partitions");
                stack.add("PostgreSQL " + postgres.origin() + ", fresh databases " + sessionDatabase.name() + " and "
                        + chatDatabase.name() + " (shared by the chat-service instances)");
                stack.add("session-service and " + settings.chatInstances() + " chat-service instance(s) as child "
                        + "processes: java " + (javaOptions.isBlank() ? "" : javaOptions + " ") + "-jar "
                        + "<module>/target/quarkus-app/quarkus-run.jar (same JDK as the harness, JVM defaults: tiered "
                        + "compilation up to C2), chat-service with LIVESTAGE_CHAT_RATE_LIMIT_MESSAGES, "
                        + "LIVESTAGE_CHAT_FLOOD_FRAMES_PER_SECOND and LIVESTAGE_CHAT_FLOOD_BURST = 100000, otherwise its "
                        + "default configuration");
                notes.add("chat-service jar: " + settings.chatJar() + " (built "
                        + Files.getLastModifiedTime(settings.chatJar().getParent().resolve("lib")) + "); "
                        + "session-service jar: " + settings.sessionJar() + ".");
                List<CpuMeter.Part> chatParts = new ArrayList<>();
                for (int i = 0; i < chatServices.size(); i++) {
                    chatParts.add(new CpuMeter.Part("chat-service " + (i + 1), chatServices.get(i).handle()));
                }
                chatParts.add(new CpuMeter.Part("session-service", sessionService.handle()));
                parts.put(ChatFanoutSettings.CHAT, chatParts);
                roomIds = createSessions(sessionService.port(), hosts);
            } else {
                roomIds = IntStream.range(0, settings.rooms()).mapToObj(i -> UUID.randomUUID().toString()).toList();
            }
            if (settings.socketioInstances() > 0) {
                Harness.log("Socket.IO: starting " + settings.socketioInstances() + " instance(s), Redis " + REDIS_URL);
                socketIo = SocketIoPeer.start(settings.repoRoot(), settings.socketioInstances(), REDIS_URL, logs);
                toClose.add(socketIo);
                Harness.log("Socket.IO: ready on ports " + socketIo.ports() + " (node " + socketIo.nodeVersion
                        + ", socket.io " + socketIo.socketIoVersion + ", @socket.io/redis-adapter "
                        + socketIo.adapterVersion + ", redis client " + socketIo.redisClientVersion + ")");
                stack.add(settings.socketioInstances() + " Socket.IO instance(s): node " + socketIo.nodeVersion
                        + " bench/socketio/server.mjs (socket.io " + socketIo.socketIoVersion + ", websocket transport "
                        + "only, no compression, Engine.IO default pings) with @socket.io/redis-adapter "
                        + socketIo.adapterVersion + " on the redis client " + socketIo.redisClientVersion + " to the "
                        + "Redis at " + REDIS_URL + " (key prefix " + socketIo.prefix + ")");
                List<CpuMeter.Part> ioParts = new ArrayList<>();
                for (SocketIoPeer.Instance instance : socketIo.instances) {
                    ioParts.add(new CpuMeter.Part("Socket.IO " + instance.number(), instance.handle()));
                }
                ProcessHandle redis = SocketIoPeer.redisServer();
                if (redis != null) {
                    ioParts.add(new CpuMeter.Part("redis-server", redis));
                } else {
                    notes.add("No redis-server process found on this machine to measure (an external Redis?): its "
                            + "CPU counts as everything else.");
                }
                parts.put(ChatFanoutSettings.SOCKETIO, ioParts);
            }

            FloorProcess floor = null;
            if (settings.floor()) {
                floor = FloorProcess.start(settings.clientThreads(), logs.resolve("floor.log"));
                toClose.add(floor);
                Harness.log("floor: plain Vert.x broadcast server ready on port " + floor.port + " (pid "
                        + floor.process.pid() + ")");
                stack.add("the floor: io.livestage.bench.FanoutFloorServer in its own JVM (same JDK, " + floor.loops
                        + " event loops, -Xmx1g): chat-service's auth/welcome and chat.send → chat.ack + one "
                        + "chat.message per socket of the room, nothing else (no auth, storage, Kafka, limits)");
                parts.put(ChatFanoutSettings.FLOOR, List.of(new CpuMeter.Part("floor server", floor.process.toHandle())));
            }
            Harness.log("signing bearer tokens: " + settings.publishers() + " publishers"
                    + (settings.signedInViewers() ? ", " + settings.viewers() + " viewers" : " (viewers anonymous)"));
            long signStart = System.nanoTime();
            List<String> publisherTokens = sign("bench-chat-publisher-%04d", settings.publishers());
            List<String> viewerTokens = settings.signedInViewers() ? sign("bench-chat-viewer-%05d", settings.viewers())
                    : null;
            Harness.log("signed in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signStart) + " ms");

            Vertx vertx = FanoutClient.vertx(settings.clientThreads());
            notes.add("Client transport: " + (vertx.isNativeTransportEnabled() ? "Netty native epoll"
                    : "Java NIO (native epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")") + ".");
            toClose.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            ProcessHandle postmaster = postgres != null && chatDatabase != null ? postgres.postmaster(chatDatabase)
                    : null;
            Map<String, FanoutClient> clients = new LinkedHashMap<>();
            Map<String, List<FanoutClient.Conn>> connections = new LinkedHashMap<>();
            Map<String, List<FanoutClient.Room>> roomsOf = new LinkedHashMap<>();
            Map<String, CpuMeter> cpu = new LinkedHashMap<>();
            Map<String, CpuMeter> harnessCpu = new LinkedHashMap<>();
            for (String system : settings.systems()) {
                boolean chat = system.equals(ChatFanoutSettings.CHAT);
                boolean io = system.equals(ChatFanoutSettings.SOCKETIO);
                List<Integer> ports = chat ? chatServices.stream().map(ServiceProcess::port).toList()
                        : io ? socketIo.ports() : List.of(floor.port);
                FanoutClient client = new FanoutClient(vertx, io ? FanoutClient.Protocol.SOCKET_IO
                        : FanoutClient.Protocol.CHAT_SERVICE, ports, settings.clientThreads(), settings.sourceAddresses());
                client.maxMessages(settings.maxMessages());
                toClose.add(client);
                clients.put(system, client);
                List<FanoutClient.Room> rooms = rooms(roomIds);
                roomsOf.put(system, rooms);
                connections.put(system, layout(client, rooms, publisherTokens, viewerTokens));
                cpu.put(system, new CpuMeter(parts.get(system), chat ? postmaster : null));
                harnessCpu.put(system, new CpuMeter(List.of(new CpuMeter.Part(HARNESS, ProcessHandle.current())), null));
            }

            List<WindowResult> windows = new ArrayList<>();
            List<ConnectResult> connects = new ArrayList<>();
            Map<String, Duration> warmups = new LinkedHashMap<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                for (String system : settings.systems()) {
                    if (!system.equals(ChatFanoutSettings.FLOOR)) {
                        roundOf(round, system, clients.get(system), roomsOf.get(system), connections.get(system),
                                cpu.get(system), harnessCpu.get(system), windows, connects, warmups);
                    }
                }
            }
            if (settings.floor()) {
                String system = ChatFanoutSettings.FLOOR;
                roundOf(1, system, clients.get(system), roomsOf.get(system), connections.get(system), cpu.get(system),
                        harnessCpu.get(system), windows, connects, warmups);
            }
            Map<String, Map<String, Long>> otherErrors = new LinkedHashMap<>();
            clients.forEach((system, client) -> otherErrors.put(system, client.otherErrors()));
            notes.addAll(outboxLags);
            for (int i = 0; i < chatServices.size(); i++) {
                if (!chatServices.get(i).isAlive()) {
                    notes.add("chat-service " + (i + 1) + " was no longer running at the end; see "
                            + chatServices.get(i).log());
                }
            }
            notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                    + " s including start-up of Kafka, PostgreSQL, the services and the Socket.IO instances.");
            Map<String, CpuMeter.Usage> usage = new LinkedHashMap<>();
            cpu.forEach((system, meter) -> meter.usage().ifPresent(u -> usage.put(system, u)));
            Map<String, CpuMeter.Usage> harnessUsage = new LinkedHashMap<>();
            harnessCpu.forEach((system, meter) -> meter.usage().ifPresent(u -> harnessUsage.put(system, u)));
            String load = loadAtStart.isBlank() ? "" : loadAtStart + " before the run, " + Harness.loadAverage()
                    + " after";
            return new ChatFanoutReport(Harness.machine(), settings, windows, connects, usage, harnessUsage, warmups,
                    otherErrors, databaseActivity,
                    String.join("; ", stack), notes, load);
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    Harness.log("stopping " + toClose.get(i) + " failed: " + e);
                }
            }
        }
    }

    /** Connect, warm up (first round) or settle, measure, sweep (last round), drain, collect, disconnect. */
    private void roundOf(int round, String system, FanoutClient client, List<FanoutClient.Room> rooms,
            List<FanoutClient.Conn> conns, CpuMeter cpu, CpuMeter harnessCpu, List<WindowResult> windows, List<ConnectResult> connects,
            Map<String, Duration> warmups) throws InterruptedException {
        String name = system.equals(ChatFanoutSettings.FLOOR) ? system : system + " round " + round;
        Harness.log(name + ": opening " + conns.size() + " connections at up to " + settings.connectRate() + "/s, "
                + settings.connectConcurrency() + " handshakes in flight at most ("
                + settings.publishers() + " publishers first, then " + settings.viewers() + " viewers)");
        FanoutClient.ConnectOutcome outcome = client.connect(conns, settings.connectRate(),
                settings.connectConcurrency(), settings.connectTimeout().toMillis(), n -> Harness.log(name + ": " + n + " connections started"));
        Harness.log(name + ": " + outcome.ready() + " ready, " + outcome.failed() + " failed in " + outcome.millis()
                + " ms" + (outcome.errors().isEmpty() ? "" : " " + outcome.errors())
                + (outcome.retries() > 0 ? " (" + outcome.retries() + " auth retries)" : ""));
        if (outcome.ready() == 0) {
            throw new IllegalStateException(name + ": no connection became ready: " + outcome.errors());
        }
        client.assignRooms(rooms);
        boolean floor = system.equals(ChatFanoutSettings.FLOOR);
        boolean first = round == 1 && !floor;
        boolean last = round == settings.rounds() || floor;
        Duration settle = first ? settings.warmup() : settings.rewarm();
        client.publishing(true, 1);
        if (!settle.isZero()) {
            Harness.log(name + ": " + (first ? "warm-up" : "settling") + " for " + Harness.seconds(settle)
                    + " s at the measured rate");
            watch(name + " " + (first ? "warm-up" : "settle"), client, settle);
            if (round == 1) {
                warmups.put(system, settle);
            }
        }
        List<FanoutClient.Window> mine = new ArrayList<>();
        long start = System.nanoTime();
        FanoutClient.Window measured = client.openWindow(system, "round " + round, start,
                start + settings.window().toNanos(), 1);
        mine.add(measured);
        PgActivitySampler measuring = sampler(system, name + ", measured window");
        cpu.begin();
        harnessCpu.begin();
        Harness.log(name + ": measuring for " + Harness.seconds(settings.window()) + " s (offered "
                + Math.round(settings.offeredDeliveriesPerSecond()) + " deliveries/s)");
        watch(name, client, Duration.ofNanos(measured.end() - System.nanoTime()));
        cpu.end();
        harnessCpu.end();
        summarise(measuring);
        if (system.equals(ChatFanoutSettings.CHAT)) {
            // right after the window: the timer's percentiles cover a sliding window of about two minutes
            for (int i = 0; i < chatInstances.size(); i++) {
                String lag = Harness.outboxLag(Harness.metrics(chatInstances.get(i).port()));
                if (lag != null) {
                    outboxLags.add("chat-service " + (i + 1) + "'s outbox relay lag (commit → Kafka acknowledgement, "
                            + "livestage.outbox.lag from /q/metrics at the end of " + name + "'s measured window, "
                            + "over the last minutes incl. connecting and warm-up): " + lag);
                }
            }
        }
        if (last) {
            for (double m : settings.sweep()) {
                client.publishing(true, m);
                long s = System.nanoTime();
                FanoutClient.Window w = client.openWindow(system, "sweep ×" + Report.trim(m), s,
                        s + settings.sweepDuration().toNanos(), m);
                mine.add(w);
                Harness.log(name + ": sweep at " + Report.trim(m) + "× the rate for "
                        + Harness.seconds(settings.sweepDuration()) + " s (offered "
                        + Math.round(settings.offeredDeliveriesPerSecond() * m) + " deliveries/s)");
                watch(name + " ×" + Report.trim(m), client, Duration.ofNanos(w.end() - System.nanoTime()));
            }
        }
        client.publishing(false, 1);
        Thread.sleep(settings.drain().toMillis());
        for (FanoutClient.Window w : mine) {
            FanoutClient.WindowStats stats = client.collect(w);
            WindowResult result = new WindowResult(system, round, w.label(), w.multiplier(), w.seconds(), stats);
            windows.add(result);
            Harness.log(String.format(Locale.ROOT, "%s %s: %,.0f deliveries/s of %,.0f expected, p50 %s ms, "
                    + "p99 %s ms, p99.9 %s ms, max %s ms; %d messages sent, %d acks, errors %s", system, w.label(),
                    result.deliveriesPerSecond(), result.expectedPerSecond(), Report.ms(stats.latency, 50),
                    Report.ms(stats.latency, 99), Report.ms(stats.latency, 99.9), Report.maxMs(stats.latency),
                    stats.sent, stats.acks, stats.errors));
        }
        Harness.log(name + ": closing " + conns.size() + " connections");
        int leftOpen = client.disconnect(conns, DISCONNECT_RATE, 20_000);
        connects.add(new ConnectResult(system, round, outcome, leftOpen));
        Thread.sleep(1_000); // let the server finish its disconnect work before the other system starts
    }

    /** Samples chat-service's database sessions during a phase of chat-service; null for the other systems. */
    private PgActivitySampler sampler(String system, String phase) {
        return system.equals(ChatFanoutSettings.CHAT) && chatDb != null
                ? new PgActivitySampler(chatPostgres, chatDb, "chat-service's database, " + phase) : null;
    }

    private void summarise(PgActivitySampler sampler) {
        if (sampler != null) {
            sampler.close();
            String line = sampler.summary().describe();
            databaseActivity.add(line);
            Harness.log(line);
        }
    }

    /** Sleeps {@code length}, printing the receive rate every 5 s. */
    private static void watch(String name, FanoutClient client, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        long lastAt = System.nanoTime();
        long lastDeliveries = client.totalDeliveries.get();
        long lastSent = client.totalSent.get();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(5)));
            long now = System.nanoTime();
            long deliveries = client.totalDeliveries.get();
            long sent = client.totalSent.get();
            double seconds = (now - lastAt) / 1e9;
            if (seconds >= 1) {
                Harness.log(String.format(Locale.ROOT, "%s: %,.0f chat frames received/s, %,.0f messages "
                        + "sent/s", name, (deliveries - lastDeliveries) / seconds, (sent - lastSent) / seconds));
            }
            lastAt = now;
            lastDeliveries = deliveries;
            lastSent = sent;
        }
    }

    private List<FanoutClient.Room> rooms(List<String> ids) {
        List<FanoutClient.Room> rooms = new ArrayList<>();
        // large rooms first, so that they are spread over the client threads
        for (int i = 0; i < settings.largeRooms(); i++) {
            rooms.add(new FanoutClient.Room(rooms.size(), ids.get(rooms.size()), true, settings.largeRate()));
        }
        for (int i = 0; i < settings.smallRooms(); i++) {
            rooms.add(new FanoutClient.Room(rooms.size(), ids.get(rooms.size()), false, settings.smallRate()));
        }
        return rooms;
    }

    /** Publishers of every room first, then the viewers interleaved over the rooms (so every room fills gradually). */
    private List<FanoutClient.Conn> layout(FanoutClient client, List<FanoutClient.Room> rooms,
            List<String> publisherTokens, List<String> viewerTokens) {
        List<FanoutClient.Conn> conns = new ArrayList<>();
        int number = 0;
        int publisher = 0;
        for (FanoutClient.Room room : rooms) {
            int count = room.large ? settings.largePublishers() : settings.smallPublishers();
            for (int p = 0; p < count; p++) {
                conns.add(client.addPublisher(room, String.format("bench-chat-publisher-%04d", publisher + 1),
                        publisherTokens.get(publisher), number++));
                publisher++;
            }
        }
        int[] remaining = rooms.stream().mapToInt(r -> r.large ? settings.largeViewers() : settings.smallViewers())
                .toArray();
        int viewer = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (FanoutClient.Room room : rooms) {
                if (remaining[room.index] > 0) {
                    remaining[room.index]--;
                    any = true;
                    String user = String.format("bench-chat-viewer-%05d", viewer + 1);
                    conns.add(client.addViewer(room, user, viewerTokens == null ? null : viewerTokens.get(viewer),
                            number++));
                    viewer++;
                }
            }
        }
        return conns;
    }

    private List<String> createSessions(int port, String[] hosts) throws IOException, InterruptedException {
        Http http = new Http(Duration.ofSeconds(30));
        List<String> ids = new ArrayList<>();
        Harness.log("creating and starting " + settings.rooms() + " PUBLIC AUDIO sessions at session-service");
        for (int i = 0; i < settings.rooms(); i++) {
            String host = hosts[i % hosts.length];
            String id = http.postOk(port, "/api/sessions", host, "{\"title\":\"Chat fan-out " + (i + 1)
                    + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\"}", "POST /api/sessions").getString("id");
            http.postOk(port, "/api/sessions/" + id + "/start", host, null, "POST /api/sessions/{id}/start");
            ids.add(id);
        }
        Harness.log("sessions created and started; chat-service learns them from " + Topics.SESSION);
        return ids;
    }

    /** {@code count} RS256 bearer tokens for users {@code pattern} 1..count, signed on the machine's cores. */
    private static List<String> sign(String pattern, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String subject = String.format(pattern, i);
                futures.add(pool.submit(() -> TestTokens.token(subject)));
            }
            List<String> tokens = new ArrayList<>(count);
            for (Future<String> f : futures) {
                tokens.add(f.get());
            }
            return tokens;
        } finally {
            pool.shutdown();
        }
    }

    /** Fails early when this JVM may not open a socket per connection (plus Kafka, PostgreSQL, files). */
    private void checkFileDescriptors(List<String> notes) throws IOException {
        long limit = openFileLimit();
        int needed = settings.viewers() + settings.publishers() + 2_000;
        if (limit < 0) {
            return;
        }
        if (limit < needed) {
            throw new IllegalStateException("This JVM may open " + limit + " files (ulimit -n) but the run needs about "
                    + needed + " (" + settings.viewers() + " viewers + " + settings.publishers() + " publishers + "
                    + "Kafka, PostgreSQL, jars): raise it with 'ulimit -n " + Math.max(65_536, needed) + "' in the "
                    + "shell before ./bench/run (the hard limit, ulimit -Hn, must allow it; else ask for "
                    + "'nofile' in /etc/security/limits.conf), or lower --large-viewers / --small-viewers");
        }
        notes.add("Open-file limit of the harness JVM: " + limit + " (needs about " + needed + "); each server process "
                + "has its own.");
    }

    static long openFileLimit() throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            return -1;
        }
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return fields[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[0]);
            }
        }
        return -1;
    }
}
