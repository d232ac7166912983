package io.livestage.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The peer of the hls part of {@code ./bench/run streaming}: HLS files served the way a Vert.x user serves a folder —
 * a Vert.x Web {@link Router} with a {@link CorsHandler} (any origin) and a {@link StaticHandler} on {@code /hls/*}
 * over the same folder recording-service serves ({@code <storage>/hls}), so the same URL {@code /hls/<session>/<file>}
 * names the same file on both. StaticHandler's defaults otherwise (Cache-Control {@code public, max-age=86400},
 * Last-Modified/If-Modified-Since, file props cached, sendfile); Vert.x's MIME table knows {@code .m3u8}
 * ({@code application/vnd.apple.mpegurl}) but not {@code .ts}, so {@code video/mp2t} is set for those first, as a
 * user of StaticHandler would. No session lookup or visibility check: that is the service's extra work. As many HTTP
 * server instances as Quarkus gives a service (2 × cores event loops), Java NIO as Quarkus uses by default.
 * <p>
 * {@code java -cp … io.livestage.bench.HlsFloorServer <port> <hls folder>}; prints {@code ready <port>}.
 */
public final class HlsFloorServer {
    static final String TS_TYPE = "video/mp2t";

    private HlsFloorServer() {
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
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(router(vertx, root)).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances));
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
