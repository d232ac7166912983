package io.livestage.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret or token in any log line. After traffic that carries every kind of credential through the whole stack
 * (bearer tokens on REST, LiveKit tokens minted, the room channel's auth frame, a forged token refused at the edge and
 * on the socket, a webhook signed with the LiveKit secret), the logs of every service process the e2e stack started
 * ({@code target/e2e-*.log}) are read line by line for each of them: the whole token, or its signature alone.
 */
class SecretsStayOutOfLogsIT {

    @Test
    void noTokenOrSecretAppearsInAnyServiceLog() throws Exception {
        LiveStack stack = LiveStack.shared();
        LiveStack.User host = stack.demo("alice");
        LiveStack.User viewer = stack.demo("bob");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the LiveKit API secret", stack.livekit().apiSecret());
        bearer(secrets, "alice's bearer token", host.token());
        bearer(secrets, "bob's bearer token", viewer.token());

        String id = stack.as(host).body(Map.of("title", "Quiet logs", "kind", "AUDIO", "visibility", "PUBLIC"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        stack.as(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        bearer(secrets, "alice's LiveKit token", stack.as(host).body(Map.of("session", id)).post("/api/tokens")
                .then().statusCode(200).extract().path("token"));
        bearer(secrets, "bob's LiveKit token", stack.as(viewer).body(Map.of("session", id)).post("/api/tokens")
                .then().statusCode(200).extract().path("token"));
        try (RoomSocket room = RoomSocket.open(stack, id, viewer)) {
            room.chat("quiet-1", "hello");
        }
        String forged = forge(host.token());
        bearer(secrets, "a forged bearer token", forged);
        stack.edge().auth().oauth2(forged).get("/api/sessions?host=me").then().statusCode(401);
        assertThat(RoomSocket.refused(stack, id, forged)).isNotEqualTo(1000);
        String body = "{\"event\":\"room_started\",\"room\":{\"name\":\"" + id + "\"},\"id\":\"EV_quiet" + System.nanoTime() % 100000 + "\",\"createdAt\":\""
                + Instant.now().getEpochSecond() + "\"}";
        String signature = stack.livekit().signedWebhook(body);
        bearer(secrets, "a LiveKit webhook signature", signature);
        stack.edge().header("Authorization", signature).contentType("application/webhook+json").body(body)
                .post("/webhooks/livekit").then().statusCode(200);
        stack.edge().header("Authorization", signature).contentType("application/webhook+json")
                .body(body.replace("room_started", "room_finished")).post("/webhooks/livekit").then().statusCode(401);
        stack.as(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        Thread.sleep(1000); // the last access-log lines

        List<Path> logs = logs();
        assertThat(logs).as("the e2e services' logs").hasSizeGreaterThanOrEqualTo(4);
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (lines.get(i).contains(secret.getValue())) {
                        leaks.add(secret.getKey() + " in " + log.getFileName() + " line " + (i + 1));
                    }
                }
            }
        }
        assertThat(leaks).as("secrets in logs").isEmpty();
    }

    /** A JWT and, separately, its signature: a log line holding either has leaked it. */
    private static void bearer(Map<String, String> secrets, String what, String token) {
        secrets.put(what, token);
        secrets.put(what + " (signature)", token.substring(token.lastIndexOf('.') + 1));
    }

    /** The token with its payload's first character changed: well-formed, signature no longer valid. */
    private static String forge(String token) {
        int payload = token.indexOf('.') + 1;
        char c = token.charAt(payload);
        return token.substring(0, payload) + (c == 'e' ? 'f' : 'e') + token.substring(payload + 1);
    }

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("target"), "e2e-*.log")) {
            files.forEach(logs::add);
        }
        return logs;
    }
}
