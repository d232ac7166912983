package io.livestage.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A test client of the room channel (JDK WebSocket): records every frame and the close, waits for what a test expects. */
final class RoomSocket implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String closeReason;
    private final WebSocket socket;

    private RoomSocket(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        socket = builder.buildAsync(uri, new Listener()).join();
    }

    static RoomSocket open(int port, String session) {
        return open(port, session, Map.of());
    }

    static RoomSocket open(int port, String session, Map<String, String> headers) {
        return new RoomSocket(URI.create("ws://127.0.0.1:" + port + "/ws/sessions/" + session), headers);
    }

    /** Opens and authenticates as {@code user} (null: anonymous), waiting for the welcome frame. */
    static RoomSocket joined(int port, String session, String user) {
        RoomSocket socket = open(port, session);
        socket.auth(user == null ? null : Sessions.token(user));
        socket.await("welcome");
        return socket;
    }

    void auth(String token) {
        send(token == null ? "{\"type\":\"auth\",\"v\":1}" : "{\"type\":\"auth\",\"v\":1,\"token\":\"" + token + "\"}");
    }

    void chat(String clientId, String text) {
        send(JSON.createObjectNode().put("type", "chat.send").put("v", 1).put("clientMessageId", clientId)
                .put("text", text).toString());
    }

    void react(String reaction) {
        send("{\"type\":\"reaction\",\"v\":1,\"reaction\":\"" + reaction + "\"}");
    }

    synchronized void send(String text) {
        socket.sendText(text, true).join();
    }

    JsonNode await(String type) {
        return await(f -> type.equals(f.path("type").asText()), "a " + type + " frame");
    }

    JsonNode await(Predicate<JsonNode> match) {
        return await(match, "a matching frame");
    }

    JsonNode await(Predicate<JsonNode> match, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (JsonNode frame : frames) {
                if (match.test(frame)) {
                    return frame;
                }
            }
            sleep(10);
        }
        throw new AssertionError("no " + what + " within 15 s; got " + frames + (closed.isDone() ? " then close "
                + closed.join() + " " + closeReason : ""));
    }

    JsonNode awaitError(String code) {
        return await(f -> "error".equals(f.path("type").asText()) && code.equals(f.path("code").asText()),
                "error " + code);
    }

    /** Waits until {@code n} frames match, returning them in arrival order. */
    List<JsonNode> awaitCount(Predicate<JsonNode> match, int n, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<JsonNode> found = List.of();
        while (System.nanoTime() < deadline) {
            found = matching(match);
            if (found.size() >= n) {
                return found;
            }
            sleep(10);
        }
        throw new AssertionError("expected " + n + " " + what + " within 15 s, got " + found.size() + ": " + frames
                + (closed.isDone() ? " then close " + closed.join() + " " + closeReason : ""));
    }

    /** Frames matching so far. */
    List<JsonNode> matching(Predicate<JsonNode> match) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (match.test(frame)) {
                out.add(frame);
            }
        }
        return out;
    }

    /** The error frame answering the client message {@code clientMessageId} (an ack is an AssertionError). */
    JsonNode awaitAnswer(String clientMessageId) {
        return await(f -> clientMessageId.equals(f.path("clientMessageId").asText())
                && ("error".equals(f.path("type").asText()) || "chat.ack".equals(f.path("type").asText())),
                "an answer to " + clientMessageId);
    }

    /** Frames of a type received so far. */
    List<JsonNode> all(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (type.equals(frame.path("type").asText())) {
                out.add(frame);
            }
        }
        return out;
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    int awaitClose() {
        try {
            return closed.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within 15 s; frames " + frames, e);
        }
    }

    String closeReason() {
        return closeReason;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    frames.add(JSON.createObjectNode().put("type", "unparsable").put("raw", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
