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

/** The peer of {@code ./bench/run streaming}, in its own JVM. */
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
