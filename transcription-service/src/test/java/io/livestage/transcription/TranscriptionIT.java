package io.livestage.transcription;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.EventType;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.gladia.GladiaSession;
import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Live transcription as a black box: session-service (sessions, the stage), chat-service (the room channel's captions)
 * and transcription-service run as processes on real Kafka and PostgreSQL; Gladia is the contract stub, which counts
 * every audio byte it accepted. Speakers stream PCM16 over the speaker channel like a browser would.
 */
class TranscriptionIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GladiaStub gladia;
    private static ServiceProcess sessions;
    private static ServiceProcess chat;
    private static ServiceProcess transcription;
    private static ServiceProcess unconfigured;
    private static EventProbe events;

    @BeforeAll
    static void start() throws Exception {
        KafkaBroker.shared().createTopic("livestage.session", 6);
        KafkaBroker.shared().createTopic("livestage.transcript", 6);
        gladia = GladiaStub.start();
        events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), "livestage.transcript");
        CompletableFuture<ServiceProcess> chatStart = CompletableFuture.supplyAsync(() -> ServiceProcess.start("chat-service", Map.of()));
        // its own database, so its own projection group too (one group = one database, as replicas of one deployment)
        CompletableFuture<ServiceProcess> bare = CompletableFuture.supplyAsync(() -> ServiceProcess.builder("transcription-service")
                .env("MP_MESSAGING_INCOMING_SESSION_PROJECTION_GROUP_ID", "transcription-service-unconfigured")
                .log(Path.of("target", "transcription-service-unconfigured.log")).start());
        sessions = ServiceProcess.start("session-service", Map.of());
        transcription = ServiceProcess.start("transcription-service", Map.of("GLADIA_URL", gladia.baseUrl(),
                "GLADIA_API_KEY", gladia.apiKey(),
                // the reconnect test drops the stub's connection, the init tests fail init calls: retry fast
                "LIVESTAGE_TRANSCRIPTION_GLADIA_RECONNECT_INITIAL_BACKOFF", "50ms",
                "LIVESTAGE_TRANSCRIPTION_GLADIA_INIT_INITIAL_BACKOFF", "50ms"));
        chat = chatStart.get(120, TimeUnit.SECONDS);
        unconfigured = bare.get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {unconfigured, transcription, chat, sessions, events, gladia}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static RequestSpecification as(String user) {
        return given().baseUri(sessions.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    /** A live session with transcription on; the host and {@code speakers} joined, promoted to the given roles. */
    private static String liveSession(String host, boolean transcriptionOn, Map<String, String> speakers) {
        String id = as(host).body(Map.of("title", "Transcribed", "kind", "AUDIO", "visibility", "PUBLIC",
                "settings", Map.of("transcriptionEnabled", transcriptionOn))).post("/api/sessions").then().statusCode(201)
                .extract().path("id");
        as(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        as(host).body(Map.of("name", "Host " + host)).post("/api/sessions/" + id + "/join").then().statusCode(200);
        speakers.forEach((user, role) -> {
            as(user).body(Map.of("name", "Speaker " + user)).post("/api/sessions/" + id + "/join").then().statusCode(200);
            if (!"VIEWER".equals(role)) {
                as(host).body(Map.of("role", role)).post("/api/sessions/" + id + "/participants/" + user + "/role")
                        .then().statusCode(200);
            }
        });
        return id;
    }

    /** A viewer on the room channel (chat-service), collecting caption frames. */
    private static List<JsonNode> roomCaptions(String session, String viewer) throws Exception {
        List<JsonNode> captions = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                URI.create(chat.url().replace("http://", "ws://") + "/ws/sessions/" + session), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode frame = JSON.readTree(text.toString());
                                if ("welcome".equals(frame.path("type").asText())) {
                                    welcomed.complete(null);
                                } else if ("caption".equals(frame.path("type").asText())) {
                                    captions.add(frame.path("segment"));
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"auth\",\"v\":1,\"token\":\"" + TestTokens.token(viewer) + "\"}", true).join();
        welcomed.get(15, TimeUnit.SECONDS);
        return captions;
    }

    @Test
    void threeSpeakersAtOnceAreTranscribedStoredCaptionedAndExported() throws Exception {
        String host = "tr-host-" + System.nanoTime();
        String cohost = "tr-cohost-" + System.nanoTime();
        String guest = "tr-guest-" + System.nanoTime();
        String viewer = "tr-viewer-" + System.nanoTime();
        String id = liveSession(host, true, Map.of(cohost, "COHOST", guest, "GUEST", viewer, "VIEWER"));
        Map<String, List<String>> scripts = Map.of(
                host, List.of("welcome everyone", "our first guest", "thanks for coming"),
                cohost, List.of("hello from the cohost", "a question from chat", "good point"),
                guest, List.of("glad to be here", "i build things", "see you soon"));
        scripts.forEach((user, texts) -> gladia.scriptFor("participant", user, texts));
        List<JsonNode> captions = roomCaptions(id, viewer);

        Map<String, SpeakerSocket> speakers = new LinkedHashMap<>();
        for (String user : scripts.keySet()) {
            SpeakerSocket s = SpeakerSocket.connect(transcription, id);
            s.start(user);
            speakers.put(user, s);
        }
        for (SpeakerSocket s : speakers.values()) {
            assertThat(s.await("ready").path("streamId").asText()).isNotBlank();
        }
        // the three stream at the same time: 3 s of audio each = three 1 s utterances per speaker
        List<CompletableFuture<Void>> streaming = new ArrayList<>();
        int seed = 0;
        for (SpeakerSocket s : speakers.values()) {
            int n = seed++;
            streaming.add(CompletableFuture.runAsync(() -> s.stream(30, n)));
        }
        CompletableFuture.allOf(streaming.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (SpeakerSocket s : speakers.values()) {
            s.stop();
        }
        for (Map.Entry<String, SpeakerSocket> e : speakers.entrySet()) {
            SpeakerSocket s = e.getValue();
            assertThat(s.closeCode()).as("close of " + e.getKey()).isEqualTo(1000);
            assertThat(s.await("stopped").path("reason").asText()).isEqualTo("stopped by the speaker");
            // the speaker saw their own words, partials then finals
            assertThat(s.frames.stream().filter(f -> "transcript".equals(f.path("type").asText())
                    && f.path("final").asBoolean()).map(f -> f.path("text").asText()).toList())
                    .containsExactlyElementsOf(scripts.get(e.getKey()));
            String streamId = s.await("ready").path("streamId").asText();
            GladiaSession g = gladia.session(streamId);
            assertThat(g.receivedBytes()).as("audio bytes Gladia got from " + e.getKey()).isEqualTo(s.sent);
            assertThat(g.customMetadata("session")).isEqualTo(id);
            assertThat(g.format().sampleRate()).isEqualTo(16000);
            assertThat(g.stopReceived()).isTrue();
        }

        // stored: 9 finals in order of start, with speaker names
        List<Map<String, Object>> segments = given().baseUri(transcription.url()).get("/api/sessions/" + id + "/transcript")
                .then().statusCode(200).body("sessionId", equalTo(id)).extract().path("segments");
        assertThat(segments).hasSize(9).allSatisfy(s -> assertThat(s.get("isFinal")).isEqualTo(true));
        assertThat(segments.stream().map(s -> (String) s.get("startAt")).toList()).isSorted();
        for (String user : scripts.keySet()) {
            assertThat(segments.stream().filter(s -> user.equals(s.get("participantIdentity")))
                    .map(s -> (String) s.get("text")).toList()).containsExactlyElementsOf(scripts.get(user));
            assertThat(segments.stream().filter(s -> user.equals(s.get("participantIdentity")))
                    .map(s -> s.get("speakerName"))).allMatch(name -> name != null && ((String) name).endsWith(user));
        }

        // the WebVTT export is the stored transcript, cue for cue
        String vtt = given().baseUri(transcription.url()).get("/api/sessions/" + id + "/transcript?format=vtt")
                .then().statusCode(200).contentType(Matchers.containsString("text/vtt")).extract().asString();
        String[] cues = vtt.split("\n\n");
        assertThat(cues[0]).isEqualTo("WEBVTT");
        assertThat(cues).hasSize(segments.size() + 1);
        for (int i = 0; i < segments.size(); i++) {
            Map<String, Object> s = segments.get(i);
            assertThat(cues[i + 1].strip()).endsWith("<v " + s.get("speakerName") + ">" + s.get("text"))
                    .startsWith((i + 1) + "\n");
        }
        given().baseUri(transcription.url()).get("/api/sessions/" + id + "/transcript?format=srt").then().statusCode(200)
                .body(Matchers.containsString("Speaker " + guest + ": glad to be here"));

        // every final became a valid transcript.segment event, and a caption at the viewer's room socket
        List<ReceivedEvent> finals = events.awaitCount(e -> id.equals(e.subject())
                && e.json().path("isFinal").asBoolean(), 9, Duration.ofSeconds(20));
        finals.forEach(e -> assertThat(EventContract.assertValid(e)).isEqualTo(EventType.TRANSCRIPT_SEGMENT));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> captions.stream()
                .filter(c -> c.path("isFinal").asBoolean()).count() == 9);
        assertThat(captions.stream().filter(c -> !c.path("isFinal").asBoolean()).count()).as("partial captions").isPositive();
        gladia.assertNoViolations();
    }

    @Test
    void aReconnectInTheMiddleOfAnUtteranceLosesNoAudio() throws Exception {
        String host = "tr-rc-" + System.nanoTime();
        String id = liveSession(host, true, Map.of());
        SpeakerSocket s = SpeakerSocket.connect(transcription, id);
        String streamId;
        gladia.ackEvery(4); // acknowledge every 4th chunk only: bytes are in flight when the drop comes
        try {
            s.start(host);
            streamId = s.await("ready").path("streamId").asText();
        } finally {
            gladia.ackEvery(1);
        }
        // drop the connection without a close frame 1.45 s into the audio, in the middle of the second utterance
        gladia.dropAfterBytes(streamId, 46_400);
        s.stream(25, 7);
        s.stop();
        assertThat(s.closeCode()).isEqualTo(1000);
        GladiaSession g = gladia.session(streamId);
        assertThat(g.connections()).as("reconnected to the same session").isEqualTo(2);
        assertThat(g.discardedBytes()).as("bytes the drop lost in flight").isPositive();
        assertThat(g.receivedBytes()).as("what Gladia kept = what the speaker sent").isEqualTo(s.sent);
        List<Map<String, Object>> segments = given().baseUri(transcription.url())
                .get("/api/sessions/" + id + "/transcript").then().statusCode(200).extract().path("segments");
        assertThat(segments).extracting(m -> m.get("utteranceId")).doesNotHaveDuplicates().hasSize(g.finals().size());
        gladia.assertNoViolations();
    }

    @Test
    void aGladiaInitThatFailsTransientlyIsRetriedAndTheSpeakerIsTranscribed() throws Exception {
        String host = "tr-retry-" + System.nanoTime();
        String id = liveSession(host, true, Map.of());
        gladia.scriptFor("participant", host, List.of("after two refusals"));
        long unavailableBefore = refused(503);
        gladia.failNextInits(2, 503);
        SpeakerSocket s = SpeakerSocket.connect(transcription, id);
        s.start(host);
        String streamId = s.await("ready").path("streamId").asText();
        assertThat(refused(503) - unavailableBefore).as("init calls answered 503, then retried").isEqualTo(2);
        s.stream(10, 4);
        s.stop();
        assertThat(s.closeCode()).isEqualTo(1000);
        assertThat(s.frames.stream().filter(f -> "transcript".equals(f.path("type").asText())
                && f.path("final").asBoolean()).map(f -> f.path("text").asText()).toList())
                .containsExactly("after two refusals");
        assertThat(gladia.session(streamId).customMetadata("participant")).isEqualTo(host);
        assertThat(gladia.session(streamId).receivedBytes()).isEqualTo(s.sent);
    }

    @Test
    void aRefusedGladiaKeyIsNotRetriedAndTheSpeakerIsToldToCheckIt() throws Exception {
        String host = "tr-key-" + System.nanoTime();
        String id = liveSession(host, true, Map.of());
        long refusedBefore = refused(401);
        int sessionsBefore = gladia.sessions().size();
        gladia.failNextInits(1, 401); // a second attempt would succeed: the speaker would get ready
        SpeakerSocket s = SpeakerSocket.connect(transcription, id);
        s.start(host);
        assertThat(s.closeCode()).isEqualTo(1011);
        assertThat(s.closeReason).isEqualTo("transcription misconfigured");
        JsonNode error = s.await("error");
        assertThat(error.path("code").asText()).isEqualTo("not_configured");
        assertThat(error.path("message").asText()).contains("Gladia refused the API key").contains("GLADIA_API_KEY");
        assertThat(refused(401) - refusedBefore).as("init calls answered 401").isEqualTo(1);
        assertThat(gladia.sessions()).as("no second init call").hasSize(sessionsBefore);
        assertThat(s.frames).noneMatch(f -> "ready".equals(f.path("type").asText()));
    }

    private static long refused(int status) {
        return gladia.rejections().stream().filter(r -> r.status() == status).count();
    }

    @Test
    void viewersAndSessionsWithoutTranscriptionAreRefused() throws Exception {
        String host = "tr-ref-" + System.nanoTime();
        String viewer = "tr-ref-viewer-" + System.nanoTime();
        String id = liveSession(host, true, Map.of(viewer, "VIEWER"));
        SpeakerSocket asViewer = SpeakerSocket.connect(transcription, id);
        asViewer.start(viewer);
        assertThat(asViewer.closeCode()).isEqualTo(4403);
        assertThat(asViewer.await("error").path("code").asText()).isEqualTo("not_a_speaker");

        String off = liveSession("tr-off-" + System.nanoTime(), false, Map.of());
        SpeakerSocket disabled = SpeakerSocket.connect(transcription, off);
        disabled.start("tr-off-host");
        assertThat(disabled.closeCode()).isEqualTo(4403);

        SpeakerSocket noToken = SpeakerSocket.connect(transcription, id);
        noToken.socket.sendText("{\"type\":\"start\",\"v\":1,\"token\":\"garbage\",\"format\":{\"encoding\":\"pcm_s16le\","
                + "\"sampleRate\":16000,\"channels\":1}}", true).join();
        assertThat(noToken.closeCode()).isEqualTo(4401);

        SpeakerSocket badFormat = SpeakerSocket.connect(transcription, id);
        badFormat.socket.sendText("{\"type\":\"start\",\"v\":1,\"token\":\"" + TestTokens.token(host)
                + "\",\"format\":{\"encoding\":\"pcm_s16le\",\"sampleRate\":22050,\"channels\":1}}", true).join();
        assertThat(badFormat.closeCode()).isEqualTo(4400);
        assertThat(badFormat.await("error").path("code").asText()).isEqualTo("invalid_format");
    }

    @Test
    void aSpeakerWhoLeavesIsStoppedCleanly() throws Exception {
        String host = "tr-leave-" + System.nanoTime();
        String guest = "tr-leave-guest-" + System.nanoTime();
        String id = liveSession(host, true, Map.of(guest, "GUEST"));
        gladia.scriptFor("participant", guest, List.of("before i go"));
        SpeakerSocket s = SpeakerSocket.connect(transcription, id);
        s.start(guest);
        String streamId = s.await("ready").path("streamId").asText();
        s.stream(12, 3);
        as(guest).post("/api/sessions/" + id + "/leave").then().statusCode(200);
        assertThat(s.closeCode()).isEqualTo(1000);
        assertThat(s.await("stopped").path("reason").asText()).isEqualTo("left the session");
        assertThat(gladia.session(streamId).stopReceived()).as("Gladia got stop_recording").isTrue();
        assertThat(gladia.session(streamId).receivedBytes()).isEqualTo(s.sent);
    }

    @Test
    void demotionAndTheEndOfTheSessionStopStreams() throws Exception {
        String host = "tr-end-" + System.nanoTime();
        String cohost = "tr-end-cohost-" + System.nanoTime();
        String id = liveSession(host, true, Map.of(cohost, "COHOST"));
        SpeakerSocket hostSocket = SpeakerSocket.connect(transcription, id);
        hostSocket.start(host);
        SpeakerSocket cohostSocket = SpeakerSocket.connect(transcription, id);
        cohostSocket.start(cohost);
        String hostStream = hostSocket.await("ready").path("streamId").asText();
        String cohostStream = cohostSocket.await("ready").path("streamId").asText();
        hostSocket.stream(5, 1);
        cohostSocket.stream(5, 2);

        as(host).body(Map.of("role", "VIEWER")).post("/api/sessions/" + id + "/participants/" + cohost + "/role")
                .then().statusCode(200);
        assertThat(cohostSocket.closeCode()).isEqualTo(1000);
        assertThat(cohostSocket.await("stopped").path("reason").asText()).isEqualTo("no longer on stage");
        assertThat(gladia.session(cohostStream).stopReceived()).isTrue();
        assertThat(hostSocket.closed).as("the host still streams").isNotDone();

        as(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        assertThat(hostSocket.closeCode()).isEqualTo(1000);
        assertThat(hostSocket.await("stopped").path("reason").asText()).isEqualTo("session ended");
        assertThat(gladia.session(hostStream).receivedBytes()).isEqualTo(hostSocket.sent);

        // and a demoted cohost cannot start again
        SpeakerSocket again = SpeakerSocket.connect(transcription, id);
        again.start(cohost);
        assertThat(again.closeCode()).isIn(4403, 4409);
    }

    @Test
    void withoutAGladiaKeyTheServiceIsReadyAndSpeakersAreToldWhatToSet() throws Exception {
        given().baseUri(unconfigured.url()).get("/q/health/ready").then().statusCode(200);
        SpeakerSocket s = SpeakerSocket.connect(unconfigured, UUID.randomUUID().toString());
        assertThat(s.closeCode()).isEqualTo(1011);
        assertThat(s.await("error").path("message").asText()).contains("GLADIA_API_KEY");
    }
}
