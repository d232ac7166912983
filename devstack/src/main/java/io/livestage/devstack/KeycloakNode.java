package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.livestage.infra.keycloak.KeycloakDistribution;
import io.livestage.infra.process.HttpReadiness;
import io.livestage.infra.process.HttpReadiness.NotReadyException;

/**
 * Keycloak as a child process with the livestage realm ({@code keycloak/livestage-realm.json}), from the Maven Central
 * distribution built once per machine by livestage-infra's {@link KeycloakDistribution} (the same code and cache as
 * the tests' Keycloak). Home {@code <stateDir>/keycloak}: {@code data/h2}
 * (the H2 database, persistent), {@code data/import/livestage-realm.json} (imported on the first start),
 * {@code realm.sha256} (the realm file that database was made from: a changed realm file resets the database so the
 * new realm is imported). Output to {@code logs/keycloak.log}.
 * <p>
 * Public URL (issuer) {@code http://localhost:<port>/realms/livestage}, whatever address a client uses; the
 * discovery document gives back-channel endpoints on the address asked ({@code --hostname-backchannel-dynamic}), so
 * services use {@code http://127.0.0.1:<port>/realms/livestage}.
 */
public final class KeycloakNode implements AutoCloseable {

    public static final String REALM = "livestage";
    public static final String CLI_CLIENT = "livestage-cli";
    public static final String AUDIENCE = "livestage";
    /** Dev-only admin of the master realm (admin console), created on the first start. */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final String REALM_FILE_NAME = "livestage-realm.json";

    private final ManagedProcess process;
    private final int port;
    private final Path logFile;

    private KeycloakNode(ManagedProcess process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** The version of the distribution this launcher was built with. */
    public static String version() {
        return KeycloakDistribution.defaultVersion();
    }

    /**
     * Builds the distribution if this machine has not yet ({@code building} is told first, with the reason), then
     * starts the server (does not wait). Returns a note for the progress line ("database reset: ...") via {@code notes}.
     */
    public static KeycloakNode launch(DevStackConfig config, Consumer<String> building, Consumer<String> notes) {
        Path realmFile = config.keycloakRealmFile();
        if (!Files.isRegularFile(realmFile)) {
            throw new DevStackException("The realm file " + realmFile + " is missing.", "It is part of the repository: git checkout keycloak/");
        }
        Ports.requireFree("Keycloak", config.keycloakPort(), "LIVESTAGE_KEYCLOAK_PORT");
        KeycloakDistribution dist;
        try {
            dist = KeycloakDistribution.locate(config.keycloakDistZip().orElse(null));
        } catch (IllegalStateException e) {
            throw new DevStackException(e.getMessage(), "Build the launcher with network access once: ./livestage up"
                    + " (or ./mvnw -B -q -DskipTests -pl devstack install), or run without Keycloak: LIVESTAGE_KEYCLOAK=off ./livestage up", e);
        }
        Path built;
        try {
            built = dist.builtHome(config.keycloakCacheDir(), config.javaCommand(), building);
        } catch (RuntimeException e) {
            throw new DevStackException("Building Keycloak failed: " + e.getMessage(),
                    "Delete the cache and try again: rm -rf " + config.keycloakCacheDir().resolve(dist.cacheKey()), e);
        }
        Path home = config.stateDir().resolve("keycloak");
        Path logFile = Logs.fresh(config.logsDir().resolve("keycloak.log"));
        try {
            byte[] realm = Files.readAllBytes(realmFile);
            String hash = KeycloakDistribution.sha256(new String(realm, StandardCharsets.UTF_8));
            Path hashFile = home.resolve("realm.sha256");
            Path database = home.resolve("data").resolve("h2");
            if (Files.isDirectory(database)) {
                String previous = Files.isRegularFile(hashFile) ? Files.readString(hashFile).trim() : "";
                if (!previous.equals(hash)) {
                    KeycloakDistribution.deleteTree(database);
                    notes.accept("realm file changed: database reset, realm re-imported");
                }
            }
            KeycloakDistribution.prepareInstanceHome(home, built, REALM_FILE_NAME, realm);
            Files.writeString(hashFile, hash + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + home, e);
        }
        List<String> args = KeycloakDistribution.startArguments(config.keycloakPort(), config.keycloakPublicUrl(),
                "--hostname-backchannel-dynamic=true", "--import-realm");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        ManagedProcess process = ManagedProcess.start("keycloak",
                KeycloakDistribution.command(config.javaCommand(), built, home, config.keycloakJvmOptions(), args),
                env, home, logFile, config.pidsDir());
        return new KeycloakNode(process, config.keycloakPort(), logFile);
    }

    /** Until the realm's discovery document answers 200 (the realm is imported and served). */
    public void awaitReady(Duration timeout) {
        try {
            HttpReadiness.await(KeycloakDistribution.discoveryUrl("http://" + DevStackConfig.HOST + ":" + port, REALM),
                    process.child(), timeout, Duration.ofMillis(250));
        } catch (NotReadyException e) {
            throw switch (e.failure()) {
                case STOPPED -> new DevStackException("Stopped while waiting for Keycloak.", "");
                case INTERRUPTED -> new DevStackException("Interrupted while waiting for Keycloak.", "");
                case EXITED -> new DevStackException("Keycloak exited (code " + process.exitValue() + ") before it was ready.\n"
                        + Logs.tailBlock(logFile, 30),
                        "See " + logFile + ". If its database is damaged, reset it: rm -rf " + logFile.getParent().getParent().resolve("keycloak")
                                + " (or start without it: LIVESTAGE_KEYCLOAK=off ./livestage up)");
                case TIMED_OUT -> new DevStackException("Keycloak was not ready within " + timeout.toSeconds() + " s (last: "
                        + e.lastAnswer() + ").\n" + Logs.tailBlock(logFile, 30),
                        "See " + logFile + ". A slow machine may need more time: LIVESTAGE_READY_TIMEOUT_SECONDS=300 ./livestage up");
            };
        }
    }

    /** What services get as {@code QUARKUS_OIDC_AUTH_SERVER_URL}. */
    public String authServerUrl() {
        return authServerUrl(port);
    }

    static String authServerUrl(int port) {
        return "http://" + DevStackConfig.HOST + ":" + port + "/realms/" + REALM;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** An access token by the password grant on {@value #CLI_CLIENT}. */
    public String token(String username, String password) {
        return passwordGrant(port, username, password);
    }

    /**
     * The password grant on {@value #CLI_CLIENT} against the Keycloak on {@code port}: the access token, or a
     * {@link DevStackException} with Keycloak's reason.
     */
    static String passwordGrant(int port, String username, String password) {
        return passwordGrant(port, REALM, CLI_CLIENT, username, password);
    }

    /**
     * An access token of the dev-only admin user ({@value #ADMIN_USER}) on the master realm's {@code admin-cli}: what
     * the admin REST API takes (tests add users and redirect URIs with it).
     */
    static String adminToken(int port) {
        return passwordGrant(port, "master", "admin-cli", ADMIN_USER, ADMIN_PASSWORD);
    }

    private static String passwordGrant(int port, String realm, String client, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", client);
        form.put("username", username);
        form.put("password", password);
        if (realm.equals(REALM)) {
            form.put("scope", "openid");
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String url = "http://" + DevStackConfig.HOST + ":" + port + "/realms/" + realm + "/protocol/openid-connect/token";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DevStackException("Keycloak does not answer on " + DevStackConfig.HOST + ":" + port + " (" + e.getClass().getSimpleName() + ").",
                    "Start the stack first: ./livestage up (tokens come from its Keycloak). Without Keycloak: LIVESTAGE_KEYCLOAK=off.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while asking Keycloak for a token.", "");
        }
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() == 200 && token.find()) {
            return token.group(1);
        }
        Matcher reason = Pattern.compile("\"error_description\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
        throw new DevStackException("Keycloak refused a token for '" + username + "': HTTP " + response.statusCode()
                + (reason.find() ? " (" + reason.group(1) + ")" : ""),
                "Demo users: alice, bob, carol, oscar (password = user name). Other users need --password=...");
    }

    /** SIGTERM (graceful shutdown), SIGKILL after 30 s. */
    @Override
    public void close() {
        process.stop(STOP_GRACE);
    }
}
