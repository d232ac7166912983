package io.livestage.transcription.client;

import java.util.List;

import io.livestage.transcription.config.TranscriptionConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gladia v2 live, the init call: {@code POST /v2/live} with {@code x-gladia-key} → the live session's id and WebSocket
 * URL. Partial and final transcripts, speech events, acknowledgements (for resends after a reconnect), errors and
 * lifecycle events are requested. The key is sent only in that header and never logged.
 */
@ApplicationScoped
public class GladiaClient {
    private final TranscriptionConfig.Gladia config;
    private final HttpClient http;
    private final WebSocketClient webSockets;

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
    }

    public GladiaClient(TranscriptionConfig config, Vertx vertx) {
        this.config = config.gladia();
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) this.config.requestTimeout().toMillis()));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true)
                .setConnectTimeout((int) this.config.requestTimeout().toMillis())
                .setMaxFrameSize(this.config.maxFrameBytes()).setMaxMessageSize(4 * 1024 * 1024)
                .setMaxConnections(10_000));
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

    /** Opens a live session. Fails with {@link InitFailed} on a non-2xx answer. */
    public Future<LiveSession> init(JsonObject body) {
        String uri = config.url().replaceAll("/+$", "") + "/v2/live"
                + config.region().map(r -> "?region=" + r).orElse("");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri)
                .putHeader("x-gladia-key", config.apiKey().orElse("")).putHeader("Content-Type", "application/json")
                .setIdleTimeout(config.requestTimeout().toMillis());
        return http.request(options)
                .compose(request -> request.send(body.toBuffer()))
                .compose(response -> response.body().map(buffer -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new InitFailed(response.statusCode(), "Gladia answered " + response.statusCode()
                                + " to the init call" + (response.statusCode() == 401 ? " (the API key was refused)" : ""));
                    }
                    JsonObject answer = buffer.toJsonObject();
                    String id = answer.getString("id");
                    String url = answer.getString("url");
                    if (id == null || url == null) {
                        throw new InitFailed(response.statusCode(), "Gladia's init answer has no id or url");
                    }
                    return new LiveSession(id, url);
                }));
    }

    @PreDestroy
    void close() {
        http.close();
        webSockets.close();
    }
}
