package io.livestage.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
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
 * A WebSocket (the room channel or the speaker channel, through the gateway or straight to an instance) that keeps
 * every text frame it receives, so a step waits for the frame it needs; a timeout (90 s) fails with the frames that
 * did arrive. Used by {@link TwentyGuests} and {@link ReplicaChecks}.
 */
final class FrameSocket implements WebSocket.Listener {
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String owner;
    private final List<JsonNode> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** The JDK WebSocket takes one send at a time; not the frames' monitor, which its reader needs. */
    private final Object sending = new Object();
    private WebSocket socket;

    private FrameSocket(String owner) {
        this.owner = owner;
    }

    static FrameSocket open(HttpClient http, URI uri, String owner) throws Exception {
        FrameSocket listener = new FrameSocket(owner);
        listener.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return listener;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonNode frame;
            try {
                frame = JSON.readTree(text);
            } catch (IOException e) {
                frame = JSON.createObjectNode().put("type", "unparsable").put("text", text);
            }
            synchronized (this) {
                frames.add(frame);
                notifyAll();
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        synchronized (this) {
            closed.complete(statusCode);
            notifyAll();
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        synchronized (this) {
            closed.completeExceptionally(error);
            notifyAll();
        }
    }

    void send(String text) throws Exception {
        synchronized (sending) {
            socket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    void sendBinary(byte[] data, int offset, int length) throws Exception {
        synchronized (sending) {
            socket.sendBinary(ByteBuffer.wrap(data, offset, length), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The first frame (received so far or to come) that matches; fails after the bound with what came. */
    synchronized JsonNode await(String what, Predicate<JsonNode> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < frames.size(); checked++) {
                if (match.test(frames.get(checked))) {
                    return frames.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed.isDone()) {
                throw new AssertionError(owner + ": no " + what + " within " + WAIT + (closed.isDone()
                        ? " (the socket closed: " + closed.handle((c, e) -> e == null ? "code " + c : e.toString())
                                .join() + ")" : "") + "; received " + frames.size() + " frame(s): " + summary());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The close code the server sent. */
    int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Closes the socket if it is still open (the end of a run, passed or failed). */
    void abort() {
        if (!closed.isDone() && socket != null) {
            socket.abort();
        }
    }

    private String summary() {
        StringBuilder out = new StringBuilder();
        int from = Math.max(0, frames.size() - 30);
        if (from > 0) {
            out.append("... ").append(from).append(" earlier; ");
        }
        for (JsonNode frame : frames.subList(from, frames.size())) {
            String text = frame.toString();
            out.append("\n  ").append(text, 0, Math.min(text.length(), 300));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return owner + "'s socket";
    }
}
