package io.livestage.gateway.proxy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * One instance of a stand-in service: a real Vert.x HTTP server on a fixed port that can be stopped and started
 * again (as an instance is killed and restarted). It answers every request with who it is and what it received
 * (method, path, body length and SHA-256), {@code /q/health/ready} with 200, {@code /q/openapi} with a document
 * whose one path names the instance, and greets each WebSocket with its name.
 */
final class UpstreamInstance {
    private final Vertx vertx;
    private final String name;
    private final int port;
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    UpstreamInstance(Vertx vertx, String name, int port) {
        this.vertx = vertx;
        this.name = name;
        this.port = port;
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Requests and WebSocket upgrades it has received. */
    int requests() {
        return requests.get();
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        HttpServer started = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setReuseAddress(true))
                .webSocketHandler(ws -> {
                    requests.incrementAndGet();
                    ws.writeTextMessage(name);
                    ws.textMessageHandler(text -> ws.writeTextMessage(name + ":" + text));
                })
                .requestHandler(this::answer);
        server = await(started.listen());
    }

    /** Stops listening and closes every connection, as a killed instance does. */
    synchronized void stop() {
        if (server != null) {
            await(server.close());
            server = null;
        }
    }

    private void answer(HttpServerRequest request) {
        if (request.path().equals("/q/health/ready")) {
            request.response().end("{\"status\":\"UP\"}");
            return;
        }
        if (request.path().equals("/q/openapi")) {
            JsonObject document = new JsonObject().put("openapi", "3.1.0")
                    .put("paths", new JsonObject().put("/api/from-" + name, new JsonObject()));
            request.response().putHeader("Content-Type", "application/json").end(document.encode());
            return;
        }
        requests.incrementAndGet();
        request.body().onSuccess(body -> {
            JsonObject answer = new JsonObject().put("instance", name).put("method", request.method().name())
                    .put("path", request.path()).put("bodyLength", body.length()).put("bodySha256", sha256(body.getBytes()))
                    .put("requestId", request.getHeader("X-Request-Id"));
            request.response().putHeader("Content-Type", "application/json").end(answer.encode());
        });
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
