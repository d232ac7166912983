package io.livestage.gateway.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in session-service and recording-service for the gateway under test: answers {@code GET /api/sessions}
 * with a body no one else produces, anything else with a 404 and {@code {}}, so a test can tell that a request was
 * proxied.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {
    static final String BODY = "{\"items\":[],\"nextCursor\":null,\"from\":\"upstream-stub\"}";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().equals("/api/sessions")
                    ? BODY.getBytes(StandardCharsets.UTF_8)
                    : "{}".getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/api/sessions") ? 200 : 404;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of(
                "livestage.gateway.services.session-service", "http://127.0.0.1:" + server.getAddress().getPort(),
                "livestage.gateway.services.recording-service", "http://127.0.0.1:" + server.getAddress().getPort(),
                "livestage.gateway.web.root", "web-fixture",
                "livestage.gateway.web.oidc-authority", "http://localhost:8180/realms/livestage");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
