package io.livestage.testing.gladia;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Gladia client for the stub's tests, on the JDK's own HTTP and WebSocket client: the init call, one WebSocket
 * connection at a time with every message it received, and the resend bookkeeping of Gladia's SDK (audio kept until
 * acknowledged, {@code byte_range[1]} trims it).
 */
final class GladiaTestClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, JsonNode body) {
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

    /** One WebSocket connection and what came over it. */
    final class Connection implements WebSocket.Listener {
        final List<JsonNode> messages = new ArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile Throwable error;
        private final StringBuilder text = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode message;
                try {
                    message = JSON.readTree(text.toString());
                } catch (Exception e) {
                    throw new IllegalStateException("the stub sent invalid JSON: " + text, e);
                }
                text.setLength(0);
                synchronized (lock) {
                    messages.add(message);
                    if ("audio_chunk".equals(message.path("type").asText()) && message.path("acknowledged").asBoolean()) {
                        ackedEnd = Math.max(ackedEnd, message.path("data").path("byte_range").get(1).asLong());
                    }
                    lock.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            this.error = error;
            closed.complete(1006); // no close frame: what a browser or Vert.x reports as 1006
        }
    }

    /** Opens a new connection to the session URL (the first, or a reconnect). */
    Connection connect() throws Exception {
        Connection next = new Connection();
        next.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), next).get(20, TimeUnit.SECONDS);
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

    void sendBinary(byte[] audio) throws Exception {
        synchronized (lock) {
            sent.write(audio);
        }
        connection().socket.sendBinary(ByteBuffer.wrap(audio), true).get(20, TimeUnit.SECONDS);
    }

    void sendJsonChunk(byte[] audio) throws Exception {
        synchronized (lock) {
            sent.write(audio);
        }
        sendText("{\"type\":\"audio_chunk\",\"data\":{\"chunk\":\"" + Base64.getEncoder().encodeToString(audio)
                + "\"}}");
    }

    void sendText(String text) throws Exception {
        connection().socket.sendText(text, true).get(20, TimeUnit.SECONDS);
    }

    void stopRecording() throws Exception {
        sendText("{\"type\":\"stop_recording\"}");
    }

    /** After a reconnect: resends, in one frame like Gladia's SDK, what was sent and never acknowledged. */
    long resendUnacknowledged() throws Exception {
        byte[] unacknowledged;
        synchronized (lock) {
            byte[] all = sent.toByteArray();
            unacknowledged = java.util.Arrays.copyOfRange(all, (int) ackedEnd, all.length);
        }
        if (unacknowledged.length > 0) {
            connection().socket.sendBinary(ByteBuffer.wrap(unacknowledged), true).get(20, TimeUnit.SECONDS);
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
        // generous: on a loaded 2-core CI box a drop can take seconds to surface in the JDK client
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
            current.socket.abort();
        }
    }
}
