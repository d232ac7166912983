package io.livestage.bench;

import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * A plain reverse-proxy hop, as its own JVM: vertx-http-proxy (the library and version the gateway uses) with the
 * gateway's upstream client settings (keep-alive, TCP_NODELAY, 2 s connect timeout, a pool of 200) and as many HTTP
 * server instances as Quarkus gives the gateway (2 × cores event loops), Java NIO as Quarkus uses by default — and
 * nothing else: no Quarkus, no router, no request id, no token check, no CORS, no metrics.
 */
public final class ProxyHop {
    private ProxyHop() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "shared";
        boolean perLoop = mode.startsWith("per-loop");
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(mode.endsWith("+epoll")));
        HttpProxy shared = perLoop ? null : proxy(vertx, upstream);
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                // per-loop: created on this verticle's event loop, so are its connections
                HttpProxy proxy = perLoop ? proxy(vertx, upstream) : shared;
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(proxy).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + instances + " server instances, upstream 127.0.0.1:" + upstream
                + ", " + (perLoop ? "one upstream client per event loop" : "one shared upstream client")
                + ", native transport " + vertx.isNativeTransportEnabled() + ")");
        System.out.flush();
    }

    private static HttpProxy proxy(Vertx vertx, int upstream) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setKeepAlive(true)
                .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(200));
        return HttpProxy.reverseProxy(new ProxyOptions(), client).origin(upstream, "127.0.0.1");
    }
}
