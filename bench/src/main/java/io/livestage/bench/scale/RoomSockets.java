package io.livestage.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import io.livestage.bench.core.OpStats;

/**
 * The chat sockets of the scale run (chat-service's room channel, PROTOCOL.md): open, auth frame, welcome; chat sends
 * and their deliveries.
 */
final class RoomSockets implements AutoCloseable {
    /** Sockets per source address, under Linux's default ephemeral range (32768-60999). */
    private static final int PER_SOURCE = 25_000;

    /** A message on its way: when it was sent and how many sockets still have to receive it. */
    private record Pending(long sentNanos, AtomicInteger remaining) {
    }

    /** One socket; {@link #ready} completes with true at the welcome, false when it failed first. */
    final class Sock {
        /** The ready sockets of its session: the receivers a message expects. */
        final List<Sock> room;
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        volatile WebSocket ws;
        volatile boolean closing;
        private long openedAt;
        private String refusal = "";

        Sock(List<Sock> room) {
            this.room = room;
        }

        /** Sends a chat message now, unless the socket is closed. */
        void send(String clientMessageId, String text) {
            WebSocket socket = ws;
            if (socket == null || closing) {
                return;
            }
            pending.put(clientMessageId, new Pending(System.nanoTime(), new AtomicInteger(room.size())));
            sent.increment();
            socket.writeTextMessage("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"" + clientMessageId
                    + "\",\"text\":\"" + text + "\"}");
        }

        private void frame(String text, long now) {
            if (text.contains("\"type\":\"chat.message\"")) {
                String id = field(text, "clientMessageId");
                Pending message = pending.get(id);
                if (message != null) {
                    each.success(now - message.sentNanos);
                    if (message.remaining.decrementAndGet() == 0 && pending.remove(id) != null) {
                        all.success(now - message.sentNanos);
                    }
                }
            } else if (text.contains("\"type\":\"presence\"")) {
                presence.increment();
            } else if (text.contains("\"type\":\"welcome\"") && !ready.isDone()) {
                opened.success(now - openedAt);
                room.add(this);
                ready.complete(true);
            } else if (text.contains("\"type\":\"error\"")) {
                if (ready.isDone()) {
                    all.failure("error frame " + field(text, "code"));
                } else {
                    refusal = " after error " + field(text, "code");
                }
            }
        }
    }

    /** Socket-level: open → welcome latency; refusals, failed connects and unexpected closes are its errors. */
    final OpStats opened = new OpStats("chat socket: open → welcome");
    final OpStats all = new OpStats("chat.send → every socket of the room");
    final OpStats each = new OpStats("chat.send → one socket");
    final LongAdder sent = new LongAdder();
    final LongAdder presence = new LongAdder();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final Queue<Sock> socks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    RoomSockets(int sockets, long timeoutMillis) {
        for (int a = 0; a <= sockets / PER_SOURCE; a++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                    .setConnectTimeout((int) timeoutMillis).setTryUsePerMessageCompression(false)
                    .setLocalAddress("127.0.0." + (a + 1))));
        }
    }

    /** Opens a socket to {@code /ws/sessions/{session}} on {@code port} and authenticates with {@code token}. */
    Sock open(List<Sock> room, int port, String session, String token) {
        Sock sock = new Sock(room);
        socks.add(sock);
        sock.openedAt = System.nanoTime();
        WebSocketClient client = clients.get(count.getAndIncrement() / PER_SOURCE % clients.size());
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/sessions/" + session))
                .onComplete(result -> {
                    if (result.failed()) {
                        opened.failure("connect: " + result.cause().getClass().getSimpleName());
                        sock.ready.complete(false);
                        return;
                    }
                    WebSocket ws = result.result();
                    sock.ws = ws;
                    ws.textMessageHandler(text -> sock.frame(text, System.nanoTime()));
                    ws.closeHandler(v -> {
                        sock.ws = null;
                        room.remove(sock);
                        if (!sock.closing) {
                            opened.failure((sock.ready.isDone() ? "closed by the server (" : "refused (")
                                    + ws.closeStatusCode() + sock.refusal + ")");
                            sock.ready.complete(false);
                        }
                    });
                    ws.writeTextMessage("{\"type\":\"auth\",\"v\":1,\"token\":\"" + token + "\"}");
                });
        return sock;
    }

    /** Counts the messages some ready socket never received as errors of {@link #all}. */
    void missing() {
        pending.keySet().forEach(id -> all.failure("message not delivered to every socket of its room"));
        pending.clear();
    }

    int pending() {
        return pending.size();
    }

    /** The {@code "name":"value"} in a small JSON text, or "?". */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return "?";
        }
        int end = json.indexOf('"', at + key.length());
        return end < 0 ? "?" : json.substring(at + key.length(), end);
    }

    @Override
    public void close() {
        socks.forEach(s -> {
            s.closing = true;
            WebSocket ws = s.ws;
            if (ws != null) {
                ws.close();
            }
        });
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
