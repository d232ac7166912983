package io.livestage.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;

import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the web app's end-to-end flows ({@code web/e2e/run.mjs}: Playwright driving the machine's Chromium) against a
 * running {@link DevStack} whose services point at the LiveKit contract stub, and plays the SFU's part the script asks
 * for on its control channel: a request is a stdout line {@code @@e2e {"id":n,"op":...}}, the answer a stdin line
 * {@code {"id":n,"ok":...}}.
 * <ul>
 * <li>{@code sfu-join {room, identity, name}}: a browser got a LiveKit token and would now be connected to the SFU;
 * the stub cannot take its WebRTC connection, so the participant is joined to the stub's room (RoomService then
 * answers for it, e.g. token-service's UpdateParticipant on a stage approval) and LiveKit's signed
 * {@code participant_joined} webhook goes to token-service, as the SFU would send it.</li>
 * <li>{@code sfu-leave {room, identity}}: the browser left (the session ended): the participant leaves the stub's room
 * and {@code participant_left} goes to token-service.</li>
 * </ul>
 * Everything else is the real stack: the egress that makes the episode is the stub's own (started and stopped by
 * recording-service through the Egress API, real MP3 file, {@code egress_ended} webhook to token-service).
 */
final class WebEndToEnd {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "@@e2e ";

    private WebEndToEnd() {
    }

    /**
     * Lets the realm's browser client ({@code livestage-web}) sign in to a gateway on {@code origin}: the realm file
     * allows {@code http://localhost:8080} (and Vite's 5173); the tests run the gateway on a free port. Keycloak's admin
     * API, as an operator would add a deployment's URL.
     */
    static void allowWebOrigin(DevStackConfig config, String origin) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String kc = "http://" + DevStackConfig.HOST + ":" + config.keycloakPort();
        String admin = "Bearer " + KeycloakNode.adminToken(config.keycloakPort());
        String clients = kc + "/admin/realms/" + KeycloakNode.REALM + "/clients";
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(clients + "?clientId="
                + URLEncoder.encode("livestage-web", StandardCharsets.UTF_8))).header("Authorization", admin).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(found.body());
        if (found.statusCode() != 200 || list.size() != 1) {
            fail("Keycloak: client livestage-web not found: " + found.statusCode() + " " + found.body());
        }
        ObjectNode client = (ObjectNode) list.get(0);
        ((ArrayNode) client.withArray("redirectUris")).add(origin + "/*");
        ((ArrayNode) client.withArray("webOrigins")).add(origin);
        ObjectNode attributes = client.with("attributes");
        String logout = attributes.path("post.logout.redirect.uris").asText("");
        attributes.put("post.logout.redirect.uris", (logout.isEmpty() ? "" : logout + "##") + origin + "/*");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(clients + "/" + client.path("id").asText()))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 204) {
            fail("Keycloak: updating livestage-web's redirect URIs: " + put.statusCode() + " " + put.body());
        }
    }

    /**
     * Runs {@code node e2e/run.mjs} in {@code web/} and answers its control requests; fails (never skips) unless it
     * exits 0 within {@code timeout}. Its output goes to this test's output and to {@code artifacts/run.log}.
     */
    static void run(Path repoRoot, Map<String, String> environment, Path artifacts, LiveKitStub livekit, String webhookUrl,
            Duration timeout) throws Exception {
        Files.createDirectories(artifacts);
        Path web = repoRoot.resolve("web");
        if (!Files.isDirectory(web.resolve("node_modules/playwright-core"))) {
            fail(web.resolve("node_modules/playwright-core") + " is missing: run npm ci in web/ (the reactor build"
                    + " does: ./livestage test)");
        }
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/run.mjs").directory(web.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(environment);
        pb.environment().put("E2E_ARTIFACTS", artifacts.toString());
        Process node = pb.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Writer answers = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(PREFIX)) {
                        String answer = answer(line.substring(PREFIX.length()), livekit, webhookUrl);
                        synchronized (answers) {
                            answers.write(answer + "\n");
                            answers.flush();
                        }
                    } else {
                        output.add(line);
                        System.out.println("[e2e] " + line);
                    }
                }
            } catch (IOException e) {
                output.add("control channel: " + e);
            }
        }, "e2e-control");
        reader.setDaemon(true);
        reader.start();
        if (!node.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            fail("web/e2e/run.mjs did not finish within " + timeout.toSeconds() + " s (stopped); artifacts: " + artifacts);
        }
        reader.join(5_000);
        Files.write(artifacts.resolve("run-stdout.log"), output);
        if (node.exitValue() != 0) {
            fail("web/e2e/run.mjs failed (exit " + node.exitValue() + "); its error is in the output above,"
                    + " screenshots and axe reports in " + artifacts);
        }
    }

    /** One control request, answered as the SFU would have acted. */
    static String answer(String request, LiveKitStub livekit, String webhookUrl) {
        ObjectNode answer = JSON.createObjectNode();
        try {
            JsonNode r = JSON.readTree(request);
            answer.set("id", r.path("id"));
            answer.put("op", r.path("op").asText());
            String room = r.path("room").asText();
            String identity = r.path("identity").asText();
            if (room.isEmpty() || identity.isEmpty()) {
                throw new IllegalArgumentException("room and identity are required: " + request);
            }
            switch (r.path("op").asText()) {
                case "sfu-join" -> {
                    ParticipantInfo p = livekit.join(room, ParticipantInfo.newBuilder().setIdentity(identity)
                            .setName(r.path("name").asText()).build());
                    Room info = livekit.room(room).orElseThrow();
                    webhook(livekit, webhookUrl, LiveKitWebhooks.participantJoined(info, p), "participant_joined");
                }
                case "sfu-leave" -> {
                    // the session's end deletes the room (DeleteRoom): LiveKit then disconnects everyone in it and still
                    // sends participant_left for each; the stub's DeleteRoom only forgets the room
                    Room info = livekit.room(room).orElse(Room.newBuilder().setName(room).build());
                    ParticipantInfo p = livekit.participant(room, identity).isPresent() ? livekit.leave(room, identity)
                            : ParticipantInfo.newBuilder().setIdentity(identity).setName(r.path("name").asText())
                                    .setState(ParticipantInfo.State.DISCONNECTED).build();
                    webhook(livekit, webhookUrl, LiveKitWebhooks.participantLeft(info, p), "participant_left");
                }
                default -> throw new IllegalArgumentException("unknown op: " + request);
            }
            answer.put("ok", true);
        } catch (Exception | AssertionError e) {
            answer.put("ok", false);
            answer.put("error", String.valueOf(e.getMessage()));
        }
        return answer.toString();
    }

    private static void webhook(LiveKitStub livekit, String url, livekit.LivekitWebhook.WebhookEvent event, String name) {
        int status = livekit.sendWebhook(url, event);
        if (status / 100 != 2) {
            throw new IllegalStateException(name + " webhook to " + url + " answered " + status);
        }
    }
}
