package io.livestage.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * The floor peers, each in its own JVM ({@code Peer.jvm}): plain Vert.x servers with as many instances as Quarkus gives
 * a service (2 × cores event loops), Java NIO, and nothing else (no framework, token check, database):
 * <ul>
 * <li>{@code <port> proxy <upstream port> [shared|per-loop][+epoll]}: a vertx-http-proxy hop (gateway);</li>
 * <li>{@code <port> stream <hls folder>}: status SSE over the event bus, StaticHandler on /hls (streaming);</li>
 * <li>{@code <port> range <file or -> <feed file or ->}: a feed from memory with an ETag, sendfile byte ranges
 * (recording).</li>
 * </ul>
 * Each prints {@code ready <port>} once it listens.
 */
public final class Floors {
    static final String STATUS_ADDRESS = "bench.stream.status";
    static final String TS_TYPE = "video/mp2t";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final AtomicLong VERSION = new AtomicLong(1);
    private static final AtomicReference<String> PRESET = new AtomicReference<>("720p");

    private Floors() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String mode = args[1].equals("proxy") && args.length > 3 ? args[3] : "shared";
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(mode.endsWith("+epoll")));
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Future<String> deployed = switch (args[1]) {
            case "proxy" -> proxy(vertx, port, Integer.parseInt(args[2]), mode.startsWith("per-loop"), instances);
            case "stream" -> stream(vertx, port, Path.of(args[2]).toAbsolutePath().normalize(), instances);
            case "range" -> range(vertx, port, args[2], args[3], instances);
            default -> throw new IllegalArgumentException("unknown floor " + args[1]);
        };
        deployed.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + args[1] + ", " + instances + " server instances, native transport "
                + vertx.isNativeTransportEnabled() + ")");
        System.out.flush();
    }

    /** {@code instances} HTTP servers on 127.0.0.1:{@code port}, each with the handler {@code handler} makes. */
    private static Future<String> serve(Vertx vertx, int port, int instances,
            Function<Vertx, Handler<HttpServerRequest>> handler) {
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(handler.apply(vertx)).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances));
    }

    /** The gateway's upstream client settings; per-loop: one client per event loop (created on that loop). */
    static Future<String> proxy(Vertx vertx, int port, int upstream, boolean perLoop, int instances) {
        HttpProxy shared = perLoop ? null : proxy(vertx, upstream);
        return serve(vertx, port, instances, v -> perLoop ? proxy(v, upstream) : shared);
    }

    private static HttpProxy proxy(Vertx vertx, int upstream) {
        return HttpProxy.reverseProxy(new ProxyOptions(), vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(2_000).setKeepAlive(true).setTcpNoDelay(true), new PoolOptions()
                        .setHttp1MaxSize(200))).origin(upstream, "127.0.0.1");
    }

    /** Status events fanned out over the local event bus, the preset in memory, StaticHandler on {@code /hls/*}. */
    static Future<String> stream(Vertx vertx, int port, Path hls, int instances) {
        return serve(vertx, port, instances, v -> {
            List<HttpServerResponse> streams = new ArrayList<>();
            v.eventBus().<String>localConsumer(STATUS_ADDRESS, m -> streams.forEach(s -> s.write(m.body())));
            Router router = Router.router(v);
            router.route("/hls/*").handler(CorsHandler.create());
            router.route("/hls/*").handler(c -> {
                if (c.request().path().endsWith(".ts")) {
                    c.response().putHeader(HttpHeaders.CONTENT_TYPE, TS_TYPE); // not in Vert.x's MIME table
                }
                c.next();
            });
            router.route("/hls/*").handler(StaticHandler.create(FileSystemAccess.ROOT, hls.toString())
                    .setDirectoryListing(false));
            router.get("/api/sessions/:id/stream/events").handler(c -> {
                HttpServerResponse response = c.response().setChunked(true)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                streams.add(response);
                response.closeHandler(x -> streams.remove(response));
                response.write(event(VERSION.get(), PRESET.get()));
            });
            router.put("/api/sessions/:id/stream/quality").handler(BodyHandler.create()).handler(c -> {
                String preset = c.body().asJsonObject().getString("quality");
                long version;
                synchronized (VERSION) { // in version order to every instance
                    PRESET.set(preset);
                    version = VERSION.incrementAndGet();
                    v.eventBus().publish(STATUS_ADDRESS, event(version, preset));
                }
                c.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(status(version, preset));
            });
            return router;
        });
    }

    static String status(long version, String preset) {
        return "{\"version\":" + version + ",\"status\":\"live\",\"quality\":{\"preset\":\"" + preset + "\"}}";
    }

    static String event(long version, String preset) {
        return "event: stream\nid: " + version + "\ndata: " + status(version, preset) + "\n\n";
    }

    /** {@code /feed}: the feed file from memory with a strong ETag; {@code /file}: single byte ranges by sendfile. */
    static Future<String> range(Vertx vertx, int port, String file, String feedFile, int instances) throws Exception {
        long size = file.equals("-") ? 0 : Files.size(Path.of(file));
        Buffer feed = feedFile.equals("-") ? null : Buffer.buffer(Files.readAllBytes(Path.of(feedFile)));
        String feedTag = feed == null ? null : "\"" + Integer.toHexString(Arrays.hashCode(feed.getBytes())) + "\"";
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(new File(file).lastModified()) + "\"";
        return serve(vertx, port, instances, v -> request -> {
            var response = request.response();
            if (feed != null && "/feed".equals(request.path())) {
                response.putHeader("ETag", feedTag).putHeader("Cache-Control", "no-cache");
                if (feedTag.equals(request.getHeader("If-None-Match"))) {
                    response.setStatusCode(304).end();
                } else {
                    response.putHeader("Content-Type", "application/rss+xml; charset=utf-8").end(feed);
                }
                return;
            }
            if (!"/file".equals(request.path()) || file.equals("-")) {
                response.setStatusCode(404).end();
                return;
            }
            long[] range = range(request.getHeader("Range"), size);
            response.putHeader("Content-Type", "audio/mpeg").putHeader("Accept-Ranges", "bytes")
                    .putHeader("ETag", etag);
            if (range == null) {
                response.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
            } else if (range.length == 0) {
                response.sendFile(file);
            } else {
                response.setStatusCode(206).putHeader("Content-Range", "bytes " + range[0] + "-"
                        + (range[0] + range[1] - 1) + "/" + size).sendFile(file, range[0], range[1]);
            }
        });
    }

    /** {offset, length} of a single range; empty: no Range header (the whole file); null: not satisfiable. */
    static long[] range(String header, long size) {
        if (header == null) {
            return new long[0];
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            first = Math.max(0, size - Long.parseLong(m.group(2)));
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        return first >= size || last < first ? null : new long[] {first, last - first + 1};
    }

    /**
     * The floor of the transcription relay, in the harness JVM on its own Vert.x instance: per speaker socket
     * {@code POST /v2/live} to the Gladia stub and its WebSocket, binary frames forwarded as they are, transcripts
     * forwarded back, {@code stop} as {@code stop_recording}; no auth, acknowledgements, resend buffer, database.
     */
    static HttpServer relay(Vertx vertx, int stubPort, String apiKey) throws Exception {
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(stubPort));
        WebSocketClient upstreamClient = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true)
                .setMaxFrameSize(1024 * 1024).setMaxConnections(10_000));
        JsonObject body = new JsonObject().put("encoding", "wav/pcm").put("bit_depth", 16)
                .put("sample_rate", TranscriptionScenario.SAMPLE_RATE).put("channels", 1)
                .put("messages_config", new JsonObject().put("receive_partial_transcripts", true)
                        .put("receive_final_transcripts", true).put("receive_speech_events", true)
                        .put("receive_acknowledgments", true).put("receive_errors", true)
                        .put("receive_lifecycle_events", true))
                .put("custom_metadata", new JsonObject().put("floor", true));
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true)
                .setMaxWebSocketFrameSize(1024 * 1024)).webSocketHandler(speaker -> {
                    speaker.pause();
                    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v2/live")
                            .putHeader("x-gladia-key", apiKey).putHeader("Content-Type", "application/json"))
                            .compose(request -> request.send(body.toBuffer()))
                            .compose(response -> response.body().map(buffer -> {
                                if (response.statusCode() != 201) {
                                    throw new IllegalStateException("stub answered " + response.statusCode());
                                }
                                return buffer.toJsonObject();
                            }))
                            .compose(live -> upstreamClient.connect(new WebSocketConnectOptions()
                                    .setAbsoluteURI(live.getString("url"))).map(upstream -> {
                                        wire(speaker, upstream, live.getString("id"));
                                        return upstream;
                                    }))
                            .onFailure(failure -> speaker.close((short) 1011, "floor relay: " + failure.getMessage()));
                }).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void wire(ServerWebSocket speaker, WebSocket upstream, String id) {
        speaker.binaryMessageHandler(upstream::writeBinaryMessage);
        speaker.textMessageHandler(text -> {
            if ("stop".equals(text)) {
                upstream.writeTextMessage("{\"type\":\"stop_recording\"}");
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
}
