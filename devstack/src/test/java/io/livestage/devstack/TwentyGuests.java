package io.livestage.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRoom.UpdateParticipantRequest;

import io.livestage.testing.gladia.GladiaSession;
import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seed 003's largest stage, end to end: a live session whose 20 guests are all on stage at once, each with a token,
 * captions and chat. Everything goes through the gateway as the web app would send it (REST, the room channel, the
 * speaker channel), with real Keycloak tokens: the guests are realm users created through Keycloak's admin API, so
 * the scenario proves that an ordinary account, not only a demo user, goes the whole way.
 * <ol>
 * <li>alice (host) creates and starts an AUDIO session (20 guests allowed, approval required, transcription on);
 * bob stays in the audience as a plain listener;</li>
 * <li>each guest gets a LiveKit token (VIEWER, no publishing), connects to the SFU (played on the LiveKit stub:
 * joined with the token's permission, {@code participant_joined} webhook), opens the room channel and raises a
 * hand; the host's queue lists all 20 in XP order;</li>
 * <li>the host approves all 20: each guest's socket gets its {@code you} frame as GUEST, LiveKit gets the
 * UpdateParticipant that lets it publish (the stub's participant now may publish its microphone), and a new token
 * publishes;</li>
 * <li>the 20 speakers stream PCM16 to transcription-service at once; the Gladia stub answers each with its own
 * sentence; every socket in the room gets all 20 finals as captions, attributed to the right speaker;</li>
 * <li>each guest sends one chat message; every socket gets all 20; the host ends the session and every socket is
 * told and closed.</li>
 * </ol>
 * What the SFU would do on its own is played as in {@link WebEndToEnd}: there is no LiveKit server in a build.
 */
final class TwentyGuests {

    static final int GUESTS = 20;
    /** One bound for every wait: generous for a loaded 2-core machine, short of a hang. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 100 ms of PCM16 mono at 16 kHz, as web/src/room/speaker.ts sends it. */
    private static final int CHUNK_BYTES = 3200;
    /** One second of audio: one utterance of the Gladia stub (its default utterance duration). */
    private static final int CHUNKS = 10;

    private final String gateway;
    private final int keycloakPort;
    private final LiveKitStub livekit;
    private final GladiaStub gladia;
    private final String webhookUrl;
    private final HttpClient http;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final List<FrameSocket> sockets = new CopyOnWriteArrayList<>();
    /** The room channel of the host, listener bob and the guests, in that order. */
    private final List<FrameSocket> everyone = new ArrayList<>();
    private List<Guest> guests;
    private String alice;
    private String id;
    private FrameSocket host;

    private TwentyGuests(String gateway, int keycloakPort, LiveKitStub livekit, GladiaStub gladia, String webhookUrl) {
        this.gateway = gateway;
        this.keycloakPort = keycloakPort;
        this.livekit = livekit;
        this.gladia = gladia;
        this.webhookUrl = webhookUrl;
        // HTTP/1.1: the JDK client's h2c upgrade trips over the gateway forwarding a connection header (FullStackTest)
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Runs the scenario against a running stack whose services point at {@code livekit} and {@code gladia};
     * {@code livekitWebhookUrl} is where the SFU's webhooks go (the gateway's {@code /webhooks/livekit}).
     */
    static void run(String gatewayBaseUrl, int keycloakPort, LiveKitStub livekit, GladiaStub gladia,
            String livekitWebhookUrl) throws Exception {
        TwentyGuests scenario = new TwentyGuests(gatewayBaseUrl, keycloakPort, livekit, gladia, livekitWebhookUrl);
        try {
            scenario.play();
        } finally {
            scenario.sockets.forEach(FrameSocket::abort);
        }
    }

    /** One guest: a realm user and what the scenario learns about it on the way. */
    private static final class Guest {
        final String username;
        final String name;
        final int xp;
        final String token;
        final String userId;
        String identity;
        FrameSocket room;
        String caption;

        Guest(String username, String name, int xp, String token) {
            this.username = username;
            this.name = name;
            this.xp = xp;
            this.token = token;
            this.userId = claims(token).path("sub").asText();
        }

        @Override
        public String toString() {
            return username + " (" + userId + ")";
        }
    }

    private void play() throws Exception {
        guests = new GuestAccounts(keycloakPort).ensure();
        alice = KeycloakNode.passwordGrant(keycloakPort, "alice", "alice");
        openTheStage();
        guestsArriveAndRaiseHands();
        hostApprovesEveryone();
        everyGuestIsOnStage();
        everySpeakerIsCaptioned();
        everyGuestChats();
        hostEndsTheSession();
    }

    /** The host's live session (20 guests, the most a session takes; approval; live captions), host and listener in. */
    private void openTheStage() throws Exception {
        JsonNode session = call("POST", "/api/sessions", alice, """
                {"title":"Twenty guests %s","kind":"AUDIO","visibility":"PUBLIC","settings":{"maxGuests":20,
                "allowGuests":true,"requireApproval":true,"transcriptionEnabled":true}}""".formatted(run), 201);
        id = session.path("id").asText();
        assertThat(session.path("settings").path("maxGuests").asInt()).as("maxGuests of %s", session).isEqualTo(GUESTS);
        assertThat(call("POST", "/api/sessions/" + id + "/start", alice, null, 200).path("status").asText())
                .as("the session started").isEqualTo("ACTIVE");
        connectToSfu(token(alice, "HOST"));
        host = openRoom(alice, "alice (host)", "HOST");
        String bob = KeycloakNode.passwordGrant(keycloakPort, "bob", "bob");
        connectToSfu(token(bob, "VIEWER"));
        everyone.add(host);
        everyone.add(openRoom(bob, "bob (listener)", "VIEWER"));
    }

    /** Every guest joins as a listener and raises a hand, all at once; the host sees the queue in XP order. */
    private void guestsArriveAndRaiseHands() throws Exception {
        forEachGuest("joining and raising a hand", guest -> {
            JsonNode issued = token(guest.token, "VIEWER");
            assertThat(issued.path("grants").path("canPublish").asBoolean())
                    .as("%s's listener token publishes: %s", guest, issued.path("grants")).isFalse();
            guest.identity = issued.path("identity").asText();
            assertThat(guest.identity).as("%s's LiveKit identity", guest).isEqualTo(guest.userId);
            connectToSfu(issued);
            guest.room = openRoom(guest.token, guest.username, "VIEWER");
            JsonNode hand = call("POST", "/api/sessions/" + id + "/stage-requests", guest.token, null, 200);
            assertThat(hand.path("status").asText()).as("%s's raised hand: %s", guest, hand).isEqualTo("PENDING");
        });
        guests.forEach(g -> everyone.add(g.room));
        for (Guest guest : guests) {
            host.await("stage frame guest.requested for " + guest, f -> type(f, "stage")
                    && "guest.requested".equals(f.path("event").asText())
                    && guest.userId.equals(f.path("request").path("userId").asText()));
        }
    }

    /** The host approves the queue from the top, as the host panel does (ADR 0002: highest XP first). */
    private void hostApprovesEveryone() throws Exception {
        JsonNode queue = call("GET", "/api/sessions/" + id + "/stage-requests", alice, null, 200).path("items");
        List<String> queued = new ArrayList<>();
        queue.forEach(item -> queued.add(item.path("userId").asText()));
        List<String> byXp = guests.stream().sorted(Comparator.comparingInt((Guest g) -> g.xp).reversed())
                .map(g -> g.userId).toList();
        assertThat(queued).as("the host's stage queue (highest xp first)").isEqualTo(byXp);
        for (JsonNode item : queue) {
            JsonNode approved = call("POST", "/api/sessions/" + id + "/stage-requests/" + item.path("id").asText()
                    + "/approve", alice, null, 200);
            assertThat(approved.path("status").asText()).as("approving %s", item).isEqualTo("APPROVED");
        }
        assertThat(call("GET", "/api/sessions/" + id + "/stage-requests", alice, null, 200).path("items"))
                .as("the queue once everyone is on stage").isEmpty();
        List<String> onStage = new ArrayList<>();
        call("GET", "/api/sessions/" + id + "/participants?onStage=true", alice, null, 200).forEach(p -> {
            if ("GUEST".equals(p.path("role").asText())) {
                onStage.add(p.path("userId").asText());
            }
        });
        assertThat(onStage).as("the session's guests").containsExactlyInAnyOrderElementsOf(byXp);
    }

    /** Each guest is told on its socket, may publish on LiveKit, and its next token publishes. */
    private void everyGuestIsOnStage() throws Exception {
        forEachGuest("coming on stage", guest -> {
            guest.room.await("its you frame as GUEST", f -> type(f, "you") && "GUEST".equals(f.path("role").asText()));
            host.await("system frame guest.approved for " + guest, f -> type(f, "system")
                    && "guest.approved".equals(f.path("event").asText()) && guest.userId.equals(f.path("userId").asText()));
            livekit.awaitCall("UpdateParticipant", c -> c.succeeded() && c.identity().equals(guest.identity)
                    && c.room().equals(id) && c.request(UpdateParticipantRequest.class).getPermission().getCanPublish(),
                    WAIT);
            ParticipantInfo inRoom = livekit.participant(id, guest.identity)
                    .orElseThrow(() -> new AssertionError(guest + " is not in the LiveKit stub's room " + id));
            assertThat(inRoom.getPermission().getCanPublish()).as("%s may publish on LiveKit", guest).isTrue();
            assertThat(inRoom.getPermission().getCanPublishSourcesList()).as("%s's publish sources", guest)
                    .containsExactly(TrackSource.MICROPHONE);
            assertThat(inRoom.getMetadata()).as("%s's LiveKit metadata", guest).contains("\"role\":\"GUEST\"");
            JsonNode issued = token(guest.token, "GUEST");
            assertThat(issued.path("grants").path("canPublish").asBoolean()).as("%s's token as a guest: %s", guest,
                    issued.path("grants")).isTrue();
            assertThat(issued.path("grants").path("canPublishSources").toString()).as("%s's publish sources", guest)
                    .isEqualTo("[\"microphone\"]");
        });
        host.await("presence with 20 guests on stage", f -> type(f, "presence") && f.path("guests").asInt() == GUESTS);
    }

    /** The 20 speakers stream at once, each on its own Gladia session; every socket gets every speaker's caption. */
    private void everySpeakerIsCaptioned() throws Exception {
        for (Guest guest : guests) {
            guest.caption = guest.username + " speaking on stage " + run;
            gladia.scriptFor("participant", guest.identity, List.of(guest.caption));
        }
        forEachGuest("streaming audio for captions", this::speak);
        for (FrameSocket socket : everyone) {
            for (Guest guest : guests) {
                JsonNode caption = socket.await("the final caption of " + guest, f -> type(f, "caption")
                        && f.path("segment").path("isFinal").asBoolean()
                        && guest.identity.equals(f.path("segment").path("participantIdentity").asText()));
                assertThat(caption.path("segment").path("text").asText()).as("%s's caption on %s", guest, socket)
                        .isEqualTo(guest.caption);
                assertThat(caption.path("segment").path("speakerName").asText()).as("%s's caption speaker", guest)
                        .isEqualTo(guest.name);
            }
        }
        String transcript = call("GET", "/api/sessions/" + id + "/transcript", null, null, 200).toString();
        guests.forEach(g -> assertThat(transcript).as("the session's transcript").contains(g.caption));
    }

    /** One message from each guest, at once; every socket of the room gets all 20. */
    private void everyGuestChats() throws Exception {
        forEachGuest("sending a chat message", guest -> {
            ObjectNode send = JSON.createObjectNode().put("type", "chat.send").put("v", 1)
                    .put("clientMessageId", messageId(guest)).put("text", greeting(guest));
            guest.room.send(send.toString());
            JsonNode ack = guest.room.await("chat.ack of its message", f -> type(f, "chat.ack")
                    && messageId(guest).equals(f.path("clientMessageId").asText()));
            assertThat(ack.path("duplicate").asBoolean()).as("%s's ack", guest).isFalse();
        });
        for (FrameSocket socket : everyone) {
            for (Guest guest : guests) {
                JsonNode message = socket.await("the chat message of " + guest, f -> type(f, "chat.message")
                        && messageId(guest).equals(f.path("message").path("clientMessageId").asText())).path("message");
                assertThat(message.path("author").path("userId").asText()).as("author of %s", message)
                        .isEqualTo(guest.userId);
                assertThat(message.path("author").path("role").asText()).as("role of %s", message).isEqualTo("GUEST");
                assertThat(message.path("text").asText()).as("text of %s", message).isEqualTo(greeting(guest));
            }
        }
    }

    private String messageId(Guest guest) {
        return "tg-" + run + "-" + guest.username;
    }

    private static String greeting(Guest guest) {
        return "Hello from " + guest.name + " on stage";
    }

    /** Every socket of the room is told, then closed by the server. */
    private void hostEndsTheSession() throws Exception {
        assertThat(call("POST", "/api/sessions/" + id + "/end", alice, null, 200).path("status").asText())
                .as("the session ended").isEqualTo("ENDED");
        for (FrameSocket socket : everyone) {
            socket.await("session.ended", f -> type(f, "session.ended"));
            assertThat(socket.awaitClose()).as("close code of %s", socket).isEqualTo(WebSocket.NORMAL_CLOSURE);
        }
    }

    /** The speaker channel as web/src/room/speaker.ts uses it: start, ~100 ms PCM16 frames in real time, stop. */
    private void speak(Guest guest) throws Exception {
        FrameSocket speaker = FrameSocket.open(http, wsUri("/ws/sessions/" + id + "/transcription"),
                guest.username + " (speaker)");
        sockets.add(speaker);
        ObjectNode start = JSON.createObjectNode().put("type", "start").put("v", 1).put("token", guest.token);
        start.putObject("format").put("encoding", "pcm_s16le").put("sampleRate", 16000).put("channels", 1);
        start.putArray("languages").add("en");
        speaker.send(start.toString());
        String streamId = speaker.await("ready", f -> type(f, "ready")).path("streamId").asText();
        byte[] tone = tone();
        for (int i = 0; i < CHUNKS; i++) {
            speaker.sendBinary(tone, i * CHUNK_BYTES, CHUNK_BYTES);
            Thread.sleep(100); // the microphone's pace, not a wait for a result
        }
        JsonNode own = speaker.await("its own final transcript", f -> type(f, "transcript") && f.path("final").asBoolean());
        assertThat(own.path("text").asText()).as("%s's own transcript", guest).isEqualTo(guest.caption);
        assertThat(own.path("streamId").asText()).isEqualTo(streamId);
        speaker.send("{\"type\":\"stop\",\"v\":1}");
        assertThat(speaker.await("stopped", f -> type(f, "stopped")).path("reason").asText())
                .isEqualTo("stopped by the speaker");
        assertThat(speaker.awaitClose()).as("%s's speaker channel close", guest).isEqualTo(WebSocket.NORMAL_CLOSURE);
        GladiaSession gladiaSession = gladia.session(streamId);
        assertThat(gladiaSession.customMetadata("participant")).isEqualTo(guest.identity);
        assertThat(gladiaSession.receivedBytes()).as("audio bytes Gladia received from %s", guest)
                .isEqualTo((long) CHUNKS * CHUNK_BYTES);
        assertThat(gladiaSession.violations()).as("Gladia protocol violations of %s's stream", guest).isEmpty();
    }

    /** One second of a 440 Hz tone, PCM16 little-endian at 16 kHz. */
    private static byte[] tone() {
        ByteBuffer pcm = ByteBuffer.allocate(CHUNKS * CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CHUNKS * CHUNK_BYTES / 2; i++) {
            pcm.putShort((short) (Math.sin(2 * Math.PI * 440 * i / 16000.0) * 8000));
        }
        return pcm.array();
    }

    /**
     * What the SFU does when a client connects with its token: the participant is in the room with the token's
     * permission, and LiveKit's signed {@code participant_joined} goes to the webhook URL.
     */
    private void connectToSfu(JsonNode issued) {
        JsonNode grants = issued.path("grants");
        ParticipantPermission.Builder permission = ParticipantPermission.newBuilder()
                .setCanSubscribe(grants.path("canSubscribe").asBoolean())
                .setCanPublish(grants.path("canPublish").asBoolean())
                .setCanPublishData(grants.path("canPublishData").asBoolean());
        grants.path("canPublishSources").forEach(s -> permission.addCanPublishSources(
                TrackSource.valueOf(s.asText().toUpperCase(Locale.ROOT))));
        String room = issued.path("room").asText();
        ParticipantInfo joined = livekit.join(room, ParticipantInfo.newBuilder()
                .setIdentity(issued.path("identity").asText()).setName(issued.path("name").asText())
                .setPermission(permission).build());
        int status = livekit.sendWebhook(webhookUrl, LiveKitWebhooks.participantJoined(livekit.room(room).orElseThrow(),
                joined));
        assertThat(status).as("participant_joined of %s to %s", joined.getIdentity(), webhookUrl).isEqualTo(200);
    }

    /**
     * {@code POST /api/tokens}: a LiveKit token for the session, with the role it must carry. All twenty guests ask at
     * the same instant (token-service admits from its own projection, docs/adr/0019: no per-session lock on the way).
     * A role that just changed (approved a moment ago) reaches that projection within its lag, so a token still
     * carrying the previous role is asked again, for up to 10 s.
     */
    private JsonNode token(String bearer, String role) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode issued = call("POST", "/api/tokens", bearer, "{\"session\":\"" + id + "\"}", 200);
        while (!role.equals(issued.path("role").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            issued = call("POST", "/api/tokens", bearer, "{\"session\":\"" + id + "\"}", 200);
        }
        assertThat(issued.path("role").asText()).as("role of the token %s", issued.path("grants")).isEqualTo(role);
        assertThat(issued.path("room").asText()).isEqualTo(id);
        return issued;
    }

    /** The room channel: open, authenticate in the first frame, welcome with the expected role. */
    private FrameSocket openRoom(String bearer, String owner, String role) throws Exception {
        FrameSocket socket = FrameSocket.open(http, wsUri("/ws/sessions/" + id), owner);
        sockets.add(socket);
        socket.send(JSON.createObjectNode().put("type", "auth").put("v", 1).put("token", bearer).toString());
        JsonNode welcome = socket.await("welcome", f -> type(f, "welcome"));
        assertThat(welcome.path("you").path("role").asText()).as("role in %s's welcome", owner).isEqualTo(role);
        return socket;
    }

    private URI wsUri(String path) {
        return URI.create(gateway.replaceFirst("^http", "ws") + path);
    }

    /** A REST call through the gateway; fails with the answer unless it has {@code expected} status. */
    private JsonNode call(String method, String path, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        long sent = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            fail(method + " " + path + " answered " + response.statusCode() + " after "
                    + (System.nanoTime() - sent) / 1_000_000 + " ms (expected " + expected + "): " + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    @FunctionalInterface
    private interface GuestStep {
        void run(Guest guest) throws Exception;
    }

    /** Runs a step for every guest at once (one virtual thread each); the first failure fails, naming the guest. */
    private void forEachGuest(String step, GuestStep action) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Guest guest : guests) {
                running.add(pool.submit(() -> {
                    action.run(guest);
                    return null;
                }));
            }
            long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
            for (int i = 0; i < guests.size(); i++) {
                try {
                    running.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError(step + " failed for " + guests.get(i) + ": " + e.getCause().getMessage(),
                            e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError(step + " did not finish in " + WAIT.multipliedBy(2) + " for "
                            + guests.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean type(JsonNode frame, String type) {
        return type.equals(frame.path("type").asText());
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }

    /**
     * guest01..guest20 in the realm (password = user name, like the demo users; dev only), created through Keycloak's
     * admin API, or brought back to that state when they exist from an earlier run; then a token for each by the
     * password grant. Their xp differs (guest01 5 … guest20 100), so the stage queue has an order to check.
     */
    private static final class GuestAccounts {
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();
        private final String admin;
        private final String users;

        GuestAccounts(int port) throws Exception {
            this.port = port;
            String base = "http://" + DevStackConfig.HOST + ":" + port;
            this.users = base + "/admin/realms/" + KeycloakNode.REALM + "/users";
            this.admin = "Bearer " + KeycloakNode.adminToken(port);
        }

        List<Guest> ensure() throws Exception {
            List<Guest> guests = new ArrayList<>();
            for (int n = 1; n <= GUESTS; n++) {
                String number = String.format("%02d", n);
                String username = "guest" + number;
                int xp = 5 * n;
                ensureUser(username, number, xp);
                guests.add(new Guest(username, "Guest " + number, xp, KeycloakNode.passwordGrant(port, username, username)));
            }
            return guests;
        }

        private void ensureUser(String username, String number, int xp) throws Exception {
            ObjectNode user = JSON.createObjectNode().put("username", username).put("enabled", true)
                    .put("emailVerified", true).put("firstName", "Guest").put("lastName", number)
                    .put("email", username + "@livestage.test");
            user.putObject("attributes").putArray("xp").add(Integer.toString(xp));
            user.putArray("requiredActions");
            ObjectNode created = user.deepCopy();
            created.putArray("credentials").add(password(username));
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(users)).POST(body(created)));
            if (post.statusCode() == 201) {
                return;
            }
            if (post.statusCode() != 409) {
                fail("Keycloak: creating " + username + " answered " + post.statusCode() + " " + post.body());
            }
            // there from an earlier run: same profile and password again
            HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(users + "?exact=true&username="
                    + URLEncoder.encode(username, StandardCharsets.UTF_8))).GET());
            JsonNode list = JSON.readTree(found.body());
            if (found.statusCode() != 200 || list.size() != 1) {
                fail("Keycloak: " + username + " exists (409) but is not found: " + found.statusCode() + " " + found.body());
            }
            String userUrl = users + "/" + list.get(0).path("id").asText();
            HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(userUrl)).PUT(body(user)));
            HttpResponse<String> reset = send(HttpRequest.newBuilder(URI.create(userUrl + "/reset-password"))
                    .PUT(body(password(username))));
            if (put.statusCode() != 204 || reset.statusCode() != 204) {
                fail("Keycloak: updating " + username + " answered " + put.statusCode() + " " + put.body()
                        + " / reset-password " + reset.statusCode() + " " + reset.body());
            }
        }

        private static ObjectNode password(String value) {
            return JSON.createObjectNode().put("type", "password").put("value", value).put("temporary", false);
        }

        private static HttpRequest.BodyPublisher body(JsonNode json) {
            return HttpRequest.BodyPublishers.ofString(json.toString());
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return http.send(request.header("Authorization", admin).header("Content-Type", "application/json")
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
