package io.livestage.transcription.client;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.livestage.transcription.config.TranscriptionConfig;

/**
 * Gladia v2 live, the init call: {@code POST /v2/live} with {@code x-gladia-key} → the live session's id and WebSocket
 * URL. Partial and final transcripts, speech events, acknowledgements (for resends after a reconnect), errors and
 * lifecycle events are requested. The key is sent only in that header and never logged. The call runs under the
 * SmallRye Fault Tolerance guard of {@link InitPolicy}: timeout per attempt, retries of transient failures, breaker.
 */
@ApplicationScoped
public class GladiaClient {
    private final TranscriptionConfig.Gladia config;
    private final HttpClient http;
    private final WebSocketClient webSockets;
    private final TypedGuard<Uni<LiveSession>> initGuard;

    /** What the init call answered. */
    public record LiveSession(String id, String url) {
    }

    /** The init call was refused; {@code status} 401/403 means the key is wrong. */
    public static final class InitFailed extends RuntimeException {
        private final int status;

        public InitFailed(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }

        public boolean badKey() {
            return status == 401 || status == 403;
        }

        /** Gladia is in trouble or busy (5xx, 429): another attempt may succeed; any other refusal would repeat. */
        public boolean transientFailure() {
            return status >= 500 || status == 429;
        }
    }

    /** The init call got no answer: Gladia unreachable, the connection lost or reset. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(Throwable cause) {
            super("Gladia is unreachable: " + cause.getMessage(), cause);
        }
    }

    public GladiaClient(TranscriptionConfig config, Vertx vertx) {
        this.config = config.gladia();
        int attemptMillis = (int) this.config.init().attemptTimeout().toMillis();
        // the guard's timeout ends an attempt; the idle timeout frees a connection that Gladia left hanging
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout(attemptMillis).setIdleTimeout(attemptMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true)
                .setConnectTimeout((int) this.config.requestTimeout().toMillis())
                .setMaxFrameSize(this.config.maxFrameBytes()).setMaxMessageSize(4 * 1024 * 1024)
                .setMaxConnections(10_000));
        this.initGuard = InitPolicy.guard(this.config.init());
    }

    /** True when a key is configured. */
    public boolean configured() {
        return config.apiKey().map(k -> !k.isBlank()).orElse(false);
    }

    public WebSocketClient webSockets() {
        return webSockets;
    }

    /** The init body for a PCM16 mono stream at {@code sampleRate}; {@code metadata} goes to custom_metadata. */
    public JsonObject initBody(int sampleRate, List<String> languages, JsonObject metadata) {
        JsonObject body = new JsonObject().put("encoding", "wav/pcm").put("bit_depth", 16).put("sample_rate", sampleRate)
                .put("channels", 1)
                .put("messages_config", new JsonObject().put("receive_partial_transcripts", true)
                        .put("receive_final_transcripts", true).put("receive_speech_events", true)
                        .put("receive_acknowledgments", true).put("receive_errors", true)
                        .put("receive_lifecycle_events", true))
                .put("custom_metadata", metadata);
        if (!languages.isEmpty()) {
            body.put("language_config", new JsonObject().put("languages", new JsonArray(languages))
                    .put("code_switching", languages.size() > 1));
        }
        config.model().ifPresent(m -> body.put("model", m));
        config.endpointing().ifPresent(e -> body.put("endpointing", e));
        return body;
    }

    /**
     * Opens a live session, retrying transient failures; fails with {@link InitFailed} (a refusal, or the last transient
     * one), {@link Unreachable}, a fault-tolerance {@code TimeoutException} or {@code CircuitBreakerOpenException}.
     */
    public Uni<LiveSession> init(JsonObject body) {
        return initGuard.get(() -> attempt(body));
    }

    private Uni<LiveSession> attempt(JsonObject body) {
        String uri = config.url().replaceAll("/+$", "") + "/v2/live"
                + config.region().map(r -> "?region=" + r).orElse("");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri)
                .putHeader("x-gladia-key", config.apiKey().orElse("")).putHeader("Content-Type", "application/json");
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(request -> request.send(body.toBuffer()))
                .compose(response -> response.body().map(buffer -> answer(response.statusCode(), buffer)))
                .toCompletionStage())
                .onFailure(failure -> !(failure instanceof InitFailed)).transform(Unreachable::new);
    }

    private static LiveSession answer(int status, Buffer buffer) {
        if (status / 100 != 2) {
            throw new InitFailed(status, "Gladia answered " + status + " to the init call"
                    + (status == 401 ? " (the API key was refused)" : ""));
        }
        JsonObject answer;
        try {
            answer = buffer.toJsonObject();
        } catch (DecodeException e) {
            throw new InitFailed(status, "Gladia's init answer is not JSON");
        }
        String id = answer.getString("id");
        String url = answer.getString("url");
        if (id == null || url == null) {
            throw new InitFailed(status, "Gladia's init answer has no id or url");
        }
        return new LiveSession(id, url);
    }

    @PreDestroy
    void close() {
        http.close();
        webSockets.close();
    }
}
