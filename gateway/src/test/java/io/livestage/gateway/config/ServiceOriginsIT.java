package io.livestage.gateway.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged gateway as operators start it, the instances given in the services' environment variables: a list is
 * balanced over, a malformed one stops the start with the property named in the log. (The gateway uses neither a
 * database nor Kafka; the addresses given for them lead nowhere.)
 */
class ServiceOriginsIT {
    private static final TestDatabase NO_DATABASE = new TestDatabase("none", "jdbc:postgresql://127.0.0.1:1/none",
            "postgresql://127.0.0.1:1/none", "none", "none");

    private static ServiceProcess.Builder gateway(String name) {
        return ServiceProcess.builder("gateway").database(NO_DATABASE).kafka("127.0.0.1:1")
                .log(Path.of("target", "gateway-origins-" + name + ".log"));
    }

    @Test
    void aListInTheEnvironmentIsBalancedOver() throws Exception {
        HttpServer first = instance("first");
        HttpServer second = instance("second");
        try (ServiceProcess gateway = gateway("list").env("SESSION_SERVICE_URL",
                url(first) + ", " + url(second)).start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/sessions"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                served.add(response.body());
            }
            assertThat(served).containsExactlyInAnyOrder("first", "second", "first", "second");
        } finally {
            first.stop(0);
            second.stop(0);
        }
    }

    @Test
    void aMalformedListStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> gateway("malformed").env("CHAT_SERVICE_URL", "http://127.0.0.1:8083, 127.0.0.1:9083")
                .start().close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway exited with")
                .hasMessageContaining("livestage.gateway.services.chat-service: '127.0.0.1:9083' is not a base URL");
    }

    private static HttpServer instance(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
