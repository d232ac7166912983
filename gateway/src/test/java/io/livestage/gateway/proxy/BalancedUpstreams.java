package io.livestage.gateway.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * The services behind the gateway under test: instances A and B serve session-, token- and chat-service (two origins
 * each, given with spaces around the comma as an operator might write them), C alone serves recording-service (one
 * URL, as in Kubernetes), and transcription-service (two) and analytics-service (one) point at ports nothing listens
 * on. The instances are static so that a test can stop and restart them.
 */
public class BalancedUpstreams implements QuarkusTestResourceLifecycleManager {
    /** Short, so that a test sees an instance come back; long enough to see it skipped meanwhile. */
    static final long COOLDOWN_MILLIS = 3000;
    static UpstreamInstance a;
    static UpstreamInstance b;
    static UpstreamInstance c;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        a = new UpstreamInstance(vertx, "A", freePort());
        b = new UpstreamInstance(vertx, "B", freePort());
        c = new UpstreamInstance(vertx, "C", freePort());
        a.start();
        b.start();
        c.start();
        String pair = a.url() + " , " + b.url();
        return Map.of(
                "livestage.gateway.services.session-service", pair,
                "livestage.gateway.services.token-service", pair,
                "livestage.gateway.services.chat-service", pair,
                "livestage.gateway.services.recording-service", c.url(),
                "livestage.gateway.services.transcription-service",
                "http://127.0.0.1:" + freePort() + ",http://127.0.0.1:" + freePort(),
                "livestage.gateway.services.analytics-service", "http://127.0.0.1:" + freePort(),
                "livestage.gateway.origin-cooldown", COOLDOWN_MILLIS + "ms",
                "livestage.gateway.rate-limit.enabled", "false");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** A port nothing listens on (free a moment ago). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
