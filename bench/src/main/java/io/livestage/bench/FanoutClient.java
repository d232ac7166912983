package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.LoadResult;

/**
 * The one WebSocket client of chat-fanout, for both systems: viewers that count and time every chat message they
 * receive, and publishers that send chat messages on an open-loop schedule per room, each carrying its send time
 * ({@code t=<System.nanoTime()>} in the text; everything is in this JVM, so one clock).
 */
final class FanoutClient implements AutoCloseable {

    /** The wire protocol of one system. */
    enum Protocol {
        /** chat-service: {@code /ws/sessions/{id}}, auth frame, {@code chat.send} / {@code chat.message}. */
        CHAT_SERVICE,
        /** Socket.IO 4 / Engine.IO 4 over WebSocket: {@code 40} connect, {@code 42["chat",{...}]} events. */
        SOCKET_IO
    }

    /** A room (a session): its id and the connections in it. */
    static final class Room {
        final int index;
        final String id;
        final boolean large;
        final double rate;
        final List<Conn> publishers = new ArrayList<>();
        /** Viewers of this room that are ready (welcome / Socket.IO connect), for the expected deliveries. */
        final AtomicInteger readyViewers = new AtomicInteger();
        long next;
        long interval;
        int turn;
        long sequence;

        Room(int index, String id, boolean large, double rate) {
            this.index = index;
            this.id = id;
            this.large = large;
            this.rate = rate;
        }
    }

    /** A time span of the run whose messages are booked together; {@code index} into each shard's stats. */
    record Window(int index, long start, long end) {
        double seconds() {
            return (end - start) / 1e9;
        }
    }

    /** What one window collected, summed over the shards. */
    static final class WindowStats {
        final Histogram latency = LoadResult.histogram();
        long deliveries;
        long expected;
        long lateSends;
        final Map<String, Long> errors = new LinkedHashMap<>();

        void add(WindowStats other) {
            latency.add(other.latency);
            deliveries += other.deliveries;
            expected += other.expected;
            lateSends += other.lateSends;
            other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
        }
    }

    /** How opening a set of connections went. */
    record ConnectOutcome(int ready, int failed, long millis, Histogram connectMicros, Map<String, Long> errors,
            int retries) {
    }

    static final int MAX_WINDOWS = 64;
    /** A send more than this behind its schedule counts as late (the client thread fell behind). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final byte[] MARKER = "\"t=".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_AUTH_ATTEMPTS = 20;
    private static final long RETRY_MILLIS = 250;

    private final Vertx vertx;
    private final List<Shard> shards = new ArrayList<>();
    private final Protocol protocol;
    private final List<Integer> ports;
    private final int sourceAddresses;
    private volatile Window[] windows = new Window[0];
    private volatile boolean publishing;
    private volatile double multiplier = 1;

    /**
     * @param ports the instances of the system; connection {@code i} goes to {@code ports[i % n]}
     */
    FanoutClient(Vertx vertx, Protocol protocol, List<Integer> ports, int threads, int sourceAddresses) {
        this.vertx = vertx;
        this.protocol = protocol;
        this.ports = List.copyOf(ports);
        this.sourceAddresses = sourceAddresses;
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Shard shard = new Shard(i);
            shards.add(shard);
            CompletableFuture<Void> done = new CompletableFuture<>();
            started.add(done);
            vertx.deployVerticle(shard, new DeploymentOptions()).onComplete(r -> {
                if (r.succeeded()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(r.cause());
                }
            });
        }
        started.forEach(CompletableFuture::join);
    }

    static Vertx vertx(int threads) {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setWorkerPoolSize(2)
                .setBlockedThreadCheckInterval(10_000).setPreferNativeTransport(true));
    }

    /** The shard that owns room {@code room}'s publishers and schedule. */
    private Shard roomShard(Room room) {
        return shards.get(room.index % shards.size());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // connections

    /** One WebSocket: a viewer or a publisher of one room. */
    final class Conn {
        final Room room;
        final String user;
        final String token;
        final boolean publisher;
        final int number;
        final Shard shard;
        WebSocket ws;
        boolean ready;
        boolean closing;
        int attempts;
        long startedNanos;
        CompletableFuture<Boolean> readyFuture;
        CompletableFuture<Void> closed;

        Conn(Room room, String user, String token, boolean publisher, int number, Shard shard) {
            this.room = room;
            this.user = user;
            this.token = token;
            this.publisher = publisher;
            this.number = number;
            this.shard = shard;
        }

        int port() {
            return ports.get(number % ports.size());
        }

        String uri() {
            return switch (protocol) {
                case CHAT_SERVICE -> "/ws/sessions/" + room.id;
                case SOCKET_IO -> "/socket.io/?EIO=4&transport=websocket&room=" + room.id + "&user=" + user;
            };
        }

        /** On the shard's thread. */
        void open() {
            attempts++;
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port())
                    .setURI(uri()).setTimeout(15_000).setConnectTimeout(10_000);
            shard.client(number).connect(options).onComplete(result -> {
                if (result.failed()) {
                    fail("connect: " + simple(result.cause()));
                    return;
                }
                ws = result.result();
                ws.frameHandler(this::frame);
                ws.closeHandler(v -> closedByPeer());
                ws.exceptionHandler(e -> {
                    if (!closing) {
                        shard.error(publisher, "socket: " + simple(e));
                    }
                });
                if (protocol == Protocol.CHAT_SERVICE) {
                    ws.writeTextMessage(token == null ? "{\"type\":\"auth\",\"v\":1}"
                            : "{\"type\":\"auth\",\"v\":1,\"token\":\"" + token + "\"}");
                }
            });
        }

        private void frame(WebSocketFrame frame) {
            if (!frame.isText() && !frame.isContinuation()) {
                return; // ping/pong/close are handled by Vert.x
            }
            Buffer data = frame.binaryData();
            if (ready) {
                long sentAt = sendTime(data);
                if (sentAt > 0) {
                    shard.delivered(this, sentAt);
                    return;
                }
                other(data);
                return;
            }
            handshake(data.toString(StandardCharsets.UTF_8));
        }

        private void handshake(String text) {
            if (protocol == Protocol.CHAT_SERVICE) {
                if (text.contains("\"type\":\"welcome\"")) {
                    becomeReady();
                } else if (text.contains("\"type\":\"error\"")) {
                    String code = field(text, "code");
                    if (("not_found".equals(code) || "unavailable".equals(code)) && attempts < MAX_AUTH_ATTEMPTS) {
                        retry();
                    } else {
                        fail("auth: error " + code);
                    }
                }
                // anything else before welcome (presence...) is ignored
                return;
            }
            if (text.startsWith("0")) {
                ws.writeTextMessage("40");
            } else if (text.startsWith("40")) {
                becomeReady();
            } else if (text.startsWith("44")) {
                fail("socket.io connect error " + text);
            } else if (text.equals("2")) {
                ws.writeTextMessage("3");
            }
        }

        private void other(Buffer data) {
            if (protocol == Protocol.SOCKET_IO) {
                if (data.length() == 1 && data.getByte(0) == '2') {
                    ws.writeTextMessage("3"); // Engine.IO ping → pong
                } else if (data.length() > 2 && data.getByte(0) == '4' && data.getByte(1) == '3') {
                    String text = data.toString(StandardCharsets.UTF_8);
                    if (text.contains("\"error\"")) {
                        shard.error(publisher, "ack error " + field(text, "error"));
                    }
                } else if (data.length() > 0 && data.getByte(0) == '1') {
                    shard.error(publisher, "engine.io close");
                }
                return;
            }
            // chat-service: errors; acks, presence, reactions, system frames are not counted
            String text = data.toString(StandardCharsets.UTF_8);
            if (text.contains("\"type\":\"error\"")) {
                shard.error(publisher, "error " + field(text, "code"));
            }
        }

        private void retry() {
            shard.retries++;
            WebSocket old = ws;
            ws = null;
            closing = true;
            if (old != null) {
                old.closeHandler(null);
                old.close();
            }
            shard.vertxContext().owner().setTimer(RETRY_MILLIS, id -> {
                closing = false;
                open();
            });
        }

        private void becomeReady() {
            if (ready) {
                return;
            }
            ready = true;
            shard.connectMicros.recordValue(LoadResult.micros(System.nanoTime() - startedNanos));
            if (!publisher) {
                room.readyViewers.incrementAndGet();
            }
            readyFuture.complete(true);
        }

        private void fail(String cause) {
            shard.connectErrors.merge(cause, 1L, Long::sum);
            if (ws != null) {
                ws.closeHandler(null);
                ws.close();
                ws = null;
            }
            if (closed != null) {
                closed.complete(null);
            }
            readyFuture.complete(false);
        }

        private void closedByPeer() {
            if (ready && !publisher) {
                room.readyViewers.decrementAndGet();
            }
            boolean wasReady = ready;
            ready = false;
            ws = null;
            if (closed != null) {
                closed.complete(null);
            } else if (!closing) {
                if (wasReady) {
                    shard.error(publisher, "closed by the server");
                } else {
                    fail("closed by the server before ready");
                }
            }
        }

        /** On the shard's thread. */
        void close() {
            closed = new CompletableFuture<>();
            if (ws == null) {
                closed.complete(null);
                return;
            }
            closing = true;
            ws.close((short) 1000);
        }

        void send(long now) {
            if (ws == null || !ready) {
                return;
            }
            long sequence = ++room.sequence;
            String text = switch (protocol) {
                case CHAT_SERVICE -> "{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"m" + room.index + "-"
                        + sequence + "\",\"text\":\"t=" + now + " r" + room.index + "\"}";
                case SOCKET_IO -> "42" + sequence + "[\"chat\",{\"clientMessageId\":\"m" + room.index + "-" + sequence
                        + "\",\"text\":\"t=" + now + " r" + room.index + "\"}]";
            };
            ws.writeTextMessage(text);
        }
    }

    /** The value of {@code "name":"value"} in a small JSON text, or "?" (for error codes only; not on the hot path). */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return "?";
        }
        int end = json.indexOf('"', at + key.length());
        return end < 0 ? "?" : json.substring(at + key.length(), end);
    }

    /** The {@code t=<nanos>} of a chat message frame (the first {@code "t=} followed by digits), or 0 if none. */
    static long sendTime(Buffer data) {
        int length = data.length();
        outer:
        for (int i = 0; i + MARKER.length < length; i++) {
            for (int k = 0; k < MARKER.length; k++) {
                if (data.getByte(i + k) != MARKER[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int digits = 0;
            for (int j = i + MARKER.length; j < length; j++) {
                byte b = data.getByte(j);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits++;
            }
            return digits > 0 ? value : 0;
        }
        return 0;
    }

    private static String simple(Throwable e) {
        String message = e.getMessage();
        if (message != null && message.length() > 80) {
            message = message.substring(0, 80);
        }
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // shards: one event loop each

    final class Shard extends AbstractVerticle {
        final int index;
        private final List<WebSocketClient> clients = new ArrayList<>();
        final List<Room> rooms = new ArrayList<>();
        final WindowStats[] stats = new WindowStats[MAX_WINDOWS];
        final Histogram connectMicros = LoadResult.histogram();
        final Map<String, Long> connectErrors = new HashMap<>();
        int retries;
        private long timer = -1;

        Shard(int index) {
            this.index = index;
            for (int i = 0; i < MAX_WINDOWS; i++) {
                stats[i] = new WindowStats();
            }
        }

        @Override
        public void start() {
            for (int a = 0; a < sourceAddresses; a++) {
                clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                        .setConnectTimeout(10_000).setMaxFrameSize(65_536).setMaxMessageSize(262_144)
                        .setTryUsePerMessageCompression(false).setTryUsePerFrameCompression(false)
                        .setTcpNoDelay(true).setLocalAddress("127.0.0." + (a + 1))));
            }
            timer = vertx.setPeriodic(1, id -> tick());
        }

        Context vertxContext() {
            return context;
        }

        WebSocketClient client(int number) {
            return clients.get(number % clients.size());
        }

        void run(Runnable task) {
            context.runOnContext(v -> task.run());
        }

        /** The window the instant {@code at} belongs to, or null (warm-up, between windows). */
        private WindowStats window(long at) {
            Window[] all = windows;
            for (int i = all.length - 1; i >= 0; i--) {
                Window w = all[i];
                if (at >= w.start && at < w.end) {
                    return stats[w.index];
                }
            }
            return null;
        }

        void delivered(Conn conn, long sentAt) {
            long now = System.nanoTime();
            // booked by the send time, as the expected deliveries are: a message sent just before a window's end
            // whose deliveries arrive after it still belongs to that window (not "missing")
            WindowStats w = window(sentAt);
            if (w == null || conn.publisher) {
                return; // sent outside the windows, or a publisher's echo
            }
            w.deliveries++;
            w.latency.recordValue(LoadResult.micros(now - sentAt));
        }

        void error(boolean publisher, String cause) {
            String key = (publisher ? "publisher: " : "viewer: ") + cause;
            WindowStats w = window(System.nanoTime());
            if (w != null) { // errors outside the windows (connecting, warm-up) do not count
                w.errors.merge(key, 1L, Long::sum);
            }
        }

        /** Every millisecond: the messages of this shard's rooms that are due (open loop). */
        private void tick() {
            if (!publishing) {
                return;
            }
            long now = System.nanoTime();
            double m = multiplier;
            for (Room room : rooms) {
                if (room.rate <= 0 || room.publishers.isEmpty()) {
                    continue;
                }
                long interval = Math.max(1, Math.round(1e9 / (room.rate * m)));
                if (room.interval != interval) {
                    // a new rate: start its schedule now, at a random phase, so rooms do not send in lockstep
                    room.interval = interval;
                    room.next = now + ThreadLocalRandom.current().nextLong(interval);
                }
                int sentHere = 0;
                while (room.next <= now && sentHere < 1_000) {
                    long lag = now - room.next;
                    Conn publisher = room.publishers.get(room.turn++ % room.publishers.size());
                    long sendAt = System.nanoTime();
                    publisher.send(sendAt);
                    WindowStats w = window(sendAt);
                    if (w != null) {
                        w.expected += room.readyViewers.get();
                        if (lag > LATE_NANOS) {
                            w.lateSends++;
                        }
                    }
                    room.next += interval;
                    sentHere++;
                }
                if (room.next <= now) {
                    room.next = now; // more than 1,000 behind in one tick: give up on catching up
                }
            }
        }

        @Override
        public void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // control (called from the benchmark's thread)

    /** Adds a publisher connection to {@code room}. */
    Conn addPublisher(Room room, String user, String token, int number) {
        Conn conn = new Conn(room, user, token, true, number, roomShard(room));
        room.publishers.add(conn);
        return conn;
    }

    /** Adds a viewer connection to {@code room}, on shard {@code number % threads}. */
    Conn addViewer(Room room, String user, String token, int number) {
        Conn conn = new Conn(room, user, token, false, number, shards.get(number % shards.size()));
        return conn;
    }

    /** Runs {@code task} on each shard's event loop in turn, waiting for each. */
    private void onEachShard(Consumer<Shard> task) {
        for (Shard shard : shards) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            shard.run(() -> {
                task.accept(shard);
                done.complete(null);
            });
            done.join();
        }
    }

    /** Gives each room's schedule to its shard (before publishing starts). */
    void assignRooms(List<Room> rooms) {
        onEachShard(shard -> {
            shard.rooms.clear();
            rooms.stream().filter(r -> roomShard(r) == shard).forEach(shard.rooms::add);
            shard.rooms.forEach(room -> room.interval = 0);
        });
    }

    /**
     * Opens {@code conns} at {@code perSecond} at most, in order, with at most {@code concurrency} handshakes in flight
     * (a server slower than the rate sets the pace instead of collecting a backlog of handshakes that time out);
     * returns once each is ready or failed, or at {@code timeoutMillis} after the last was started (those still pending
     * count as failed).
     */
    ConnectOutcome connect(List<Conn> conns, int perSecond, int concurrency, long timeoutMillis,
            IntConsumer progress) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        onEachShard(shard -> {
            shard.connectMicros.reset();
            shard.connectErrors.clear();
            shard.retries = 0;
        });
        long start = System.nanoTime();
        List<CompletableFuture<Boolean>> futures = new ArrayList<>(conns.size());
        long lastReport = start;
        for (int i = 0; i < conns.size(); i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                break; // the server answers no handshakes any more; the rest count as failed
            }
            Conn conn = conns.get(i);
            conn.readyFuture = new CompletableFuture<>();
            conn.readyFuture.whenComplete((ok, e) -> inFlight.release());
            conn.closed = null;
            conn.closing = false;
            conn.ready = false;
            conn.attempts = 0;
            futures.add(conn.readyFuture);
            conn.shard.run(() -> {
                conn.startedNanos = System.nanoTime();
                conn.open();
            });
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                progress.accept(i + 1);
            }
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // those not ready by now count as failed
        }
        int ready = (int) futures.stream().filter(f -> f.getNow(false)).count();
        int failed = conns.size() - ready;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Histogram connectMicros = LoadResult.histogram();
        Map<String, Long> errors = new LinkedHashMap<>();
        int[] retries = {0};
        onEachShard(shard -> {
            connectMicros.add(shard.connectMicros);
            shard.connectErrors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            retries[0] += shard.retries;
        });
        long counted = errors.values().stream().mapToLong(Long::longValue).sum();
        if (counted < failed) {
            errors.merge("no answer within the connect timeout", failed - counted, Long::sum);
        }
        return new ConnectOutcome(ready, failed, millis, connectMicros, errors, retries[0]);
    }

    /** Starts or stops the publishers (every shard's schedule). */
    void publishing(boolean on, double rateMultiplier) {
        if (on && !publishing) {
            // a fresh schedule from now: no catching up on the messages due while publishing was off
            onEachShard(shard -> shard.rooms.forEach(room -> room.interval = 0));
        }
        this.multiplier = rateMultiplier;
        this.publishing = on;
    }

    /** Opens a window from now for {@code seconds}; deliveries of messages sent in it are booked to it. */
    Window openWindow(long start, long end) {
        Window[] all = windows;
        if (all.length >= MAX_WINDOWS) {
            throw new IllegalStateException("too many windows");
        }
        Window w = new Window(all.length, start, end);
        Window[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = w;
        windows = next;
        return w;
    }

    /** The statistics of window {@code w} summed over the shards (read on each shard's thread). */
    WindowStats collect(Window w) {
        WindowStats sum = new WindowStats();
        onEachShard(shard -> sum.add(shard.stats[w.index]));
        return sum;
    }

    @Override
    public void close() {
        for (Shard shard : shards) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (shard.deploymentID() != null) {
                vertx.undeploy(shard.deploymentID()).onComplete(r -> done.complete(null));
                try {
                    done.get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }
}
