package io.livestage.bench;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The loopback floor: a plain Vert.x HTTP/1.1 server in the harness JVM that reads each request and answers 200 with
 * one fixed JSON body shaped like the service's answer (a session by default; no auth, no database, no Kafka). Driven
 * by the same client, requests and connection count as the service, it tells how much of the machine the client and
 * the loopback round trip take.
 */
public final class FloorServer implements AutoCloseable {
    /** A session as GET /api/sessions/{id} returns it (same fields, similar size). */
    static final String BODY = """
            {"id":"5f0c6c1e-3a52-4d0c-9a57-0b3f6f1c2d4e","slug":"k3v9x2qa","title":"Bench session 1",\
            "description":"Created by the session-api benchmark","hostId":"bench-host-01","spaceId":"bench-space-1",\
            "kind":"VIDEO","visibility":"PUBLIC","status":"SCHEDULED","scheduledAt":null,"startedAt":null,\
            "endedAt":null,"createdAt":"2026-01-01T00:00:00.000000Z","updatedAt":"2026-01-01T00:00:00.000000Z",\
            "settings":{"maxParticipants":500,"allowGuests":true,"requireApproval":true,"maxGuests":10,\
            "enableChat":true,"enableReactions":true,"guestAudioDefault":true,"guestVideoDefault":true,\
            "recordingEnabled":false,"transcriptionEnabled":false}}""";

    private final Vertx vertx;
    private final HttpServer server;

    private FloorServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts on 127.0.0.1 and a free port, with {@code eventLoops} threads of its own, answering {@link #BODY}. */
    public static FloorServer start(int eventLoops) throws Exception {
        return start(eventLoops, BODY);
    }

    /** Starts on 127.0.0.1 and a free port, with {@code eventLoops} threads of its own, answering {@code json}. */
    public static FloorServer start(int eventLoops, String json) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        Buffer body = Buffer.buffer(json);
        String length = Integer.toString(body.length());
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> request.end().onComplete(ignored -> request.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONTENT_LENGTH, length)
                        .end(body)));
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new FloorServer(vertx, server);
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
