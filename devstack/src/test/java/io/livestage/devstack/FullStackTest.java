package io.livestage.devstack;

import io.livestage.devstack.Catalog.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole stack with the real services, as {@code ./livestage up} runs it. Needs the services built: in a full
 * reactor build ({@code ./mvnw verify}) session-service is packaged before devstack; built alone, this is skipped.
 */
class FullStackTest {

    /** Surefire runs in the module directory: the repo root is its parent. */
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path state;

    @Test
    void everyServiceComesUpReadyAndWiredOnTheLocalStack() throws Exception {
        for (ServiceSpec spec : Catalog.SERVICES) {
            Path jar = REPO_ROOT.resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
            assumeTrue(Files.isRegularFile(jar), () -> "skipped: " + jar + " is not built (run the full reactor: "
                    + "./mvnw verify, or ./mvnw -B -q -DskipTests install first)");
        }
        ServiceSpec session = Catalog.SERVICES.get(0);
        ServiceSpec tokens = Catalog.SERVICES.get(1);
        ServiceSpec chat = Catalog.SERVICES.get(2);
        int port = Ports.freePort();
        int tokenPort = Ports.freePort();
        int chatPort = Ports.freePort();
        DevStackConfig config = DevStackConfig.builder(REPO_ROOT)
                .stateDir(state)
                .postgresPort(Ports.freePort())
                .postgresBinariesDir(InfrastructureTest.SHARED_POSTGRES_BINARIES)
                .kafkaPort(Ports.freePort())
                .kafkaControllerPort(Ports.freePort())
                .kafkaJvmOptions(List.of("-Xms128m", "-Xmx512m"))
                .services(Catalog.SERVICES)
                .servicePort(session.name(), port)
                .servicePort(tokens.name(), tokenPort)
                .servicePort(chat.name(), chatPort)
                .serviceJvmOptions(List.of("-Xmx512m"))
                .build();

        try (DevStack stack = DevStack.start(config, InfrastructureTest.progress())) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(stack.services()).hasSize(3).allSatisfy(s -> assertThat(s.process().isAlive()).isTrue());

            // The demo host creates a session on session-service and gets a LiveKit token from token-service,
            // which asks session-service (SESSION_SERVICE_URL wiring) for the host's role.
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Bearer " + stack.tokens().get("alice");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/sessions")).header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Devstack check\",\"kind\":\"AUDIO\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String slug = created.body().replaceAll(".*\"slug\":\"([a-z0-9]{8})\".*", "$1");
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tokenPort + "/api/tokens")).header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"" + slug + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(token.body()).contains("\"role\":\"HOST\"");

            // chat-service learnt the session from Kafka and opens its room channel to the host.
            String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1");
            java.util.concurrent.CompletableFuture<String> welcome = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket socket = http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + chatPort + "/ws/sessions/" + id), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                boolean last) {
                            welcome.complete(data.toString());
                            return null;
                        }
                    }).join();
            socket.sendText("{\"type\":\"auth\",\"v\":1,\"token\":\"" + stack.tokens().get("alice") + "\"}", true).join();
            assertThat(welcome.get(30, java.util.concurrent.TimeUnit.SECONDS)).contains("\"type\":\"welcome\"")
                    .contains("\"role\":\"HOST\"");
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").join();
        }
        assertThat(Files.list(state.resolve("pids")).toList()).as("no process left behind").isEmpty();
    }
}
