package io.livestage.gateway.e2e;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.keycloak.KeycloakServer;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;

/**
 * The whole platform behind the gateway, once per test JVM, for the end-to-end tests: the real Keycloak (tokens from
 * its token endpoint), Kafka and PostgreSQL, session-, token- and chat-service and the gateway as processes that
 * verify Keycloak's tokens (issuer and keys discovered from the realm, audience {@value KeycloakServer#AUDIENCE}),
 * and the LiveKit contract stub. Started by the first test class that asks, left running for the next ones, stopped
 * at JVM exit (by each process's shutdown hook).
 * <p>
 * Its consumer groups carry a suffix: another IT of this JVM that starts services of its own ({@code GatewayIT})
 * must never share a group with these, or each set would get only half of the partitions.
 */
public final class LiveStack {
    private static final Object LOCK = new Object();
    private static volatile LiveStack shared;

    private final KeycloakServer keycloak;
    private final LiveKitStub livekit;
    private final ServiceProcess sessions;
    private final ServiceProcess tokens;
    private final ServiceProcess chat;
    private final ServiceProcess gateway;
    /** Usernames are unique per run, so an external Keycloak (LIVESTAGE_TEST_KEYCLOAK_URL) can be reused. */
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final Map<String, User> users = new ConcurrentHashMap<>();

    private LiveStack() {
        long t0 = System.nanoTime();
        CompletableFuture<KeycloakServer> keycloakStart = CompletableFuture.supplyAsync(KeycloakServer::shared, LiveStack::thread);
        KafkaBroker.shared().createTopic(Topics.SESSION, 6);
        // a key pair of this run, not LiveKit's dev pair: SecretsStayOutOfLogsIT looks for the secret in the logs
        livekit = LiveKitStub.start("e2e-" + run, "e2e-secret-" + UUID.randomUUID());
        Runtime.getRuntime().addShutdownHook(new Thread(livekit::close, "e2e-livekit-stub-stop"));
        keycloak = keycloakStart.join();
        // the services verify tokens against Keycloak from their start on; each knows the others by a port chosen now
        // all four chosen before any service starts, so no service can take another's port while that one boots
        int[] ports = ServiceProcess.freePorts(4);
        int sessionPort = ports[0];
        int tokenPort = ports[1];
        int chatPort = ports[2];
        int gatewayPort = ports[3];
        String sessionUrl = "http://127.0.0.1:" + sessionPort;
        CompletableFuture<ServiceProcess> sessionStart = start(service("session-service").port(sessionPort));
        CompletableFuture<ServiceProcess> chatStart = start(service("chat-service").port(chatPort)
                .env("MP_MESSAGING_INCOMING_SESSION_PROJECTION_GROUP_ID", "chat-service-e2e"));
        CompletableFuture<ServiceProcess> tokenStart = start(service("token-service").port(tokenPort)
                .env("MP_MESSAGING_INCOMING_SESSION_EVENTS_GROUP_ID", "token-service-e2e")
                .env("LIVEKIT_URL", livekit.url().replace("http://", "ws://"))
                .env("LIVEKIT_API_KEY", livekit.apiKey())
                .env("LIVEKIT_API_SECRET", livekit.apiSecret())
                .env("SESSION_SERVICE_URL", sessionUrl));
        CompletableFuture<ServiceProcess> gatewayStart = start(service("gateway").port(gatewayPort)
                .env("SESSION_SERVICE_URL", sessionUrl)
                .env("TOKEN_SERVICE_URL", "http://127.0.0.1:" + tokenPort).env("CHAT_SERVICE_URL", "http://127.0.0.1:" + chatPort));
        sessions = sessionStart.join();
        tokens = tokenStart.join();
        chat = chatStart.join();
        gateway = gatewayStart.join();
        System.err.printf("[e2e] Keycloak %s, session %s, token %s, chat %s, gateway %s; up in %.1f s (logs: target/e2e-*.log)%n",
                keycloak.baseUrl(), sessions.url(), tokens.url(), chat.url(), gateway.url(), (System.nanoTime() - t0) / 1e9);
    }

    private static CompletableFuture<ServiceProcess> start(ServiceProcess.Builder builder) {
        return CompletableFuture.supplyAsync(builder::start, LiveStack::thread);
    }

    /** A thread per start: they wait on processes, and the common pool has one thread on a 2-core machine. */
    private static void thread(Runnable task) {
        Thread thread = new Thread(task, "e2e-start");
        thread.setDaemon(true);
        thread.start();
    }

    private ServiceProcess.Builder service(String module) {
        return ServiceProcess.builder(module).oidcProvider(keycloak.authServerUrl(), KeycloakServer.AUDIENCE)
                .log(Path.of("target", "e2e-" + module + ".log"));
    }

    /** The stack of this JVM, started on first use. */
    public static LiveStack shared() {
        LiveStack current = shared;
        if (current != null) {
            return current;
        }
        synchronized (LOCK) {
            if (shared == null) {
                shared = new LiveStack();
            }
            return shared;
        }
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    public LiveKitStub livekit() {
        return livekit;
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    /** {@code ws://…} of the gateway. */
    public String wsUrl() {
        return gateway.url().replace("http://", "ws://");
    }

    /** A request to the gateway, without a token. */
    public RequestSpecification edge() {
        return given().baseUri(gateway.url());
    }

    /** A JSON request to the gateway with the user's Keycloak access token. */
    public RequestSpecification as(User user) {
        return edge().auth().oauth2(user.token()).contentType(ContentType.JSON);
    }

    /** A demo user of the realm (alice, bob, carol), with a token from Keycloak. */
    public User demo(String username) {
        return users.computeIfAbsent("demo:" + username, k -> {
            KeycloakServer.DemoUser user = KeycloakServer.DEMO_USERS.stream()
                    .filter(u -> u.username().equals(username)).findFirst().orElseThrow();
            return new User(user.id(), user.username(), user.name(), () -> keycloak.tokenFor(user.username(), user.password()));
        });
    }

    /** A user of this run called {@code handle} (made through Keycloak's admin API the first time), xp 0. */
    public User user(String handle) {
        return users.computeIfAbsent(handle, k -> {
            KeycloakServer.TestUser made = keycloak.createUser(handle + "-" + run, 0);
            return new User(made.id(), made.username(), made.name(), () -> keycloak.tokenFor(made));
        });
    }

    /**
     * The users called {@code handles} (made if need be) with their tokens, fetched side by side: Keycloak spends
     * most of a login hashing the password, and a test needing several users should not wait for each in turn.
     */
    public List<User> users(String... handles) {
        List<CompletableFuture<User>> logins = new ArrayList<>();
        for (String handle : handles) {
            logins.add(CompletableFuture.supplyAsync(() -> {
                User user = handle.startsWith("demo:") ? demo(handle.substring(5)) : user(handle);
                user.token();
                return user;
            }, LiveStack::thread));
        }
        return logins.stream().map(CompletableFuture::join).toList();
    }

    /** A signed-in person: the id is the token's {@code sub} (the LiveKit identity); the token is renewed when old. */
    public static final class User {
        private final String id;
        private final String username;
        private final String name;
        private final Supplier<String> login;
        private String token;
        private Instant renewAt = Instant.EPOCH;

        User(String id, String username, String name, Supplier<String> login) {
            this.id = id;
            this.username = username;
            this.name = name;
            this.login = login;
        }

        public String id() {
            return id;
        }

        public String username() {
            return username;
        }

        public String name() {
            return name;
        }

        /** An access token, fetched again once more than half of its life has passed. */
        public synchronized String token() {
            if (token == null || Instant.now().isAfter(renewAt)) {
                token = login.get();
                JsonNode claims = KeycloakServer.claims(token);
                long iat = claims.path("iat").asLong();
                long exp = claims.path("exp").asLong();
                renewAt = Instant.ofEpochSecond(iat + (exp - iat) / 2);
            }
            return token;
        }

        @Override
        public String toString() {
            return username;
        }
    }

    /** A random id for things that only need to be unique (client message ids, invitee ids). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
