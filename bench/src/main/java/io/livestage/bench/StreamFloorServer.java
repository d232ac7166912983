package io.livestage.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The peer of {@code ./bench/run streaming}, in its own JVM. Status events: {@code GET
 * /api/sessions/{id}/stream/events} answers {@code text/event-stream} with the current status as its first event,
 * and {@code PUT /api/sessions/{id}/stream/quality} {@code {"quality":"<preset>"}} sets the preset, bumps the version
 * and publishes the new status on the local event bus, which every server instance writes to its own streams (as a
 * Vert.x user fans out to SSE clients); no database, no Kafka, no token check: the floor of the fan-out. HLS files
 * served the way a Vert.x user serves a folder —
 * a Vert.x Web {@link Router} with a {@link CorsHandler} (any origin) and a {@link StaticHandler} on {@code /hls/*}
 * over the same folder recording-service serves ({@code <storage>/hls}), so the same URL {@code /hls/<session>/<file>}
 * names the same file on both. StaticHandler's defaults otherwise (Cache-Control {@code public, max-age=86400},
 * Last-Modified/If-Modified-Since, file props cached, sendfile); Vert.x's MIME table knows {@code .m3u8}
 * ({@code application/vnd.apple.mpegurl}) but not {@code .ts}, so {@code video/mp2t} is set for those first, as a
 * user of StaticHandler would. No session lookup or visibility check: that is the service's extra work. As many HTTP
 * server instances as Quarkus gives a service (2 × cores event loops), Java NIO as Quarkus uses by default.
 * <p>
 * {@code java -cp … io.livestage.bench.StreamFloorServer <port> <hls folder>}; prints {@code ready <port>}.
 */
public final class StreamFloorServer {
    static final String ADDRESS = "bench.stream.status";
    private static final AtomicLong VERSION = new AtomicLong(1);
    private static final AtomicReference<String> PRESET = new AtomicReference<>("720p");

    static final String TS_TYPE = "video/mp2t";

    private StreamFloorServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        deploy(vertx, port, root, instances).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + instances + " server instances, Vert.x Web StaticHandler on "
                + root + ")");
        System.out.flush();
    }

    /** {@code instances} servers on 127.0.0.1:{@code port} serving {@code root} at {@code /hls/*}. */
    static Future<String> deploy(Vertx vertx, int port, Path root, int instances) {
        return vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                List<HttpServerResponse> streams = new ArrayList<>();
                vertx.eventBus().<String>localConsumer(ADDRESS, m -> streams.forEach(s -> s.write(m.body())));
                Router router = router(vertx, root);
                router.get("/api/sessions/:id/stream/events").handler(c -> {
                    HttpServerResponse response = c.response().setChunked(true)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                    streams.add(response);
                    response.closeHandler(v -> streams.remove(response));
                    response.write(event(VERSION.get(), PRESET.get()));
                });
                router.put("/api/sessions/:id/stream/quality").handler(BodyHandler.create()).handler(c -> {
                    String preset = c.body().asJsonObject().getString("quality");
                    long version;
                    synchronized (VERSION) { // in version order to every instance
                        PRESET.set(preset);
                        version = VERSION.incrementAndGet();
                        vertx.eventBus().publish(ADDRESS, event(version, preset));
                    }
                    c.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(status(version, preset));
                });
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(router).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances));
    }

    static String status(long version, String preset) {
        return "{\"version\":" + version + ",\"status\":\"live\",\"quality\":{\"preset\":\"" + preset + "\"}}";
    }

    static String event(long version, String preset) {
        return "event: stream\nid: " + version + "\ndata: " + status(version, preset) + "\n\n";
    }

    static Router router(Vertx vertx, Path root) {
        Router router = Router.router(vertx);
        router.route("/hls/*").handler(CorsHandler.create());
        router.route("/hls/*").handler(context -> {
            if (context.request().path().endsWith(".ts")) {
                context.response().putHeader(HttpHeaders.CONTENT_TYPE, TS_TYPE);
            }
            context.next();
        });
        router.route("/hls/*").handler(StaticHandler.create(FileSystemAccess.ROOT, root.toString())
                .setDirectoryListing(false));
        return router;
    }
}
