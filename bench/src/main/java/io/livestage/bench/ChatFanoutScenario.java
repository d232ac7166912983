package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run chat-fanout}: chat messages published into rooms on an open-loop schedule and fanned out to every
 * viewer socket, chat-service (instances sharing rooms through Kafka) against Socket.IO with the Redis adapter
 * (instances sharing rooms through Redis), the same number of processes and one event loop each, measured by one client
 * ({@link FanoutClient}).
 */
public final class ChatFanoutScenario implements Scenario {
    private static final String CHAT = "chat-service";
    private static final String SOCKETIO = "socket.io";
    private static final String REDIS_URL = "redis://127.0.0.1:6379";

    private final int smallRooms;
    private final int smallViewers;
    private final double smallRate;
    private final int smallPublishers;
    private final int largeRooms;
    private final int largeViewers;
    private final double largeRate;
    private final int largePublishers;
    private final int instances;
    private final int eventLoops;
    private final List<Double> multipliers;
    private final Duration step;
    private final Duration drain;
    private final double goalMillis;
    private final double jitThreshold;
    private final Duration warmupWindow;
    private final Duration warmupCap;
    private final int rounds;
    private final Duration roundWindow;
    private final int clientThreads;
    private final int connectRate;
    private final Duration connectTimeout;

    public ChatFanoutScenario(Knobs k) {
        smallRooms = k.integer("small-rooms", 100);
        smallViewers = k.integer("small-viewers", 40);
        smallRate = k.decimal("small-rate", 1);
        smallPublishers = k.integer("small-publishers", 2);
        largeRooms = k.integer("large-rooms", 4);
        largeViewers = k.integer("large-viewers", 1_500);
        largeRate = k.decimal("large-rate", 35);
        largePublishers = k.integer("large-publishers", 8);
        instances = k.integer("instances", 2);
        eventLoops = k.integer("event-loops", 1);
        multipliers = k.decimals("multipliers", "0.1,0.2,0.35,0.5,0.75,1,1.5");
        step = k.duration("step", "8s");
        drain = k.duration("drain", "1s");
        goalMillis = k.decimal("goal-ms", 50);
        jitThreshold = k.decimal("jit-threshold", 0.05);
        warmupWindow = k.duration("warmup-window", "5s");
        warmupCap = k.duration("warmup-cap", "90s");
        rounds = k.integer("rounds", 5);
        roundWindow = k.duration("round-window", "6s");
        clientThreads = k.integer("client-threads", 2);
        connectRate = k.integer("connect-rate", 1_000);
        connectTimeout = k.duration("connect-timeout", "60s");
        Knobs.require(instances > 0 && eventLoops > 0 && rounds > 0 && smallRooms + largeRooms > 0,
                "instances, event-loops, rounds and rooms must be positive");
    }

    private int rooms() {
        return smallRooms + largeRooms;
    }

    private int viewers() {
        return smallRooms * smallViewers + largeRooms * largeViewers;
    }

    /** Deliveries per second at multiplier 1 (every viewer ready). */
    private double nominal() {
        return smallRooms * smallRate * smallViewers + largeRooms * largeRate * largeViewers;
    }

    @Override
    public Duration budget() {
        long sockets = 2L * (viewers() + smallRooms * smallPublishers + largeRooms * largePublishers);
        // chat-service admits some 70 sockets/s on 2 busy cores: budget 40/s over both systems' sockets
        return Duration.ofSeconds(300 + sockets / 40).plus(warmupCap.multipliedBy(2))
                .plus(step.plus(drain).plusSeconds(1).multipliedBy(2L * multipliers.size()))
                .plus(roundWindow.plus(drain).plusSeconds(1).multipliedBy(2L * rounds));
    }

    @Override
    public Report run(Run run) throws Exception {
        long limit = openFileLimit();
        long needed = 2L * (viewers() + smallRooms * smallPublishers + largeRooms * largePublishers) + 2_000;
        if (limit >= 0 && limit < needed) {
            throw new IllegalStateException("the harness may open " + limit + " files (ulimit -n), the run needs about "
                    + needed + ": raise it (ulimit -n) or lower --large-viewers / --small-viewers");
        }
        ServiceProcess session = run.service("session-service", b -> b);
        List<ServiceProcess> chats = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            int n = i;
            var shared = chats.isEmpty() ? null : chats.getFirst().database();
            chats.add(run.service("chat-service", b -> (shared == null ? b : b.database(shared))
                    .log(run.dir().resolve("chat-service-" + n + ".log"))
                    .env("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE", Integer.toString(eventLoops))
                    .env("LIVESTAGE_CHAT_RATE_LIMIT_MESSAGES", "100000")
                    .env("LIVESTAGE_CHAT_FLOOD_FRAMES_PER_SECOND", "100000")
                    .env("LIVESTAGE_CHAT_FLOOD_BURST", "100000")));
        }
        run.describe("chat-service × " + instances + ": one database shared by the instances, "
                + "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=" + eventLoops + " (as many event loops as a Node process has), "
                + "the chat rate and flood limits raised to 100,000 (the load would trip them), otherwise its defaults");
        SocketIoPeer io = run.own(SocketIoPeer.start(run.root(), instances, REDIS_URL, run.dir()));
        run.describe("Socket.IO × " + instances + ": node " + io.nodeVersion + " bench/socketio/server.mjs (socket.io "
                + io.socketIoVersion + ", WebSocket transport only, no compression, default pings) with "
                + "@socket.io/redis-adapter " + io.adapterVersion + " (redis client " + io.redisClientVersion
                + ") to the Redis at " + REDIS_URL + ": one process per instance, the setup of Socket.IO's "
                + "multi-node guide");

        Map<String, List<Cpu.Proc>> servers = new LinkedHashMap<>();
        servers.put(CHAT, new ArrayList<>());
        for (int i = 0; i < chats.size(); i++) {
            servers.get(CHAT).add(new Cpu.Proc("chat-service " + (i + 1), chats.get(i).pid()));
        }
        servers.put(SOCKETIO, new ArrayList<>());
        for (int i = 0; i < io.instances.size(); i++) {
            servers.get(SOCKETIO).add(new Cpu.Proc("socket.io " + (i + 1), io.instances.get(i).pid()));
        }
        ProcessHandle redis = SocketIoPeer.redisServer();
        List<Cpu.Proc> others = run.procs(chats.getFirst().database(), true, redis == null ? new Cpu.Proc[0]
                : new Cpu.Proc[] {new Cpu.Proc("redis", redis.pid())});

        List<String> roomIds = new ArrayList<>();
        try (Http http = new Http(1, 8, Duration.ofSeconds(30))) {
            for (int i = 0; i < rooms(); i++) {
                String host = TestTokens.token(String.format("bench-chat-host-%02d", i % 8));
                roomIds.add(http.session(session.port(), host, "{\"title\":\"Chat fan-out " + i
                        + "\",\"kind\":\"AUDIO\",\"visibility\":\"PUBLIC\"}", true));
            }
        }
        int publishers = smallRooms * smallPublishers + largeRooms * largePublishers;
        List<String> publisherTokens = new ArrayList<>();
        for (int i = 1; i <= publishers; i++) {
            publisherTokens.add(TestTokens.token(String.format("bench-chat-publisher-%04d", i)));
        }
        List<String> viewerTokens = new ArrayList<>();
        for (int i = 1; i <= viewers(); i++) {
            viewerTokens.add(TestTokens.token(String.format("bench-chat-viewer-%05d", i)));
        }
        Vertx vertx = FanoutClient.vertx(clientThreads);
        run.own(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Map<String, FanoutClient> clients = new LinkedHashMap<>();
        Map<String, Integer> ready = new LinkedHashMap<>();
        for (String system : List.of(CHAT, SOCKETIO)) {
            boolean chat = system.equals(CHAT);
            FanoutClient client = run.own(new FanoutClient(vertx, chat ? FanoutClient.Protocol.CHAT_SERVICE
                    : FanoutClient.Protocol.SOCKET_IO, chat ? chats.stream().map(ServiceProcess::port).toList()
                    : io.ports(), clientThreads, 1));
            List<FanoutClient.Room> rooms = rooms(roomIds);
            List<FanoutClient.Conn> conns = layout(client, rooms, publisherTokens, viewerTokens);
            Log.info("%s: opening %d connections", system, conns.size());
            FanoutClient.ConnectOutcome outcome = client.connect(conns, connectRate, 200, connectTimeout.toMillis(),
                    n -> Log.info("%s: %d connections started", system, n));
            Log.info("%s: %d ready, %d failed in %d ms %s", system, outcome.ready(), outcome.failed(), outcome.millis(),
                    outcome.errors());
            if (outcome.ready() == 0) {
                throw new IllegalStateException(system + ": no connection became ready: " + outcome.errors());
            }
            client.assignRooms(rooms);
            clients.put(system, client);
            ready.put(system, outcome.ready());
        }

        Report report = Report.load("chat-fanout");
        Map<String, Knee.Step> knees = new LinkedHashMap<>();
        Map<String, Double> kneeMultipliers = new LinkedHashMap<>();
        for (String system : List.of(CHAT, SOCKETIO)) {
            FanoutClient client = clients.get(system);
            List<Cpu.Proc> procs = new ArrayList<>(servers.get(system));
            procs.addAll(others);
            Cpu cpu = new Cpu(procs);
            // at the sweep's first load: at the nominal one neither system keeps up, and the backlog it leaves would
            // be delivered (seconds late) inside the first measured step
            Warmup.Outcome warm = Warmup.run(new Cpu(servers.get(system)), jitThreshold, warmupWindow, warmupCap,
                    w -> window(client, system, "warm-up", multipliers.getFirst(), w));
            List<Knee.Step> steps = Knee.sweep(multipliers, goalMillis, m -> {
                Cpu.Sample a = cpu.sample();
                LoadResult load = window(client, system, "×" + m, m, step);
                return new Knee.Step(load.offered(), load, Cpu.between(a, cpu.sample()));
            });
            Knee.Step knee = Knee.headline(steps, goalMillis).orElse(null);
            knees.put(system, knee);
            kneeMultipliers.put(system, knee == null ? multipliers.getFirst() : multipliers.get(steps.indexOf(knee)));
            String key = system.equals(CHAT) ? "chat" : "io";
            report.put(key + "_warmup", warm.summary()).put(key + "_warmup_table", Warmup.table(warm))
                    .put(key + "_sweep", Sweep.table(steps, procs.stream().map(Cpu.Proc::name).toList(), goalMillis))
                    .put(key + "_knee", knee == null ? "no step met the goal" : Table.f(knee.load().achieved(), 0)
                            + " deliveries/s (p99 " + Table.f(knee.load().p99Millis(), 1) + " ms)");
        }

        // A B rounds at the same offered load for both: half the lower knee (or the lowest step if one had none)
        double m = kneeMultipliers.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow() / 2;
        Table roundsTable = new Table("round", "system", "deliveries/s", "p50 ms", "p99 ms", "server CPU µs/delivery",
                "broker CPU µs/delivery", "harness CPU µs/delivery");
        List<Double> ratios = new ArrayList<>();
        List<LoadResult> loads = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            double[] perDelivery = new double[2];
            int s = 0;
            for (String system : List.of(CHAT, SOCKETIO)) {
                String broker = system.equals(CHAT) ? "kafka" : "redis";
                List<Cpu.Proc> procs = new ArrayList<>(servers.get(system));
                others.stream().filter(p -> p.name().equals(broker) || p.name().equals("harness")).forEach(procs::add);
                Cpu cpu = new Cpu(procs);
                Cpu.Sample a = cpu.sample();
                LoadResult load = window(clients.get(system), system, "round " + r, m, roundWindow);
                Map<String, Cpu.Usage> used = Cpu.between(a, cpu.sample());
                loads.add(load);
                double server = servers.get(system).stream().mapToDouble(p -> used.get(p.name()).cpuSeconds()).sum()
                        * 1e6 / Math.max(1, load.ok());
                perDelivery[s++] = server;
                Cpu.Usage b = used.get(broker);
                roundsTable.row(r, system, Table.f(load.achieved(), 0), Table.f(load.p50Millis(), 1),
                        Table.f(load.p99Millis(), 1), Table.f(server, 2),
                        b == null ? "n/a" : Table.f(b.microsPer(load.ok()), 2),
                        Table.f(used.get("harness").microsPer(load.ok()), 2));
            }
            ratios.add(perDelivery[0] / perDelivery[1]);
            Log.info("round %d/%d: CPU per delivery chat-service %.2f µs, Socket.IO %.2f µs", r, rounds,
                    perDelivery[0], perDelivery[1]);
        }
        Stats ratio = Stats.of(ratios);
        Knee.Step chatKnee = knees.get(CHAT);
        report.put("rooms", smallRooms + " small rooms (" + smallViewers + " viewers, " + smallPublishers
                + " publishers, " + Table.f(smallRate, 1) + " messages/s each) and " + largeRooms + " large rooms ("
                + largeViewers + " viewers, " + largePublishers + " publishers, " + Table.f(largeRate, 1)
                + " messages/s each)")
                .put("nominal", Table.f(nominal(), 0)).put("ready_chat", ready.get(CHAT))
                .put("ready_io", ready.get(SOCKETIO)).put("instances", instances).put("event_loops", eventLoops)
                .put("goal_ms", Table.f(goalMillis, 0)).put("round_multiplier", Table.f(m, 3))
                .put("rounds", roundsTable).put("ratio", ratio.format("%.2f"))
                .put("errors", Sweep.errors(loads))
                .put("client_threads", clientThreads);
        report.result("deliveries_per_s", chatKnee == null ? "0" : Table.plain(chatKnee.load().achieved(), 0))
                .result("p99_ms", chatKnee == null ? "n/a" : Table.plain(chatKnee.load().p99Millis(), 1))
                .result("cpu_ratio_vs_socketio", Table.plain(ratio.median(), 2));
        return report;
    }

    /**
     * Publishes at {@code multiplier} × the rooms' rates for {@code length}, stops, waits {@code drain} for the last
     * deliveries, and returns the window: ok = deliveries, offered = deliveries expected per second (messages sent ×
     * viewers ready in the room), errors = expected deliveries that did not arrive plus the client's errors.
     */
    private LoadResult window(FanoutClient client, String system, String label, double multiplier, Duration length) {
        try {
            client.publishing(true, multiplier);
            long start = System.nanoTime();
            FanoutClient.Window w = client.openWindow(start, start + length.toNanos());
            TimeUnit.NANOSECONDS.sleep(Math.max(0, w.end() - System.nanoTime()));
            client.publishing(false, 1);
            Thread.sleep(drain.toMillis());
            FanoutClient.WindowStats stats = client.collect(w);
            Map<String, Long> errors = new LinkedHashMap<>(stats.errors);
            long missing = Math.max(0, stats.expected - stats.deliveries);
            if (missing > 0) {
                errors.put("deliveries missing " + drain.toMillis() + " ms after the window", missing);
            }
            long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
            return new LoadResult(system + " " + label, stats.expected / w.seconds(), w.seconds(), stats.deliveries,
                    errorCount, stats.latency, Map.of(), errors, stats.lateSends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private List<FanoutClient.Room> rooms(List<String> ids) {
        List<FanoutClient.Room> rooms = new ArrayList<>();
        for (int i = 0; i < largeRooms; i++) { // large rooms first: spread over the client threads
            rooms.add(new FanoutClient.Room(rooms.size(), ids.get(rooms.size()), true, largeRate));
        }
        for (int i = 0; i < smallRooms; i++) {
            rooms.add(new FanoutClient.Room(rooms.size(), ids.get(rooms.size()), false, smallRate));
        }
        return rooms;
    }

    /** Publishers of every room first, then the viewers interleaved over the rooms (every room fills gradually). */
    private List<FanoutClient.Conn> layout(FanoutClient client, List<FanoutClient.Room> rooms,
            List<String> publisherTokens, List<String> viewerTokens) {
        List<FanoutClient.Conn> conns = new ArrayList<>();
        int number = 0;
        int publisher = 0;
        for (FanoutClient.Room room : rooms) {
            for (int p = 0; p < (room.large ? largePublishers : smallPublishers); p++) {
                conns.add(client.addPublisher(room, String.format("bench-chat-publisher-%04d", publisher + 1),
                        publisherTokens.get(publisher), number++));
                publisher++;
            }
        }
        int[] remaining = rooms.stream().mapToInt(r -> r.large ? largeViewers : smallViewers).toArray();
        int viewer = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (FanoutClient.Room room : rooms) {
                if (remaining[room.index] > 0) {
                    remaining[room.index]--;
                    any = true;
                    conns.add(client.addViewer(room, String.format("bench-chat-viewer-%05d", viewer + 1),
                            viewerTokens.get(viewer), number++));
                    viewer++;
                }
            }
        }
        return conns;
    }

    private static long openFileLimit() throws java.io.IOException {
        java.nio.file.Path limits = java.nio.file.Path.of("/proc/self/limits");
        if (!java.nio.file.Files.isReadable(limits)) {
            return -1;
        }
        for (String line : java.nio.file.Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return -1;
    }
}
