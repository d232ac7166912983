package io.livestage.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The physical floor of chat-fanout: the least a room server can do, as its own JVM process (started by the
 * benchmark). Plain Vert.x WebSocket server on {@code /ws/sessions/{id}} speaking the subset of chat-service's room
 * protocol the benchmark uses — {@code auth} → {@code welcome}, {@code chat.send} → {@code chat.ack} to the sender and
 * one {@code chat.message} frame to every socket of the room — with no authentication, storage, Kafka or limits. Each
 * message is encoded once and written to each socket on that socket's event loop. It tells what the client, the
 * loopback and the kernel allow on this machine: no server can deliver more through the same client.
 * <p>
 * {@code java -cp … io.livestage.bench.FanoutFloorServer <port> <event loops>}; prints {@code ready <port>}.
 */
public final class FanoutFloorServer {
    private FanoutFloorServer() {
    }

    /** The sockets of one room, each with the event loop it belongs to. */
    private static final Map<String, List<Member>> ROOMS = new ConcurrentHashMap<>();
    private static final AtomicLong SEQ = new AtomicLong();
    private static int port;

    private record Member(ServerWebSocket socket, Context context) {
    }

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        vertx.deployVerticle(Server::new, new DeploymentOptions().setInstances(loops)).toCompletionStage()
                .toCompletableFuture().get();
        System.out.println("ready " + port + " native transport " + vertx.isNativeTransportEnabled());
        System.out.flush();
    }

    private static final class Server extends AbstractVerticle {
        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                    .setMaxWebSocketFrameSize(8192).setPerMessageWebSocketCompressionSupported(false)
                    .setPerFrameWebSocketCompressionSupported(false))
                    .webSocketHandler(this::socket).listen().onComplete(r -> {
                        if (r.succeeded()) {
                            started.complete();
                        } else {
                            started.fail(r.cause());
                        }
                    });
        }

        private void socket(ServerWebSocket socket) {
            String path = socket.path();
            if (!path.startsWith("/ws/sessions/")) {
                socket.close((short) 4404);
                return;
            }
            String room = path.substring("/ws/sessions/".length());
            Member me = new Member(socket, context);
            boolean[] authed = { false };
            socket.textMessageHandler(text -> {
                if (!authed[0]) {
                    authed[0] = true;
                    ROOMS.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>()).add(me);
                    socket.writeTextMessage("{\"type\":\"welcome\",\"v\":1,\"session\":{\"id\":\"" + room + "\"}}");
                    return;
                }
                JsonObject frame = new JsonObject(text);
                if (!"chat.send".equals(frame.getString("type"))) {
                    return;
                }
                long seq = SEQ.incrementAndGet();
                String clientMessageId = frame.getString("clientMessageId");
                socket.writeTextMessage(new JsonObject().put("type", "chat.ack").put("v", 1)
                        .put("clientMessageId", clientMessageId).put("id", Long.toString(seq)).put("seq", seq)
                        .encode());
                String message = new JsonObject().put("type", "chat.message").put("v", 1).put("id", Long.toString(seq))
                        .put("seq", seq).put("author", new JsonObject().put("userId", "u").put("role", "VIEWER"))
                        .put("text", frame.getString("text")).put("clientMessageId", clientMessageId).encode();
                List<Member> members = ROOMS.getOrDefault(room, List.of());
                // group by event loop: one task per loop writes to its own sockets
                Map<Context, List<ServerWebSocket>> byLoop = new HashMap<>();
                for (Member m : members) {
                    byLoop.computeIfAbsent(m.context(), c -> new ArrayList<>()).add(m.socket());
                }
                byLoop.forEach((ctx, sockets) -> ctx.runOnContext(v -> {
                    for (ServerWebSocket s : sockets) {
                        if (!s.isClosed()) {
                            s.writeTextMessage(message);
                        }
                    }
                }));
            });
            socket.closeHandler(v -> {
                List<Member> members = ROOMS.get(room);
                if (members != null) {
                    members.remove(me);
                }
            });
        }
    }
}
