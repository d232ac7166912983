package io.livestage.recording;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.UpdateStreamRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.events.Topics;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live streaming as a black box: session-, token- and recording-service as processes on real Kafka and PostgreSQL;
 * LiveKit is the contract stub with its Ingress service and an egress that writes real HLS (.m3u8 + MPEG-TS) into the
 * folder mounted at {@code /out} and reports stream results; its webhooks reach recording-service through
 * token-service and Kafka like LiveKit's would. The last test reads every service log and the database for the
 * stream keys used.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every stream key handed out or saved in this class: none may appear in a log or in the database. */
    private static final List<String> KEYS = new ArrayList<>();

    @TempDir
    static Path folder;

    private static RecordingStack stack;
    private static LiveKitStub livekit;

    @BeforeAll
    static void start() throws Exception {
        stack = RecordingStack.start(folder, Map.of("LIVESTAGE_RECORDING_RECONCILE_EVERY", "1s",
                "LIVESTAGE_RECORDING_STREAMING_RETRY_INITIAL", "300ms"), Topics.RECORDING);
        livekit = stack.livekit();
        livekit.egress().segmentInterval(Duration.ofMillis(150));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String user(String role) {
        return RecordingStack.user("str", role);
    }

    private static RequestSpecification api(String user) {
        return stack.recordingApi(user);
    }

    private static RequestSpecification anonymous() {
        return RestAssured.given().baseUri(stack.recording().url());
    }

    /** A live PUBLIC session of {@code host}, known to recording-service. */
    private static String liveSession(String host, String kind) {
        String id = stack.sessionApi(host).body(Map.of("title", "Live show", "kind", kind, "visibility", "PUBLIC"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        stack.sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        awaitStatus(id, host, s -> "live".equals(s.path("status").asText()));
        return id;
    }

    private static JsonNode status(String session, String user) {
        Response response = (user == null ? anonymous() : api(user)).get("/api/sessions/" + session + "/stream");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.as(JsonNode.class);
    }

    private static JsonNode awaitStatus(String session, String user, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response response = (user == null ? anonymous() : api(user)).get("/api/sessions/" + session + "/stream");
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.as(JsonNode.class);
            return condition.test(last[0]);
        });
        return last[0];
    }

    private static void endSession(String host, String session) {
        stack.sessionApi(host).post("/api/sessions/" + session + "/end").then().statusCode(200);
    }

    // ---- OBS -----------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void obsIngestIsTheHostsAloneDrivesObsConnectedRotatesAndEndsWithTheSession() {
        String host = user("host");
        String session = liveSession(host, "VIDEO");
        String other = user("otherhost");
        liveSession(other, "AUDIO");

        JsonNode created = api(host).post("/api/sessions/" + session + "/stream/ingress").then().statusCode(201)
                .extract().as(JsonNode.class);
        String ingressId = created.path("ingressId").asText();
        String key = created.path("streamKey").asText();
        KEYS.add(key);
        assertThat(key).hasSizeGreaterThanOrEqualTo(12);
        assertThat(created.path("rtmpUrl").asText()).startsWith("rtmp://");
        assertThat(livekit.ingress().ingress(ingressId)).isPresent();
        assertThat(livekit.ingress().ingress(ingressId).orElseThrow().getRoomName()).isEqualTo(session);

        String cohost = user("cohost");
        stack.sessionApi(cohost).body(Map.of("name", cohost)).post("/api/sessions/" + session + "/join").then()
                .statusCode(200);
        stack.sessionApi(host).body(Map.of("role", "COHOST"))
                .post("/api/sessions/" + session + "/participants/" + cohost + "/role").then().statusCode(200);
        api(cohost).post("/api/sessions/" + session + "/stream/ingress").then().statusCode(403);
        for (String notHost : List.of(cohost, user("viewer"), other)) {
            api(notHost).get("/api/sessions/" + session + "/stream/ingress").then().statusCode(403);
            api(notHost).post("/api/sessions/" + session + "/stream/ingress/rotate").then().statusCode(403);
            assertThat(api(notHost).get("/api/sessions/" + session + "/stream").asString()).doesNotContain(key);
        }
        anonymous().get("/api/sessions/" + session + "/stream/ingress").then().statusCode(401);
        assertThat(anonymous().get("/api/sessions/" + session + "/stream").asString()).doesNotContain(key);
        api(host).post("/api/sessions/" + session + "/stream/ingress").then().statusCode(409);
        assertThat(api(host).get("/api/sessions/" + session + "/stream/ingress").then().statusCode(200).extract()
                .path("streamKey").toString()).isEqualTo(key);

        livekit.ingress().publish(ingressId);
        JsonNode connected = awaitStatus(session, null, s -> s.path("obs").path("connected").asBoolean());
        assertThat(connected.path("obs").path("resolution").asText()).isNotEmpty();
        assertThat(connected.path("health").path("ingestBitrateKbps").asLong()).isPositive();

        JsonNode rotated = api(host).post("/api/sessions/" + session + "/stream/ingress/rotate").then().statusCode(200)
                .extract().as(JsonNode.class);
        KEYS.add(rotated.path("streamKey").asText());
        assertThat(rotated.path("streamKey").asText()).isNotEqualTo(key);
        assertThat(rotated.path("interruptedLivePush").asBoolean()).isTrue();
        Awaitility.await().atMost(WAIT).until(() -> livekit.ingress().ingress(ingressId).isEmpty());
        String newId = rotated.path("ingressId").asText();
        assertThat(livekit.ingress().ingress(newId)).isPresent();
        awaitStatus(session, host, s -> !s.path("obs").path("connected").asBoolean()
                && s.path("obs").path("configured").asBoolean());

        endSession(host, session);
        Awaitility.await().atMost(WAIT).until(() -> livekit.ingress().ingress(newId).isEmpty());
        awaitStatus(session, host, s -> !s.path("obs").path("configured").asBoolean());
    }

    // ---- restream targets, HLS, status events ---------------------------------------------------------------------

    @Test
    @Order(2)
    void aTelegramRestreamIsAddedFailsIsRetriedAndStopsWhileHlsPlaysAndEveryChangeIsPushed() throws Exception {
        String host = user("host");
        String key = "1234567890:TgKey" + Long.toHexString(System.nanoTime());
        KEYS.add(key);
        JsonNode target = api(host).body(Map.of("name", "Telegram channel", "kind", "TELEGRAM", "serverUrl",
                "rtmps://dc4-1.rtmp.t.me/s/", "streamKey", key)).post("/api/me/restream-targets").then()
                .statusCode(201).extract().as(JsonNode.class);
        String targetId = target.path("id").asText();
        assertThat(target.toString()).doesNotContain(key);
        assertThat(target.path("streamKey").asText()).startsWith("••••").endsWith(key.substring(key.length() - 4));
        api(host).body(Map.of("name", "bad", "kind", "TELEGRAM", "serverUrl", "rtmp://dc4-1.rtmp.t.me/s/",
                "streamKey", "k")).post("/api/me/restream-targets").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("serverUrl"));
        api(user("stranger")).get("/api/me/restream-targets/" + targetId).then().statusCode(404);
        assertThat(api(user("stranger")).get("/api/me/restream-targets").asString()).doesNotContain(targetId);

        // renamed without a key: the key is kept; another user cannot change or delete it
        api(host).body(Map.of("name", "Telegram channel", "kind", "TELEGRAM", "serverUrl",
                "rtmps://dc4-1.rtmp.t.me/s/")).put("/api/me/restream-targets/" + targetId).then().statusCode(200)
                .body("streamKey", org.hamcrest.Matchers.equalTo(target.path("streamKey").asText()));
        api(user("stranger")).body(Map.of("name", "x", "kind", "RTMP", "serverUrl", "rtmp://h/app/", "streamKey", "k"))
                .put("/api/me/restream-targets/" + targetId).then().statusCode(404);
        api(user("stranger")).delete("/api/me/restream-targets/" + targetId).then().statusCode(404);
        String spare = api(host).body(Map.of("name", "Spare", "kind", "YOUTUBE", "streamKey", "abcd-efgh-ijkl"))
                .post("/api/me/restream-targets").then().statusCode(201).extract().path("id");
        KEYS.add("abcd-efgh-ijkl");
        api(host).delete("/api/me/restream-targets/" + spare).then().statusCode(204);
        api(host).get("/api/me/restream-targets/" + spare).then().statusCode(404);

        String session = liveSession(host, "VIDEO");
        Events events = Events.open(stack.recording().url() + "/api/sessions/" + session + "/stream/events", host);
        events.await(s -> "live".equals(s.path("status").asText()));

        api(host).post("/api/sessions/" + session + "/stream/start").then().statusCode(202);
        JsonNode hlsLive = events.await(s -> "live".equals(s.path("hls").path("status").asText()));
        assertThat(hlsLive.path("playbackUrl").asText()).endsWith("/hls/" + session + "/live.m3u8");
        EgressInfo egress = livekit.egress().egresses().stream()
                .filter(e -> e.getRoomName().equals(session)).findFirst().orElseThrow();

        // HLS: the live playlist and its segments, as players fetch them
        Awaitility.await().atMost(WAIT).until(() -> anonymous().get("/hls/" + session + "/live.m3u8").statusCode() == 200
                && anonymous().get("/hls/" + session + "/live.m3u8").asString().contains(".ts"));
        Response live = anonymous().get("/hls/" + session + "/live.m3u8");
        assertThat(live.contentType()).startsWith("application/vnd.apple.mpegurl");
        assertThat(live.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(live.header("Cache-Control")).isEqualTo("no-cache");
        List<String> lines = live.asString().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("#EXTM3U");
        String segment = lines.stream().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
        Response ts = anonymous().get("/hls/" + session + "/" + segment);
        assertThat(ts.statusCode()).isEqualTo(200);
        assertThat(ts.contentType()).isEqualTo("video/mp2t");
        assertThat(ts.header("Cache-Control")).contains("immutable");
        byte[] bytes = ts.asByteArray();
        assertThat(bytes.length % 188).isZero();
        assertThat(bytes[0]).isEqualTo((byte) 0x47);
        anonymous().get("/hls/" + session + "/..%2Fsecret.ts").then().statusCode(404);

        // restream to Telegram: UpdateStream carries rtmps://.../s/<key>
        api(host).post("/api/sessions/" + session + "/stream/targets/" + targetId).then().statusCode(202);
        String url = "rtmps://dc4-1.rtmp.t.me/s/" + key;
        RecordedCall add = livekit.awaitCall("UpdateStream", c -> c.succeeded()
                && ((UpdateStreamRequest) c.request()).getAddOutputUrlsList().contains(url), WAIT);
        assertThat(((UpdateStreamRequest) add.request()).getEgressId()).isEqualTo(egress.getEgressId());
        JsonNode active = events.await(s -> "ACTIVE".equals(targetStatus(s)));
        assertThat(active.toString()).doesNotContain(key);
        assertThat(events.publicView(s -> s.path("targets").isMissingNode())).as("viewers see no targets").isTrue();

        // LiveKit reports the stream FAILED: retried with backoff, the host told
        livekit.egress().failStream(egress.getEgressId(), url, "connection reset by peer");
        JsonNode failed = events.await(s -> "FAILED".equals(targetStatus(s)));
        assertThat(target(failed).path("error").asText()).contains("connection reset");
        JsonNode retried = events.await(s -> "ACTIVE".equals(targetStatus(s)) && target(s).path("retries").asInt() == 1);
        assertThat(retried.path("health").path("restreamRetries").asInt()).isEqualTo(1);
        assertThat(livekit.calls("UpdateStream").stream().filter(c -> c.succeeded()
                && ((UpdateStreamRequest) c.request()).getAddOutputUrlsList().contains(url)).count()).isEqualTo(2);
        assertThat(api(host).get("/api/me/notifications").asString()).contains("Restream to Telegram channel failed");

        // quality is pushed too
        api(host).body(Map.of("quality", "1080p")).put("/api/sessions/" + session + "/stream/quality").then()
                .statusCode(200);
        events.await(s -> "1080p".equals(s.path("quality").path("preset").asText()));
        api(host).body(Map.of("quality", "8k")).put("/api/sessions/" + session + "/stream/quality").then()
                .statusCode(400).body("field", org.hamcrest.Matchers.equalTo("quality"));

        // stop the restream: UpdateStream removes the full original URL
        api(host).delete("/api/sessions/" + session + "/stream/targets/" + targetId).then().statusCode(202);
        livekit.awaitCall("UpdateStream", c -> c.succeeded()
                && ((UpdateStreamRequest) c.request()).getRemoveOutputUrlsList().contains(url), WAIT);
        events.await(s -> "STOPPED".equals(targetStatus(s)));

        // the end: the stream egress stops, the whole playlist becomes video on demand
        endSession(host, session);
        livekit.egress().awaitStatus(egress.getEgressId(), EgressStatus.EGRESS_COMPLETE, WAIT);
        JsonNode ended = events.await(s -> "offline".equals(s.path("status").asText()) && s.path("hls").path("vod")
                .asBoolean());
        assertThat(ended.path("playbackUrl").asText()).endsWith("/hls/" + session + "/index.m3u8");
        // the service caches a session's stream state for two seconds
        Awaitility.await().atMost(WAIT).until(() -> "public, max-age=3600".equals(
                anonymous().get("/hls/" + session + "/index.m3u8").header("Cache-Control")));
        String vod = anonymous().get("/hls/" + session + "/index.m3u8").then().statusCode(200)
                .contentType("application/vnd.apple.mpegurl").extract().asString();
        assertThat(vod).contains("#EXT-X-PLAYLIST-TYPE:VOD").contains("#EXT-X-ENDLIST").contains(segment);
        assertThat(events.versionsIncrease()).isTrue();
        events.close();
        String metrics = anonymous().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("livestage_stream_restream_failures_total{kind=\"TELEGRAM\"")
                .contains("livestage_stream_restream_retries_total").contains("livestage_stream_status_subscribers")
                .doesNotContain(key);
    }

    @Test
    @Order(3)
    void anAutoTargetStartsWithTheSessionAndAPrivateSessionHasNoHls() {
        String host = user("host");
        String key = "live_" + Long.toHexString(System.nanoTime()) + "_auto";
        KEYS.add(key);
        api(host).body(Map.of("name", "Backup server", "kind", "RTMP", "serverUrl", "rtmp://backup.example/live",
                "streamKey", key, "autoStart", true)).post("/api/me/restream-targets").then().statusCode(201);
        String session = liveSession(host, "AUDIO");
        RecordedCall start = livekit.awaitCall("StartRoomCompositeEgress", c -> c.succeeded()
                && session.equals(c.room()) && c.request().toString().contains("backup.example"), WAIT);
        assertThat(start.request().toString()).contains("rtmp://backup.example/live/" + key);
        awaitStatus(session, host, s -> "ACTIVE".equals(targetStatus(s)));

        // the OBS ingest revoked: LiveKit deletes it, the key stops working
        String ingressId = api(host).post("/api/sessions/" + session + "/stream/ingress").then().statusCode(201)
                .extract().path("ingressId");
        KEYS.add(livekit.ingress().ingress(ingressId).orElseThrow().getStreamKey());
        api(host).delete("/api/sessions/" + session + "/stream/ingress").then().statusCode(204);
        Awaitility.await().atMost(WAIT).until(() -> livekit.ingress().ingress(ingressId).isEmpty());
        api(host).get("/api/sessions/" + session + "/stream/ingress").then().statusCode(404);
        endSession(host, session);

        String secret = stack.sessionApi(host).body(Map.of("title", "Private", "kind", "VIDEO", "visibility",
                "PRIVATE")).post("/api/sessions").then().statusCode(201).extract().path("id");
        stack.sessionApi(host).post("/api/sessions/" + secret + "/start").then().statusCode(200);
        awaitStatus(secret, host, s -> "live".equals(s.path("status").asText()));
        anonymous().get("/api/sessions/" + secret + "/stream").then().statusCode(403);
        api(user("viewer")).get("/api/sessions/" + secret + "/stream").then().statusCode(403);
        api(host).post("/api/sessions/" + secret + "/stream/start").then().statusCode(202);
        JsonNode hls = awaitStatus(secret, host, s -> "live".equals(s.path("hls").path("status").asText()));
        assertThat(hls.path("playbackUrl").isMissingNode()).isTrue();
        anonymous().get("/hls/" + secret + "/live.m3u8").then().statusCode(404);
        endSession(host, secret);
    }

    // ---- restart ---------------------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void aRestartedServiceRecoversWhatLiveKitDidWhileItWasDownFromListEgressAndListIngress() throws Exception {
        String host = user("host");
        String session = liveSession(host, "VIDEO");
        String ingressId = api(host).post("/api/sessions/" + session + "/stream/ingress").then().statusCode(201)
                .extract().path("ingressId");
        KEYS.add(api(host).get("/api/sessions/" + session + "/stream/ingress").then().extract().path("streamKey"));
        api(host).post("/api/sessions/" + session + "/stream/start").then().statusCode(202);
        awaitStatus(session, host, s -> "live".equals(s.path("hls").path("status").asText()));
        EgressInfo egress = livekit.egress().egresses().stream().filter(e -> e.getRoomName().equals(session))
                .findFirst().orElseThrow();

        stack.recording().close();
        livekit.notifier().pause();
        try {
            livekit.ingress().publish(ingressId);
            Thread.sleep(500);
            Path log = Path.of("target", "recording-service-streaming-restart.log");
            stack.restartRecording(log);
            JsonNode recovered = awaitStatus(session, host, s -> s.path("obs").path("connected").asBoolean());
            assertThat(recovered.path("hls").path("segments").asLong()).isPositive();
            livekit.egress().roomClosed(session);
            awaitStatus(session, host, s -> "ended".equals(s.path("hls").path("status").asText()));
        } finally {
            livekit.notifier().resume();
        }
        endSession(host, session);
    }

    // ---- secrets ---------------------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void noStreamKeyIsInAnyLogOrInClearInTheDatabase() throws Exception {
        assertThat(KEYS).hasSizeGreaterThanOrEqualTo(5);
        List<Path> logs = new ArrayList<>(List.of(stack.recording().log(), stack.tokens().log(),
                stack.sessions().log()));
        try (var files = Files.list(Path.of("target"))) {
            files.filter(p -> p.getFileName().toString().startsWith("recording-service")
                    && p.getFileName().toString().endsWith(".log")).forEach(logs::add);
        }
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String key : KEYS) {
                assertThat(text).as(log + " must not contain a stream key").doesNotContain(key);
            }
        }
        var db = stack.recording().database();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                Statement st = c.createStatement()) {
            for (String table : List.of("restream_targets", "stream_restreams", "stream_ingresses", "notifications",
                    "outbox")) {
                try (ResultSet rows = st.executeQuery("select t::text from " + table + " t")) {
                    while (rows.next()) {
                        String row = rows.getString(1);
                        for (String key : KEYS) {
                            assertThat(row).as(table + " stores a stream key in clear").doesNotContain(key);
                        }
                    }
                }
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static JsonNode target(JsonNode status) {
        JsonNode targets = status.path("targets");
        return targets.size() == 0 ? JSON.createObjectNode() : targets.get(0);
    }

    private static String targetStatus(JsonNode status) {
        return target(status).path("status").asText(null);
    }

    /**
     * The stream status events of a session, as the host (with a token) and anonymously at the same time, parsed from
     * the raw {@code text/event-stream}.
     */
    static final class Events implements AutoCloseable {
        private final BlockingQueue<JsonNode> host = new LinkedBlockingQueue<>();
        private final BlockingQueue<JsonNode> anonymous = new LinkedBlockingQueue<>();
        private final List<JsonNode> seen = new ArrayList<>();
        private final List<JsonNode> seenAnonymous = new ArrayList<>();
        private final HttpClient client = HttpClient.newHttpClient();

        /** Subscribes anonymously and as {@code hostUser}. */
        static Events open(String url, String hostUser) {
            Events events = new Events();
            events.subscribe(url, null, events.anonymous);
            events.subscribe(url, io.livestage.testing.oidc.TestTokens.token(hostUser), events.host);
            return events;
        }

        private void subscribe(String url, String token, BlockingQueue<JsonNode> into) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
                response.body().forEach(line -> {
                    if (line.startsWith("data:")) {
                        try {
                            into.add(JSON.readTree(line.substring(5).strip()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            });
        }

        /** Waits for a host-view event that satisfies {@code condition}. */
        JsonNode await(Predicate<JsonNode> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (JsonNode event : seen) {
                if (condition.test(event)) {
                    return event;
                }
            }
            while (System.nanoTime() < deadline) {
                JsonNode event = host.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    seen.add(event);
                    if (condition.test(event)) {
                        return event;
                    }
                }
            }
            throw new AssertionError("no stream event matched; last events: " + seen.subList(
                    Math.max(0, seen.size() - 3), seen.size()));
        }

        /** Every anonymous event so far satisfies {@code condition} (and there was at least one). */
        boolean publicView(Predicate<JsonNode> condition) {
            anonymous.drainTo(seenAnonymous);
            return !seenAnonymous.isEmpty() && seenAnonymous.stream().allMatch(condition);
        }

        boolean versionsIncrease() {
            long last = -1;
            for (JsonNode event : seen) {
                long v = event.path("version").asLong();
                if (v < last) {
                    return false;
                }
                last = v;
            }
            return seen.size() > 3;
        }

        @Override
        public void close() {
            client.shutdownNow();
        }
    }
}
