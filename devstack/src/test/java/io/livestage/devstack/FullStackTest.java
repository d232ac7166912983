package io.livestage.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.livekit.LiveKitStub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole stack with the real services and the real Keycloak, as {@code ./livestage up} runs it: tokens come from
 * Keycloak (password grant), the services verify them against the realm's keys (discovery + JWKS) and audience.
 * Needs the services built: in a full reactor build ({@code ./livestage test}) they are packaged before devstack; run
 * alone without them, it fails and says which build to run first (never a silent skip).
 * <p>
 * One stack, started once for every check (CI time), with two instances of every service behind one gateway
 * ({@code ./livestage up --replicas=2}): the wiring checks, the web app end to end in Chromium ({@link WebEndToEnd},
 * {@code web/e2e/}), then what replicas must get right ({@link ReplicaChecks}), killing instances last. There is no LiveKit SFU and no Gladia key in a build: the services are pointed
 * at the testing module's contract stubs (LiveKit RoomService, Egress writing real files, signed webhooks to
 * token-service; Gladia's live API), which is how the browser's LiveKit connection fails ("Media server unreachable")
 * while chat, stage, captions and recordings work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullStackTest {

    /** Surefire runs in the module directory: the repo root is its parent. */
    private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path state;
    @TempDir
    static Path recordings;

    private static LiveKitStub livekit;
    private static GladiaStub gladia;
    private static DevStackConfig config;
    private static DevStack stack;
    private static List<ServiceSpec> services;
    private static int port;
    private static int tokenPort;
    private static int chatPort;
    private static int transcriptionPort;
    private static int recordingPort;
    private static int analyticsPort;
    private static int gatewayPort;

    @BeforeAll
    static void startTheStack() {
        ServiceSpec session = service("session-service");
        ServiceSpec tokens = service("token-service");
        ServiceSpec chat = service("chat-service");
        ServiceSpec transcription = service("transcription-service");
        ServiceSpec recording = service("recording-service");
        ServiceSpec analytics = service("analytics-service");
        ServiceSpec gateway = service("gateway");
        services = List.of(session, tokens, chat, transcription, recording, analytics, gateway);
        for (ServiceSpec spec : services) {
            Path jar = REPO_ROOT.resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                fail(jar + " is not built: run ./livestage test (the whole reactor), or package the services first with"
                        + " ./mvnw -B -q package -DskipTests");
            }
        }
        // LiveKit's dev key pair: the dev profile the stack runs accepts it; egress writes into recordings ("/out")
        livekit = LiveKitStub.start();
        livekit.egress().mount("/out", recordings);
        gladia = GladiaStub.start();
        port = Ports.freePort();
        tokenPort = Ports.freePort();
        chatPort = Ports.freePort();
        transcriptionPort = Ports.freePort();
        recordingPort = Ports.freePort();
        analyticsPort = Ports.freePort();
        gatewayPort = Ports.freePort();
        config = DevStackConfig.builder(REPO_ROOT)
                .stateDir(state)
                .postgresPort(Ports.freePort())
                .postgresBinariesDir(InfrastructureTest.SHARED_POSTGRES_BINARIES)
                .kafkaPort(Ports.freePort())
                .kafkaControllerPort(Ports.freePort())
                .kafkaJvmOptions(List.of("-Xms128m", "-Xmx512m"))
                .keycloakPort(Ports.freePort())
                .services(services)
                .servicePort(session.name(), port)
                .servicePort(tokens.name(), tokenPort)
                .servicePort(chat.name(), chatPort)
                .servicePort(transcription.name(), transcriptionPort)
                .servicePort(recording.name(), recordingPort)
                .servicePort(analytics.name(), analyticsPort)
                .servicePort(gateway.name(), gatewayPort)
                // two instances of every service but the gateway, which balances over them (./livestage up --replicas=2)
                .replicas(2)
                // one start per test run: a training run of the class cache (ADR 0020) would only cost CPU at the
                // start and time at the stop, with no later start to map it
                .startupCache(false)
                .servicePort("session-service-2", Ports.freePort())
                .servicePort("token-service-2", Ports.freePort())
                .servicePort("chat-service-2", Ports.freePort())
                .servicePort("transcription-service-2", Ports.freePort())
                .servicePort("recording-service-2", Ports.freePort())
                .servicePort("analytics-service-2", Ports.freePort())
                // thirteen JVMs start at once on a small CI machine
                .serviceReadyTimeout(Duration.ofSeconds(300))
                .serviceJvmOptions(List.of("-Xmx512m"))
                .serviceEnv(Map.of(
                        "LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                        "LIVEKIT_API_KEY", livekit.apiKey(),
                        "LIVEKIT_API_SECRET", livekit.apiSecret(),
                        "LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", recordings.toString(),
                        "GLADIA_URL", gladia.baseUrl(),
                        "GLADIA_API_KEY", gladia.apiKey(),
                        // both recording-service instances reconcile often, so a double start would show within seconds
                        "LIVESTAGE_RECORDING_RECONCILE_EVERY", "2s"))
                .build();
        stack = DevStack.start(config, InfrastructureTest.progress());
        // LiveKit's own webhooks (egress_started/ended, ...) go where a deployment points them: token-service
        livekit.notifier().addUrl("http://127.0.0.1:" + tokenPort + "/webhooks/livekit");
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        try {
            if (stack != null) {
                stack.close();
                assertThat(Files.list(state.resolve("pids")).toList()).as("no process left behind").isEmpty();
                assertThat(config.identityFile()).doesNotExist();
            }
        } finally {
            if (gladia != null) {
                gladia.close();
            }
            if (livekit != null) {
                livekit.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyServiceComesUpReadyAndWiredOnTheLocalStack() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(stack.services()).as("two instances of each service, one gateway").hasSize(2 * services.size() - 1)
                .allSatisfy(s -> assertThat(s.process().isAlive()).isTrue());

        // Tokens are Keycloak's: issuer = the stack's public URL, sub = the demo user's fixed id, xp a number.
        assertThat(stack.keycloak()).isNotNull();
        assertThat(stack.identity()).isNull();
        String alice = stack.tokens().get("alice");
        String aliceClaims = claims(alice);
        assertThat(aliceClaims).contains("\"iss\":\"" + config.keycloakIssuer() + "\"").contains("\"sub\":\"alice\"")
                .contains("\"xp\":100").contains("\"name\":\"Alice Host\"").contains("\"livestage\"");
        assertThat(Files.readString(state.resolve("tokens/alice.jwt")).trim()).isEqualTo(alice);
        assertThat(Files.readString(config.identityFile())).contains("mode=keycloak");
        // what ./livestage token does: the password grant on livestage-cli
        assertThat(claims(KeycloakNode.passwordGrant(config.keycloakPort(), "bob", "bob"))).contains("\"sub\":\"bob\"");
        assertThatThrownBy(() -> KeycloakNode.passwordGrant(config.keycloakPort(), "bob", "wrong"))
                .isInstanceOf(DevStackException.class).hasMessageContaining("Invalid user credentials");

        // session-service verifies signature (JWKS), issuer, expiry and audience: only the real token passes.
        String mine = "http://127.0.0.1:" + port + "/api/sessions?host=me";
        assertThat(status(mine, alice)).isEqualTo(200);
        assertThat(status(mine, forged(alice))).as("payload changed, signature kept").isEqualTo(401);
        DevIdentity other = DevIdentity.loadOrCreate(state.resolve("other-keys"));
        assertThat(status(mine, other.mint("alice", Duration.ofMinutes(5)))).as("the dev identity's token").isEqualTo(401);
        assertThat(status(mine, idToken(config.keycloakPort(), "alice", "alice")))
                .as("a real Keycloak token for alice, but for the audience livestage-cli (her ID token)").isEqualTo(401);

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
        CompletableFuture<String> welcome = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + chatPort + "/ws/sessions/" + id), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data,
                            boolean last) {
                        // the room's presence may come first: wait for the welcome
                        if (data.toString().contains("\"type\":\"welcome\"")) {
                            welcome.complete(data.toString());
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
        socket.sendText("{\"type\":\"auth\",\"v\":1,\"token\":\"" + stack.tokens().get("alice") + "\"}", true).join();
        assertThat(welcome.get(30, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"")
                .contains("\"role\":\"HOST\"");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

        // transcription-service learnt the session from Kafka too: its (empty) transcript answers
        URI transcript = URI.create("http://127.0.0.1:" + transcriptionPort + "/api/sessions/" + id + "/transcript");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int transcriptStatus;
        do {
            transcriptStatus = http.send(HttpRequest.newBuilder(transcript).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (transcriptStatus != 200) {
                Thread.sleep(200);
            }
        } while (transcriptStatus != 200 && System.nanoTime() < deadline);
        assertThat(transcriptStatus).as("GET " + transcript).isEqualTo(200);

        // and so did recording-service: the session's (empty) recordings, to its host
        URI recordings = URI.create("http://127.0.0.1:" + recordingPort + "/api/sessions/" + id + "/recordings");
        int recordingsStatus;
        do {
            recordingsStatus = http.send(HttpRequest.newBuilder(recordings).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (recordingsStatus != 200) {
                Thread.sleep(200);
            }
        } while (recordingsStatus != 200 && System.nanoTime() < deadline);
        assertThat(recordingsStatus).as("GET " + recordings).isEqualTo(200);

        // and so did analytics-service's topology: the session's statistics (from its events), to its host
        URI stats = URI.create("http://127.0.0.1:" + analyticsPort + "/api/sessions/" + id + "/analytics");
        HttpResponse<String> statsResponse;
        do {
            statsResponse = http.send(HttpRequest.newBuilder(stats).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (statsResponse.statusCode() != 200) {
                Thread.sleep(200);
            }
        } while (statsResponse.statusCode() != 200 && System.nanoTime() < deadline);
        assertThat(statsResponse.statusCode()).as("GET " + stats).isEqualTo(200);
        assertThat(statsResponse.body()).contains("\"sessionId\":\"" + id + "\"").contains("\"hostId\":\"alice\"");

        // the edge verifies the same Keycloak tokens and forwards to session-service
        String viaGateway = "http://127.0.0.1:" + gatewayPort + "/api/sessions?host=me";
        assertThat(status(viaGateway, alice)).isEqualTo(200);
        assertThat(status(viaGateway, forged(alice))).isEqualTo(401);
    }

    /**
     * The web app served by the gateway, in Chromium (two browser contexts: host and listener), against this stack:
     * web/e2e/README.md lists the steps. Fails, never skips, when Node, Chromium or any step is missing.
     */
    @Test
    @Order(2)
    void theWebAppEndToEndInChromium() throws Exception {
        String origin = "http://localhost:" + gatewayPort;
        WebEndToEnd.allowWebOrigin(config, origin);
        // a session of alice's for the smoke scenario's dashboard (the room scenario creates its own in the browser)
        HttpResponse<String> created = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/sessions"))
                        .header("Authorization", "Bearer " + KeycloakNode.passwordGrant(config.keycloakPort(), "alice", "alice"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Analytics check\",\"kind\":\"AUDIO\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([0-9a-f-]{36})\".*", "$1");
        WebEndToEnd.run(REPO_ROOT, Map.of(
                        "E2E_BASE_URL", origin,
                        "E2E_ANALYTICS_SESSION", id,
                        "E2E_SCENARIOS", System.getProperty("livestage.e2e.scenarios", "smoke,room,phone"),
                        "E2E_RUN", Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36)),
                REPO_ROOT.resolve("devstack/target/e2e"), livekit, "http://127.0.0.1:" + tokenPort + "/webhooks/livekit",
                Duration.ofMinutes(10));
    }

    /**
     * Seed 003's largest stage through the gateway: 20 Keycloak users join alice's session, are approved on stage,
     * get publishing tokens and LiveKit's permission update, are captioned and chat ({@link TwentyGuests}).
     */
    @Test
    @Order(3)
    void aSessionWithTwentyGuestsOnStage() throws Exception {
        String gateway = "http://127.0.0.1:" + gatewayPort;
        TwentyGuests.run(gateway, config.keycloakPort(), livekit, gladia, gateway + "/webhooks/livekit");
    }

    @Test
    @Order(10)
    void bothInstancesOfEveryServiceServeBehindTheGateway() throws Exception {
        new ReplicaChecks(stack, livekit).bothInstancesServeBehindTheGateway();
    }

    @Test
    @Order(11)
    void chatReachesSocketsOnTheOtherInstance() throws Exception {
        new ReplicaChecks(stack, livekit).chatCrossesInstances();
    }

    @Test
    @Order(12)
    void tokenServicesEnforcerRunsInOneConsumerGroup() throws Exception {
        new ReplicaChecks(stack, livekit).tokenEnforcerRunsInOneConsumerGroup();
    }

    @Test
    @Order(13)
    void recordingsReconcileOnTwoInstancesDoesNotStartEgressTwice() throws Exception {
        new ReplicaChecks(stack, livekit).recordingReconcileDoesNotDoubleStart();
    }

    /** Kills chat-service #1: the last checks run on a stack that lost instances, as after a crash. */
    @Test
    @Order(20)
    void theOutboxRelaysLeadershipMovesWhenAnInstanceIsKilled() throws Exception {
        new ReplicaChecks(stack, livekit).outboxLeadershipMovesWhenAnInstanceIsKilled();
    }

    /** Kills analytics-service #2. */
    @Test
    @Order(21)
    void analyticsRebalancesWhenAnInstanceIsKilled() throws Exception {
        new ReplicaChecks(stack, livekit).analyticsRebalancesWhenAnInstanceIsKilled();
    }

    private static ServiceSpec service(String name) {
        return Catalog.SERVICES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** The same token with xp raised to 9999 in the payload: the signature no longer matches. */
    private static String forged(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = claims(jwt).replace("\"xp\":100", "\"xp\":9999");
        assertThat(payload).contains("\"xp\":9999");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    /** HTTP/1.1: the JDK client's h2c upgrade trips over the gateway forwarding a {@code connection} header (its bug, reported). */
    private static int status(String url, String token) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Alice's ID token from the password grant: signed by the realm, sub alice, but its audience is the client only. */
    private static String idToken(int keycloakPort, String user, String password) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(KeycloakNode.authServerUrl(keycloakPort) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=livestage-cli&scope=openid&username="
                        + user + "&password=" + password)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String token = r.body().replaceAll(".*\"id_token\":\"([^\"]+)\".*", "$1");
        assertThat(claims(token)).contains("\"sub\":\"" + user + "\"").contains("\"aud\":\"livestage-cli\"")
                .doesNotContain("\"livestage\"");
        return token;
    }
}
