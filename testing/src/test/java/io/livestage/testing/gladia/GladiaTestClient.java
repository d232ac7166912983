package io.livestage.testing.gladia;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A Gladia client for the stub's tests: the init call on the JDK's HTTP client, one WebSocket connection at a time
 * (OkHttp's) with every message it received, and the resend bookkeeping of Gladia's SDK (audio kept until
 * acknowledged, {@code byte_range[1]} trims it).
 * <p>
 * Not the JDK's WebSocket client: when the connection ends without a close frame while its listener is still handling
 * the message before, it fails with an {@code InternalError} or reports nothing at all (its transport reads the end of
 * the stream without demand, and {@code acknowledgeReception} throws), so a test of a drop right after an
 * acknowledgement was intermittent. OkHttp's reader reads frames and the end of the stream in order, on one thread.
 */
final class GladiaTestClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** No read timeout: a test may keep a connection quiet for longer than OkHttp's default 10 s. */
    static final OkHttpClient WEB_SOCKETS = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ZERO).build();

    record Answer(int status, JsonNode body) {
    }

    /** The stub refused the WebSocket upgrade with an HTTP status (401 for an unknown or ended session's token). */
    static final class HandshakeRefused extends Exception {
        final int status;

        HandshakeRefused(int status, Throwable cause) {
            super("the upgrade was refused with HTTP " + status, cause);
            this.status = status;
        }
    }

    static Answer init(GladiaStub stub, String key, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/v2/live"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-gladia-key", key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    static Answer init(GladiaStub stub, String body) throws Exception {
        return init(stub, stub.apiKey(), "application/json", body);
    }

    /** Inits a session and connects to it. */
    static GladiaTestClient open(GladiaStub stub, String body) throws Exception {
        Answer answer = init(stub, body);
        if (answer.status() != 201) {
            throw new AssertionError("init answered " + answer.status() + " " + answer.body());
        }
        GladiaTestClient client = new GladiaTestClient(answer.body().path("id").asText(),
                answer.body().path("url").asText());
        client.connect();
        return client;
    }

    final String sessionId;
    final String url;
    private final Object lock = new Object();
    private Connection connection;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    /** Bytes sent and not yet trimmed by an acknowledgement (what the SDK keeps for a resend). */
    private long ackedEnd;

    GladiaTestClient(String sessionId, String url) {
        this.sessionId = sessionId;
        this.url = url;
    }

    /** One WebSocket connection and what came over it; OkHttp calls it on the connection's reader thread. */
    final class Connection extends WebSocketListener {
        final List<JsonNode> messages = new ArrayList<>();
        final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        /** The peer's close code, or 1006 when the connection ended without a close frame. */
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile Throwable error;
        WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException("the stub sent invalid JSON: " + text, e);
            }
            synchronized (lock) {
                messages.add(message);
                if ("audio_chunk".equals(message.path("type").asText()) && message.path("acknowledged").asBoolean()) {
                    ackedEnd = Math.max(ackedEnd, message.path("data").path("byte_range").get(1).asLong());
                }
                lock.notifyAll();
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closed.complete(code);
            // the reply a browser sends: the peer's code, or 1000 when it sent none
            webSocket.close(code == 1005 ? 1000 : code, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            this.error = failure;
            if (!opened.isDone()) {
                opened.completeExceptionally(response == null ? failure
                        : new HandshakeRefused(response.code(), failure));
            }
            closed.complete(1006); // no close frame: what a browser or Vert.x reports as 1006
        }
    }

    /**
     * Opens a new connection to the session URL (the first, or a reconnect).
     *
     * @throws HandshakeRefused if the stub answered the upgrade with an HTTP status
     */
    Connection connect() throws Exception {
        Connection next = new Connection();
        next.socket = WEB_SOCKETS.newWebSocket(new Request.Builder().url(url).build(), next);
        try {
            next.opened.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            next.socket.cancel();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        synchronized (lock) {
            connection = next;
            connections.add(next);
        }
        return next;
    }

    Connection connection() {
        synchronized (lock) {
            return connection;
        }
    }

    void sendBinary(byte[] audio) {
        synchronized (lock) {
            sent.write(audio, 0, audio.length);
        }
        send(ByteString.of(audio));
    }

    void sendJsonChunk(byte[] audio) {
        synchronized (lock) {
            sent.write(audio, 0, audio.length);
        }
        sendText("{\"type\":\"audio_chunk\",\"data\":{\"chunk\":\"" + Base64.getEncoder().encodeToString(audio)
                + "\"}}");
    }

    /** Queues a text message; OkHttp writes queued messages in order. */
    void sendText(String text) {
        if (!connection().socket.send(text)) {
            throw new IllegalStateException("the connection is closing or closed: " + text);
        }
    }

    private void send(ByteString bytes) {
        if (!connection().socket.send(bytes)) {
            throw new IllegalStateException("the connection is closing or closed (" + bytes.size() + " bytes)");
        }
    }

    void stopRecording() {
        sendText("{\"type\":\"stop_recording\"}");
    }

    /** Starts the closing handshake with {@code code}; {@link #awaitClose} then answers the code the stub echoed. */
    void sendClose(int code, String reason) {
        connection().socket.close(code, reason);
    }

    /** After a reconnect: resends, in one frame like Gladia's SDK, what was sent and never acknowledged. */
    long resendUnacknowledged() {
        byte[] unacknowledged;
        synchronized (lock) {
            byte[] all = sent.toByteArray();
            unacknowledged = Arrays.copyOfRange(all, (int) ackedEnd, all.length);
        }
        if (unacknowledged.length > 0) {
            send(ByteString.of(unacknowledged));
        }
        return unacknowledged.length;
    }

    byte[] sentBytes() {
        synchronized (lock) {
            return sent.toByteArray();
        }
    }

    long ackedEnd() {
        synchronized (lock) {
            return ackedEnd;
        }
    }

    int awaitClose() throws Exception {
        return connection().closed.get(20, TimeUnit.SECONDS);
    }

    /** Every message received on every connection, in order. */
    List<JsonNode> messages() {
        synchronized (lock) {
            List<JsonNode> all = new ArrayList<>();
            connections.forEach(c -> all.addAll(c.messages));
            return all;
        }
    }

    List<JsonNode> messages(String type) {
        return messages().stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    /** Types of every message received, acknowledgements left out. */
    List<String> typesWithoutAcks() {
        return messages().stream().filter(m -> !m.has("acknowledged")).map(m -> m.path("type").asText()).toList();
    }

    JsonNode awaitMessage(Predicate<JsonNode> predicate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (lock) {
            while (true) {
                for (Connection c : connections) {
                    for (JsonNode message : c.messages) {
                        if (predicate.test(message)) {
                            return message;
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no such message; received: " + messages());
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    void awaitAckedEnd(long end) throws InterruptedException {
        awaitMessage(m -> "audio_chunk".equals(m.path("type").asText())
                && m.path("data").path("byte_range").get(1).asLong() >= end);
    }

    @Override
    public void close() {
        Connection current = connection();
        if (current != null && !current.closed.isDone()) {
            current.socket.cancel();
        }
    }
}
