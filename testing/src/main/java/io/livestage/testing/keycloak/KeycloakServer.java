package io.livestage.testing.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.infra.keycloak.KeycloakDistribution;
import io.livestage.infra.process.ChildProcess;
import io.livestage.infra.process.HttpReadiness;
import io.livestage.infra.process.HttpReadiness.NotReadyException;
import io.livestage.infra.process.JvmFlags;
import io.livestage.testing.JvmWide;

/**
 * One real Keycloak per test JVM with the livestage realm ({@code keycloak/livestage-realm.json} of the repo, packaged
 * into this jar): never a mock. Tokens come from Keycloak's own endpoints, signed with the realm's keys.
 * <p>
 * Resolution order: {@value #URL_PROPERTY} (published by a copy of this class in another classloader) →
 * {@value #URL_ENV} (an already running Keycloak with the realm imported, e.g. the local stack's
 * {@code http://localhost:8180}) → a Keycloak process started from the Maven Central distribution on a free loopback
 * port: built once per machine (livestage-infra's {@link KeycloakDistribution}, the local stack's too), the realm imported once per machine and realm file
 * into a template H2 database, then {@code start --optimized} on a fresh copy of that database in a temp home (so
 * every test JVM sees the realm file's state, nothing a previous run changed), stopped and deleted at JVM exit.
 */
public final class KeycloakServer {

    public static final String REALM = "livestage";
    /** Browser client: authorization code + PKCE S256, public. */
    public static final String WEB_CLIENT = "livestage-web";
    /** CLI/tests client: public, resource owner password grant (dev only). */
    public static final String CLI_CLIENT = "livestage-cli";
    /** Confidential client for service-to-service calls (client credentials). */
    public static final String SERVICES_CLIENT = "livestage-services";
    /** The dev-only secret of {@link #SERVICES_CLIENT} (the realm's default when LIVESTAGE_SERVICES_CLIENT_SECRET is unset). */
    public static final String SERVICES_DEV_SECRET = "livestage-services-dev-secret";
    /** Audience every livestage client puts into its access tokens ({@code quarkus.oidc.token.audience}). */
    public static final String AUDIENCE = "livestage";
    /** JVM-wide publication of the shared server's base URL ({@code http://127.0.0.1:<port>}). */
    public static final String URL_PROPERTY = "livestage.test.keycloak.url";
    /** An external Keycloak (base URL) that already has the livestage realm. */
    public static final String URL_ENV = "LIVESTAGE_TEST_KEYCLOAK_URL";
    /** Env var or system property: how long to wait for the server to become ready, in seconds (default 240). */
    public static final String READY_TIMEOUT_ENV = "LIVESTAGE_KEYCLOAK_READY_TIMEOUT_SECONDS";
    /** Env var or system property: JVM heap options of the server (default {@code -Xms64m -Xmx512m}, as kc.sh). */
    public static final String JAVA_OPTS_ENV = "LIVESTAGE_KEYCLOAK_JAVA_OPTS";

    /**
     * Dev-only admin of the master realm, for the admin REST API ({@link #createUser}): created with the master realm
     * of the test server's database template, and the same as the local stack's ({@code ./livestage up}), so an
     * external server from {@value #URL_ENV} works too. The server listens on loopback only.
     */
    public static final String ADMIN_USERNAME = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /** A demo user of the realm; the password is for development only. {@code id} is the token's {@code sub}. */
    public record DemoUser(String id, String username, String password, String name, int xp, String role) {
    }

    public static final List<DemoUser> DEMO_USERS = List.of(
            new DemoUser("alice", "alice", "alice", "Alice Host", 100, "host"),
            new DemoUser("bob", "bob", "bob", "Bob Viewer", 40, "viewer"),
            new DemoUser("carol", "carol", "carol", "Carol Viewer", 10, "viewer"));

    static final String REALM_RESOURCE = "livestage-realm.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JvmWide<KeycloakServer> SHARED = new JvmWide<>(URL_PROPERTY,
            published -> new KeycloakServer(published, "published by " + URL_PROPERTY), KeycloakServer::resolve,
            KeycloakServer::baseUrl);

    private final String baseUrl;
    private final String origin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private KeycloakServer(String baseUrl, String origin) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.origin = origin;
    }

    /** The server of this JVM, started on first use and stopped by a shutdown hook. */
    public static KeycloakServer shared() {
        return SHARED.get();
    }

    private static KeycloakServer resolve() {
        String external = System.getenv(URL_ENV);
        if (external == null || external.isBlank()) {
            return startLocal();
        }
        KeycloakServer server = new KeycloakServer(external.trim(), "external, from " + URL_ENV);
        server.awaitRealm(Duration.ofSeconds(10), null);
        return server;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // coordinates

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return baseUrl;
    }

    /** The realm's issuer, {@code <baseUrl>/realms/livestage}: the {@code iss} of its tokens. */
    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    /** What services get as {@code quarkus.oidc.auth-server-url} (quarkus-oidc discovers the rest). */
    public String authServerUrl() {
        return issuer();
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String authorizationEndpoint() {
        return issuer() + "/protocol/openid-connect/auth";
    }

    public String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // tokens

    /** An access token for a demo user (alice, bob, carol) with the dev password. */
    public String tokenFor(String username) {
        DemoUser user = DEMO_USERS.stream().filter(u -> u.username().equals(username)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not a demo user: " + username + "; use tokenFor(user, password)"));
        return tokenFor(user.username(), user.password());
    }

    /** An access token by the password grant on {@value #CLI_CLIENT}; fails with Keycloak's answer if refused. */
    public String tokenFor(String username, String password) {
        return passwordGrant(CLI_CLIENT, username, password).requireAccessToken();
    }

    /** The raw password grant on any client, for tests of refusals. */
    public TokenResponse passwordGrant(String clientId, String username, String password) {
        return tokenRequest(form("grant_type", "password", "client_id", clientId, "username", username,
                "password", password, "scope", "openid"));
    }

    /** An access token of {@value #SERVICES_CLIENT}'s service account (client credentials grant). */
    public String clientCredentialsToken() {
        return clientCredentials(SERVICES_CLIENT, SERVICES_DEV_SECRET).requireAccessToken();
    }

    public TokenResponse clientCredentials(String clientId, String secret) {
        return tokenRequest(form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** POSTs a form to the token endpoint and returns the status and the JSON answer. */
    public TokenResponse tokenRequest(Map<String, String> form) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
        return new TokenResponse(response.statusCode(), parse(response.body()));
    }

    /** The status and JSON body of a token endpoint call. */
    public record TokenResponse(int status, JsonNode body) {

        public Optional<String> accessToken() {
            return Optional.ofNullable(body.get("access_token")).map(JsonNode::asText);
        }

        public String requireAccessToken() {
            return accessToken().orElseThrow(() -> new AssertionError("Keycloak refused the token request: HTTP "
                    + status + " " + body));
        }

        public String error() {
            return body.path("error").asText(null);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // test users and clients, through the admin REST API (never written to the realm file)

    /** A user a test made with {@link #createUser}: {@code id} is the token's {@code sub} (a UUID Keycloak chose). */
    public record TestUser(String id, String username, String password, String name, int xp) {
    }

    /**
     * Creates an enabled user in the realm with a random password, a complete profile (so that the password grant
     * needs no further action) and the {@code xp} attribute, which the realm's clients map into tokens. Fails if the
     * username is taken.
     */
    public TestUser createUser(String username, int xp) {
        String password = UUID.randomUUID().toString();
        String first = Character.toUpperCase(username.charAt(0)) + username.substring(1);
        ObjectNode user = JSON.createObjectNode().put("username", username)
                .put("enabled", true).put("email", username + "@test.livestage.invalid").put("emailVerified", true)
                .put("firstName", first).put("lastName", "Test");
        user.putObject("attributes").putArray("xp").add(Integer.toString(xp));
        user.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        HttpResponse<String> created = admin("POST", "/users", user.toString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Keycloak did not create user " + username + ": HTTP " + created.statusCode()
                    + " " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                "Keycloak created user " + username + " but sent no Location"));
        return new TestUser(location.substring(location.lastIndexOf('/') + 1), username, password, first + " Test", xp);
    }

    /** An access token of a user made by {@link #createUser}. */
    public String tokenFor(TestUser user) {
        return tokenFor(user.username(), user.password());
    }

    /**
     * Creates a public client like {@value #CLI_CLIENT} (password grant, the {@code xp} and audience mappers) whose
     * access tokens live {@code accessTokenLifespan}: a way to get a token Keycloak signed that really expires.
     */
    public void createPasswordClient(String clientId, Duration accessTokenLifespan) {
        HttpResponse<String> found = admin("GET", "/clients?clientId=" + CLI_CLIENT, null);
        JsonNode list = parse(found.body());
        if (found.statusCode() != 200 || !list.isArray() || list.isEmpty()) {
            throw new IllegalStateException("No client " + CLI_CLIENT + " to copy: HTTP " + found.statusCode() + " " + found.body());
        }
        ObjectNode client = (ObjectNode) list.get(0);
        client.remove("id");
        client.put("clientId", clientId).put("name", clientId);
        ObjectNode attributes = client.get("attributes") instanceof ObjectNode existing ? existing : client.putObject("attributes");
        attributes.put("access.token.lifespan", Long.toString(accessTokenLifespan.toSeconds()));
        for (JsonNode mapper : client.path("protocolMappers")) {
            ((ObjectNode) mapper).remove("id");
        }
        HttpResponse<String> created = admin("POST", "/clients", client.toString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Keycloak did not create client " + clientId + ": HTTP " + created.statusCode()
                    + " " + created.body());
        }
    }

    private volatile String adminToken;
    private volatile long adminTokenUntil;

    /** A call to {@code <baseUrl>/admin/realms/livestage<path>} as {@link #ADMIN_USERNAME}. */
    private HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + REALM + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json");
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b.build());
    }

    /** The admin's token (master realm, {@code admin-cli}), renewed when less than 20 s of it are left. */
    private synchronized String adminToken() {
        if (adminToken == null || System.currentTimeMillis() > adminTokenUntil) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form("grant_type", "password", "client_id", "admin-cli",
                            "username", ADMIN_USERNAME, "password", ADMIN_PASSWORD)))).build());
            JsonNode body = parse(r.body());
            if (r.statusCode() != 200 || !body.has("access_token")) {
                throw new IllegalStateException("Keycloak at " + baseUrl + " (" + origin + ") refused its admin "
                        + ADMIN_USERNAME + ": HTTP " + r.statusCode() + " " + r.body());
            }
            adminToken = body.get("access_token").asText();
            adminTokenUntil = System.currentTimeMillis() + (body.path("expires_in").asLong(60) - 20) * 1000;
        }
        return adminToken;
    }

    /** The claims of a JWT (not verified: Keycloak just issued it; tests verify signatures separately). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a JWS compact serialization");
        }
        return parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    /** GET with no redirects followed, for flows that inspect Keycloak's answers. */
    public HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak at " + baseUrl + " (" + origin + ") did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> form(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("unparsed", body);
        }
    }

    @Override
    public String toString() {
        return "KeycloakServer[" + baseUrl + ", " + origin + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the local process

    /** The realm file packaged into this jar (a copy of keycloak/livestage-realm.json). */
    public static byte[] realmJson() {
        try (InputStream in = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REALM_RESOURCE + " is missing from livestage-testing (rebuild the module)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeycloakServer startLocal() {
        long t0 = System.nanoTime();
        String java = JvmFlags.currentJava();
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("Keycloak needs Java 21+, this JVM is " + Runtime.version());
        }
        KeycloakDistribution dist = KeycloakDistribution.locate();
        Path cacheRoot = KeycloakDistribution.defaultCacheRoot();
        Instances.stopOrphans(cacheRoot.resolve("instances"));
        Path built = dist.builtHome(cacheRoot, java, KeycloakServer::progress);
        try {
            byte[] realm = realmJson();
            Path template = dist.databaseTemplate(cacheRoot, built, java, REALM_RESOURCE, realm, ADMIN_USERNAME,
                    ADMIN_PASSWORD, KeycloakServer::progress);
            Path home = Files.createTempDirectory("livestage-keycloak-");
            KeycloakDistribution.prepareInstanceHome(home, built, REALM_RESOURCE, realm);
            // a fresh copy of the imported database: every test JVM starts from the realm file's state
            KeycloakDistribution.copyTree(template, home.resolve("data").resolve("h2"));
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            String heapOpts = KeycloakDistribution.setting(JAVA_OPTS_ENV);
            List<String> heap = heapOpts == null ? List.of("-Xms64m", "-Xmx512m") : JvmFlags.split(heapOpts);
            Path log = home.resolve("keycloak.log");
            progress("Keycloak " + dist.version() + ": starting on " + base + " (realm " + REALM + ", log " + log + ")");
            // Keycloak would read KC_* from the environment; the test server gets only what is on the command line.
            ChildProcess process = ChildProcess.start("Keycloak", KeycloakDistribution.command(java, built, home, heap,
                    KeycloakDistribution.startArguments(port, base)), home, KeycloakDistribution::isolate, log,
                    ChildProcess.Log.REPLACE);
            Instances.record(cacheRoot.resolve("instances"), process, home);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, home, cacheRoot.resolve("instances")),
                    "livestage-keycloak-stop"));
            KeycloakServer server = new KeycloakServer(base, "Keycloak " + dist.version() + " process, pid " + process.pid());
            Duration timeout = Duration.ofSeconds(Long.parseLong(Optional.ofNullable(
                    KeycloakDistribution.setting(READY_TIMEOUT_ENV)).orElse("240")));
            server.awaitRealm(timeout, process);
            progress(String.format("Keycloak %s: ready on %s in %.1f s (pid %d)", dist.version(), base,
                    (System.nanoTime() - t0) / 1e9, process.pid()));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keycloak", e);
        }
    }

    /** Polls the realm's discovery document until it answers 200; {@code process} is null for an external server. */
    private void awaitRealm(Duration timeout, ChildProcess process) {
        try {
            HttpReadiness.await(KeycloakDistribution.discoveryUrl(baseUrl, REALM), process, timeout, Duration.ofMillis(250),
                    (elapsed, last) -> {
                        if (process != null) {
                            progress(String.format("Keycloak: waiting for the realm (%d s, %s)", elapsed.toSeconds(), last));
                        }
                    });
        } catch (NotReadyException e) {
            String log = process == null ? "" : "; " + process.logFile() + ":\n" + String.join("\n", process.tail(40));
            if (e.failure() == HttpReadiness.Failure.EXITED) {
                throw new IllegalStateException("Keycloak exited (code " + process.exitValue() + ") before it was ready" + log, e);
            }
            if (process != null) {
                process.stop(Duration.ZERO);
            }
            throw new IllegalStateException("Keycloak at " + baseUrl + " did not serve realm " + REALM + " within "
                    + timeout.toSeconds() + " s (last: " + e.lastAnswer() + ")" + log
                    + "\nA slow machine may need " + READY_TIMEOUT_ENV + "=600.", e);
        }
    }

    private static void stop(ChildProcess process, Path home, Path instances) {
        process.stop(Duration.ofSeconds(20)); // SIGTERM: Keycloak shuts down gracefully
        try {
            KeycloakDistribution.deleteTree(home);
            Files.deleteIfExists(instances.resolve(process.pid() + ".instance"));
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void progress(String line) {
        System.err.println("[livestage-testing] " + line);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Servers started by test JVMs, one file each ({@code <pid>.instance}: owner JVM pid, home). A JVM killed hard
     * (no shutdown hook) leaves its Keycloak running; the next start stops such orphans.
     */
    static final class Instances {
        private Instances() {
        }

        static void record(Path dir, ChildProcess process, Path home) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(process.pid() + ".instance"),
                    ProcessHandle.current().pid() + "\n" + home + "\n");
        }

        static void stopOrphans(Path dir) {
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".instance")).toList()) {
                    try {
                        List<String> lines = Files.readAllLines(f);
                        long pid = Long.parseLong(f.getFileName().toString().replace(".instance", ""));
                        long owner = Long.parseLong(lines.get(0).trim());
                        String home = lines.get(1).trim();
                        if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                            continue; // its JVM still runs it
                        }
                        ProcessHandle.of(pid).filter(ph -> ph.info().commandLine().orElse("").contains(home))
                                .ifPresent(ph -> {
                                    progress("stopping Keycloak pid " + pid + " left by a test JVM that died (" + home + ")");
                                    ChildProcess.terminate(ph, Duration.ofSeconds(20));
                                });
                        KeycloakDistribution.deleteTree(Path.of(home));
                        Files.deleteIfExists(f);
                    } catch (IOException | RuntimeException ignored) {
                        // unreadable record: leave it
                    }
                }
            } catch (IOException ignored) {
                // nothing to clean
            }
        }
    }
}
