package io.livestage.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * The floor of the relay: the least a bridge between a speaker socket and Gladia can do, in this JVM on its own Vert.x
 * instance (one event loop).
 */
final class RelayFloor implements AutoCloseable {
    private static final String STOP_RECORDING = "{\"type\":\"stop_recording\"}";

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClient http;
    private final WebSocketClient upstreamClient;
    private final String apiKey;
    private final int stubPort;
    final AtomicLong failures = new AtomicLong();
    final int port;

    private RelayFloor(Vertx vertx, HttpServer server, HttpClient http, WebSocketClient upstream, String apiKey,
            int stubPort) {
        this.vertx = vertx;
        this.server = server;
        this.http = http;
        this.upstreamClient = upstream;
        this.apiKey = apiKey;
        this.stubPort = stubPort;
        this.port = server.actualPort();
    }

    static RelayFloor start(int stubPort, String apiKey) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setPreferNativeTransport(true));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(stubPort));
        WebSocketClient upstream = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true)
                .setMaxFrameSize(1024 * 1024).setMaxConnections(10_000));
        RelayFloor[] self = new RelayFloor[1];
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setTcpNoDelay(true).setMaxWebSocketFrameSize(1024 * 1024))
                .webSocketHandler(ws -> self[0].accept(ws))
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        self[0] = new RelayFloor(vertx, server, http, upstream, apiKey, stubPort);
        return self[0];
    }

    String url() {
        return "ws://127.0.0.1:" + port + "/floor";
    }

    private void accept(ServerWebSocket speaker) {
        speaker.pause();
        JsonObject body = new JsonObject().put("encoding", "wav/pcm").put("bit_depth", 16)
                .put("sample_rate", TranscriptionScenario.SAMPLE_RATE).put("channels", 1)
                .put("messages_config", new JsonObject().put("receive_partial_transcripts", true)
                        .put("receive_final_transcripts", true).put("receive_speech_events", true)
                        .put("receive_acknowledgments", true).put("receive_errors", true)
                        .put("receive_lifecycle_events", true))
                .put("custom_metadata", new JsonObject().put("floor", true));
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v2/live")
                .putHeader("x-gladia-key", apiKey).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body.toBuffer()))
                .compose(response -> response.body().map(buffer -> {
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("stub answered " + response.statusCode() + " " + buffer);
                    }
                    return buffer.toJsonObject();
                }))
                .compose(live -> upstreamClient.connect(new WebSocketConnectOptions().setAbsoluteURI(
                        live.getString("url"))).map(upstream -> {
                            wire(speaker, upstream, live.getString("id"));
                            return upstream;
                        }))
                .onFailure(failure -> {
                    failures.incrementAndGet();
                    speaker.close((short) 1011, "floor relay: " + failure.getMessage());
                });
    }

    private void wire(ServerWebSocket speaker, WebSocket upstream, String id) {
        speaker.binaryMessageHandler(upstream::writeBinaryMessage);
        speaker.textMessageHandler(text -> {
            if ("stop".equals(text)) {
                upstream.writeTextMessage(STOP_RECORDING);
            }
        });
        speaker.closeHandler(v -> {
            if (!upstream.isClosed()) {
                upstream.close((short) 1000);
            }
        });
        upstream.textMessageHandler(text -> {
            // forward transcripts only (acknowledgements and speech events stay here, as in the bridge)
            int type = text.indexOf("\"type\":\"");
            if (type >= 0 && text.startsWith("transcript\"", type + 8)) {
                speaker.writeTextMessage(text);
            }
        });
        upstream.closeHandler(v -> {
            if (!speaker.isClosed()) {
                speaker.close((short) 1000, "stopped");
            }
        });
        speaker.writeTextMessage(new JsonObject().put("type", "ready").put("streamId", id).encode());
        speaker.resume();
    }

    /** For the Method section. */
    String describe() {
        return "a plain Vert.x relay in the harness JVM on its own Vert.x instance (1 event loop) at 127.0.0.1:" + port
                + ", to the same stub (port " + stubPort + "): per speaker socket POST /v2/live + connect, then binary "
                + "frames forwarded as they are and transcript messages forwarded back; no auth, acknowledgement "
                + "tracking, resend buffer, database or Kafka";
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
