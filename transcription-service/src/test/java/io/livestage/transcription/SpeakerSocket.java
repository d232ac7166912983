package io.livestage.transcription;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;

import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/** A speaker's socket on the speaker channel, like a browser's: frames received, the close code and reason. */
final class SpeakerSocket implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 100 ms of 16 kHz mono PCM16. */
    static final int CHUNK = 3200;

    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    volatile String closeReason;
    WebSocket socket;
    long sent;

    static SpeakerSocket connect(ServiceProcess service, String session) throws Exception {
        SpeakerSocket s = new SpeakerSocket();
        s.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(service.url().replace("http://", "ws://") + "/ws/sessions/" + session
                        + "/transcription"), s).get(10, TimeUnit.SECONDS);
        return s;
    }

    void start(String user) {
        socket.sendText("{\"type\":\"start\",\"v\":1,\"token\":\"" + TestTokens.token(user)
                + "\",\"format\":{\"encoding\":\"pcm_s16le\",\"sampleRate\":16000,\"channels\":1},\"languages\":[\"en\"]}",
                true).join();
    }

    JsonNode await(String type) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream()
                .anyMatch(f -> type.equals(f.path("type").asText())) || closed.isDone());
        return frames.stream().filter(f -> type.equals(f.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " frame; got " + frames + ", closed "
                        + closed.getNow(null)));
    }

    /** {@code chunks} × 100 ms of a tone, as fast as the socket takes it. */
    void stream(int chunks, int seed) {
        for (int i = 0; i < chunks; i++) {
            byte[] pcm = new byte[CHUNK];
            for (int j = 0; j < CHUNK; j += 2) {
                short sample = (short) (Math.sin((i * CHUNK + j) * 0.01 * (seed + 1)) * 8000);
                pcm[j] = (byte) sample;
                pcm[j + 1] = (byte) (sample >> 8);
            }
            socket.sendBinary(ByteBuffer.wrap(pcm), true).join();
            sent += CHUNK;
        }
    }

    void stop() {
        socket.sendText("{\"type\":\"stop\",\"v\":1}", true).join();
    }

    /** Sends one frame the server may refuse before it has read all of it (then the write fails, and that is fine). */
    void sendRefusable(CompletableFuture<WebSocket> write) {
        try {
            write.join();
        } catch (CompletionException refused) {
            // the server closed while the frame was still being written
        }
    }

    int closeCode() throws Exception {
        return closed.get(30, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
    }
}
