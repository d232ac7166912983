package io.livestage.gateway.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of the room channel ({@code WS /ws/sessions/{id}}, chat-service/PROTOCOL.md) through the gateway: the
 * token in the first frame, every server frame kept in arrival order, and the close code.
 */
public final class RoomSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String who;
    private final List<JsonNode> frames = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private RoomSocket(String who) {
        this.who = who;
    }

    /** Opens the room channel of {@code sessionId}, authenticates as {@code user} and waits for {@code welcome}. */
    public static RoomSocket open(LiveStack stack, String sessionId, LiveStack.User user) {
        RoomSocket room = connect(stack, sessionId, user.username());
        room.auth(user.token());
        room.await("welcome");
        return room;
    }

    /** Opens the room channel, sends {@code token} in the auth frame and returns the code the server closes with. */
    public static int refused(LiveStack stack, String sessionId, String token) {
        RoomSocket room = connect(stack, sessionId, "a bad token");
        try {
            room.auth(token);
            return room.awaitClose();
        } finally {
            room.close();
        }
    }

    private void auth(String token) {
        send(JSON.createObjectNode().put("type", "auth").put("v", 1).put("token", token).toString());
    }

    private static RoomSocket connect(LiveStack stack, String sessionId, String who) {
        RoomSocket room = new RoomSocket(who);
        StringBuilder partial = new StringBuilder();
        try {
            room.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(stack.wsUrl() + "/ws/sessions/" + sessionId), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                room.received(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                            room.closed.complete(statusCode);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket ws, Throwable error) {
                            room.closed.completeExceptionally(error);
                        }
                    }).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot open the room channel of " + sessionId + " as " + who, e);
        }
        return room;
    }

    private void received(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            frame = JSON.createObjectNode().put("type", "unparsable").put("text", text);
        }
        synchronized (frames) {
            frames.add(frame);
            frames.notifyAll();
        }
    }

    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** Sends {@code chat.send} and returns the {@code chat.ack}. */
    public JsonNode chat(String clientMessageId, String text) {
        send(JSON.createObjectNode().put("type", "chat.send").put("v", 1).put("clientMessageId", clientMessageId)
                .put("text", text).toString());
        return await(f -> "chat.ack".equals(f.path("type").asText())
                && clientMessageId.equals(f.path("clientMessageId").asText()), "chat.ack of " + clientMessageId);
    }

    /** The first frame of {@code type} received so far or within 20 s. */
    public JsonNode await(String type) {
        return await(f -> type.equals(f.path("type").asText()), "a " + type + " frame");
    }

    /** The first frame received so far or within 20 s that matches. */
    public JsonNode await(Predicate<JsonNode> matcher, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonNode frame : frames) {
                    if (matcher.test(frame)) {
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(who + " did not receive " + what + " within 20 s; received " + frames
                            + (closed.isDone() ? " and the socket closed with " + closed.getNow(null) : ""));
                }
                try {
                    frames.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Every frame received so far, in order. */
    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** The close code the server sent, waiting up to 20 s for it. */
    public int awaitClose() {
        try {
            return closed.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(who + "'s socket did not close within 20 s; received " + frames(), e);
        }
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone() && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public String toString() {
        return "RoomSocket[" + who + "]";
    }
}
