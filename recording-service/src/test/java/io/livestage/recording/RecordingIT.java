package io.livestage.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitModels.AudioCodec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.events.Topics;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.livekit.WebhookNotifier;
import io.livestage.testing.postgres.TestPostgres;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Recordings as a black box: session-service, token-service (LiveKit rooms, webhooks in) and recording-service run
 * as processes on real Kafka and PostgreSQL; LiveKit is the contract stub, whose egress writes real files into a
 * folder mounted at {@code /out} and posts its webhooks to token-service, which publishes them on livestage.livekit.
 */
class RecordingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path recordings;

    private static RecordingStack stack;
    private static LiveKitStub livekit;
    private static ServiceProcess recording;
    private static EventProbe events;
    /**
     * A fast reconcile loop and STARTING timeout; a short Kafka session, so a killed instance's partitions go to its
     * successor in seconds.
     */
    private static final Map<String, String> RECORDING_ENV = Map.of("LIVESTAGE_RECORDING_RECONCILE_EVERY", "1s",
            "LIVESTAGE_RECORDING_STARTING_TIMEOUT", "3s", "KAFKA_SESSION_TIMEOUT_MS", "6000");

    @BeforeAll
    static void start() throws Exception {
        stack = RecordingStack.start(recordings, RECORDING_ENV, Topics.RECORDING);
        livekit = stack.livekit();
        events = stack.events();
        recording = stack.recording();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static RequestSpecification sessionApi(String user) {
        return stack.sessionApi(user);
    }

    private static RequestSpecification recordingApi(String user) {
        return stack.recordingApi(user);
    }

    private static String user(String role) {
        return RecordingStack.user("rec", role);
    }

    /** A session of {@code host}, live (started), with {@code recordingEnabled} as given. */
    private static String liveSession(String host, String kind, boolean recordingEnabled, String visibility) {
        String id = sessionApi(host).body(Map.of("title", "Recorded", "kind", kind, "visibility", visibility,
                "settings", Map.of("recordingEnabled", recordingEnabled))).post("/api/sessions").then()
                .statusCode(201).extract().path("id");
        sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        return id;
    }

    private static void join(String session, String user, String role, String host) {
        sessionApi(user).body(Map.of("name", user)).post("/api/sessions/" + session + "/join").then().statusCode(200);
        if (!"VIEWER".equals(role)) {
            sessionApi(host).body(Map.of("role", role))
                    .post("/api/sessions/" + session + "/participants/" + user + "/role").then().statusCode(200);
        }
    }

    private static void end(String session, String host) {
        sessionApi(host).post("/api/sessions/" + session + "/end").then().statusCode(200);
    }

    private static ReceivedEvent await(String type, String session, String format) {
        ReceivedEvent event = events.await(e -> type.equals(e.type()) && session.equals(e.subject())
                && format.equals(e.json().path("format").asText()), WAIT);
        EventContract.assertValid(event);
        return event;
    }

    /** The recording-service's view, once the projection has the session (it follows session-service's events). */
    private static JsonNode recordingsOf(String session, String user) {
        Awaitility.await().atMost(WAIT).until(() -> recordingApi(user).get("/api/sessions/" + session + "/recordings")
                .statusCode() == 200);
        return recordingApi(user).get("/api/sessions/" + session + "/recordings").then().statusCode(200).extract()
                .as(JsonNode.class);
    }

    private static ValidatableResponse startRecording(String session, String user, Object body) {
        RequestSpecification request = recordingApi(user);
        if (body != null) {
            request.body(body);
        }
        return request.post("/api/sessions/" + session + "/recordings").then();
    }

    /**
     * Starts a recording by hand once the projection has caught up with session-service (until then the session is
     * unknown, not live yet or the caller's role not known: 404, 409 or 403).
     */
    private static String startWhenKnown(String session, String user) {
        AtomicReference<ExtractableResponse<Response>> accepted = new AtomicReference<>();
        Awaitility.await().atMost(WAIT).until(() -> {
            ExtractableResponse<Response> response = startRecording(session, user, null).extract();
            accepted.set(response);
            return response.statusCode() == 202;
        });
        ExtractableResponse<Response> response = accepted.get();
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("state")).isEqualTo("STARTING");
        assertThat(response.header("Location")).endsWith("/api/sessions/" + session + "/recordings/"
                + response.jsonPath().getString("id"));
        return response.jsonPath().getString("id");
    }

    private static void assertProblem(ValidatableResponse response, int status, String field) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (field != null) {
            response.body("field", equalTo(field));
        }
    }

    @Test
    void aVideoSessionWithRecordingOnIsRecordedToMp3AndMp4FromItsStartAndCompletesWithItsEnd() throws Exception {
        String host = user("host");
        String id = liveSession(host, "VIDEO", true, "PUBLIC");

        List<RecordedCall> starts = List.of(
                livekit.awaitCall("StartRoomCompositeEgress", c -> c.succeeded() && id.equals(c.room())
                        && c.request(RoomCompositeEgressRequest.class).getFileOutputs(0).getFileType()
                                == EncodedFileType.MP3, WAIT),
                livekit.awaitCall("StartRoomCompositeEgress", c -> c.succeeded() && id.equals(c.room())
                        && c.request(RoomCompositeEgressRequest.class).getFileOutputs(0).getFileType()
                                == EncodedFileType.MP4, WAIT));
        RoomCompositeEgressRequest mp3 = starts.get(0).request(RoomCompositeEgressRequest.class);
        assertThat(mp3.getAudioOnly()).isTrue();
        assertThat(mp3.getAdvanced().getAudioCodec()).isEqualTo(AudioCodec.AC_MP3);
        assertThat(mp3.getFileOutputs(0).getFilepath()).matches("/out/" + id + "/[0-9a-f-]{36}-\\{time\\}\\.mp3");
        assertThat(starts.get(1).request(RoomCompositeEgressRequest.class).getAudioOnly()).isFalse();
        assertThat(starts.get(0).claims().grant("roomRecord")).as("egress calls carry roomRecord").isTrue();

        ReceivedEvent started = await("recording.started", id, "MP3");
        assertThat(started.json().path("trigger").asText()).isEqualTo("AUTO");
        await("recording.started", id, "MP4");
        JsonNode listed = recordingsOf(id, host);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("state").asText()).isEqualTo("RECORDING");
        assertThat(listed.get(0).path("id").asText()).isEqualTo(started.json().path("recordingId").asText());

        end(id, host);

        for (String format : List.of("MP3", "MP4")) {
            JsonNode completed = await("recording.completed", id, format).json();
            Path file = livekit.egress().hostPath(completed.path("location").asText());
            assertThat(file).exists().startsWith(recordings);
            assertThat(completed.path("sizeBytes").asLong()).isEqualTo(Files.size(file)).isPositive();
            assertThat(completed.path("durationMillis").asLong()).isPositive();
            assertThat(completed.path("mimeType").asText()).isEqualTo("MP3".equals(format) ? "audio/mpeg" : "video/mp4");
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(recordingsOf(id, host).get(0).path("state")
                .asText()).isEqualTo("ENDED"));
        JsonNode outputs = recordingsOf(id, host).get(0).path("outputs");
        assertThat(outputs).extracting(o -> o.path("status").asText()).containsOnly("COMPLETE");
        events.assertNone(e -> "recording.failed".equals(e.type()) && id.equals(e.subject()), Duration.ofSeconds(1));
    }

    @Test
    void aStartBeforeTheRoomExistsIsRetriedUntilTokenServiceHasCreatedIt() {
        // token-service's CreateRoom fails five times (retried with backoff: about 6 s), so the room comes late
        livekit.failNext("CreateRoom", 5, 503);
        String host = user("host");
        String id = liveSession(host, "AUDIO", true, "UNLISTED");

        await("recording.started", id, "MP3");
        List<RecordedCall> attempts = livekit.calls("StartRoomCompositeEgress").stream()
                .filter(c -> id.equals(c.room())).toList();
        assertThat(attempts).as("refused while the room was missing, then accepted").extracting(RecordedCall::errorCode)
                .contains("not_found").last().isNull();
        assertThat(attempts.stream().filter(RecordedCall::succeeded)).hasSize(1);

        end(id, host);
        await("recording.completed", id, "MP3");
    }

    @Test
    void aSessionThatEndsBeforeItsRoomExistsFailsItsRecordingWithTheReason() {
        // every CreateRoom attempt of token-service fails: the room never exists
        livekit.failNext("CreateRoom", 6, 503);
        String host = user("host");
        String id = liveSession(host, "AUDIO", true, "PUBLIC");
        livekit.awaitCall("StartRoomCompositeEgress", c -> id.equals(c.room()) && "not_found".equals(c.errorCode()),
                WAIT);

        end(id, host);

        JsonNode failed = await("recording.failed", id, "MP3").json();
        assertThat(failed.path("reason").asText()).contains("the session ended");
        assertThat(failed.path("egressId").isNull()).isTrue();
        assertThat(failed.path("livekitStatus").isNull()).isTrue();
        assertThat(livekit.calls("StartRoomCompositeEgress")).filteredOn(c -> id.equals(c.room()))
                .noneMatch(RecordedCall::succeeded);
    }

    @Test
    void hostsAndCohostsStartAndStopRecordingsByHandOneAtATime() {
        String host = user("host");
        String cohost = user("cohost");
        String id = liveSession(host, "AUDIO", false, "PUBLIC");
        join(id, cohost, "COHOST", host);

        String rid = startWhenKnown(id, cohost);
        assertProblem(startRecording(id, host, null), 409, null);
        JsonNode started = await("recording.started", id, "MP3").json();
        assertThat(started.path("recordingId").asText()).isEqualTo(rid);
        assertThat(started.path("trigger").asText()).isEqualTo("MANUAL");

        recordingApi(host).post("/api/sessions/" + id + "/recordings/" + rid + "/stop").then().statusCode(202)
                .body("state", equalTo("STOPPING")).body("stopReason", equalTo("stopped by " + host));
        livekit.awaitCall("StopEgress", RecordedCall::succeeded, WAIT);
        JsonNode completed = await("recording.completed", id, "MP3").json();
        assertThat(completed.path("recordingId").asText()).isEqualTo(rid);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> recordingApi(cohost)
                .get("/api/sessions/" + id + "/recordings/" + rid).then().statusCode(200)
                .body("state", equalTo("ENDED")).body("outputs[0].status", equalTo("COMPLETE"))
                .body("outputs[0].sizeBytes", equalTo(completed.path("sizeBytes").asInt())));
        assertProblem(recordingApi(host).post("/api/sessions/" + id + "/recordings/" + rid + "/stop").then(), 409, null);

        // a new recording may start once the first has ended
        String second = startWhenKnown(id, host);
        assertThat(second).isNotEqualTo(rid);
        end(id, host);
        await("recording.completed", id, "MP3");
    }

    @Test
    void theHostAndWhoeverStartedTheRecordingAreNotifiedOnceOfTheStartAndOfTheReadyFile() {
        String host = user("host");
        String cohost = user("cohost");
        String stranger = user("viewer");
        String id = liveSession(host, "VIDEO", false, "PUBLIC");
        join(id, cohost, "COHOST", host);
        String rid = startWhenKnown(id, cohost);
        await("recording.started", id, "MP3");
        await("recording.started", id, "MP4");
        end(id, host);
        await("recording.completed", id, "MP3");
        await("recording.completed", id, "MP4");

        for (String user : List.of(host, cohost)) {
            JsonNode page = Awaitility.await().atMost(WAIT).until(() -> notificationsOf(user),
                    n -> n.path("items").size() == 3);
            JsonNode items = page.path("items");
            assertThat(items).extracting(n -> n.path("kind").asText()).as("started once, one ready per file")
                    .containsExactlyInAnyOrder("recording.started", "recording.completed", "recording.completed");
            assertThat(items).allSatisfy(n -> {
                assertThat(n.path("recordingId").asText()).isEqualTo(rid);
                assertThat(n.path("read").asBoolean()).isFalse();
            });
            assertThat(items).filteredOn(n -> "recording.completed".equals(n.path("kind").asText()))
                    .extracting(n -> n.path("link").asText()).containsExactlyInAnyOrder(
                            "/api/sessions/" + id + "/recordings/" + rid + "/files/mp3",
                            "/api/sessions/" + id + "/recordings/" + rid + "/files/mp4");
            assertThat(items).filteredOn(n -> "recording.completed".equals(n.path("kind").asText()))
                    .allSatisfy(n -> assertThat(n.path("text").asText()).startsWith("Recording ready: "));
            assertThat(page.path("unread").asInt()).isEqualTo(3);
        }
        assertThat(notificationsOf(stranger).path("items")).as("nobody else is told").isEmpty();

        String first = notificationsOf(host).path("items").get(0).path("id").asText();
        recordingApi(host).post("/api/me/notifications/" + first + "/read").then().statusCode(204);
        assertThat(notificationsOf(host).path("unread").asInt()).isEqualTo(2);
        recordingApi(stranger).post("/api/me/notifications/" + first + "/read").then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(recordingApi(host).get("/api/me/notifications?unread=true").then().statusCode(200).extract()
                .jsonPath().getList("items")).hasSize(2);
        recordingApi(host).post("/api/me/notifications/read").then().statusCode(200).body("marked", equalTo(2));
        assertThat(notificationsOf(host).path("unread").asInt()).isZero();
        assertThat(notificationsOf(cohost).path("unread").asInt()).as("each user's own").isEqualTo(3);
        assertProblem(recordingApi(host).get("/api/me/notifications?limit=0").then(), 400, "limit");
        assertProblem(recordingApi(host).post("/api/me/notifications/not-a-uuid/read").then(), 400, "id");
    }

    private static JsonNode notificationsOf(String user) {
        return recordingApi(user).get("/api/me/notifications").then().statusCode(200).extract().as(JsonNode.class);
    }

    @Test
    void aLostEgressEndedIsRepairedByTheReconcileLoop() {
        String host = user("host");
        String id = liveSession(host, "AUDIO", false, "PUBLIC");
        String rid = startWhenKnown(id, host);
        String egressId = await("recording.started", id, "MP3").json().path("egressId").asText();

        livekit.notifier().dropNext("egress_ended");
        recordingApi(host).post("/api/sessions/" + id + "/recordings/" + rid + "/stop").then().statusCode(202);
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_COMPLETE, WAIT);

        JsonNode completed = await("recording.completed", id, "MP3").json();
        assertThat(completed.path("egressId").asText()).isEqualTo(egressId);
        assertThat(livekit.notifier().events("egress_ended")).filteredOn(n -> n.event().getEgressInfo().getEgressId()
                .equals(egressId)).extracting(WebhookNotifier.Notification::dropped).containsExactly(true);
        assertThat(livekit.calls("ListEgress")).as("found by the reconcile loop").anyMatch(c -> c.succeeded()
                && egressId.equals(c.json().path("egress_id").asText()));
        end(id, host);
    }

    /**
     * Killed between the webhook and its commit: the test holds a row lock on the output, so the transaction applying
     * the egress's end (the webhook's, or the reconcile loop's that saw it in ListEgress) waits inside the service;
     * the service is then killed (SIGKILL) and started again on the same database. Kafka redelivers the uncommitted
     * webhook and the loop looks again: the output completes, with its file, and recording.completed is published
     * exactly once.
     */
    @Test
    void killedBetweenAWebhookAndItsCommitTheRecordingStillCompletesOnce() throws Exception {
        String host = user("host");
        String id = liveSession(host, "AUDIO", true, "PUBLIC");
        String egressId = await("recording.started", id, "MP3").json().path("egressId").asText();

        try (Connection db = TestPostgres.shared().open(recording.database())) {
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement(
                    "select 1 from recording_outputs where egress_id = ? for update")) {
                lock.setString(1, egressId);
                assertThat(lock.executeQuery().next()).as("the output row").isTrue();
            }
            livekit.egress().roomClosed(id);
            livekit.notifier().await("egress_ended", e -> egressId.equals(e.getEgressInfo().getEgressId()), WAIT);
            Awaitility.await().atMost(WAIT).until(() -> waitingOnLocks(db) > 0);
            recording.handle().destroyForcibly();
            recording.handle().onExit().get(30, TimeUnit.SECONDS);
            db.rollback();
        }
        events.assertNone(e -> "recording.completed".equals(e.type()) && id.equals(e.subject()),
                Duration.ofMillis(500));

        recording = stack.restartRecording(Path.of("target", "recording-service-restarted.log"));
        JsonNode completed = await("recording.completed", id, "MP3").json();
        assertThat(completed.path("egressId").asText()).isEqualTo(egressId);
        assertThat(livekit.egress().hostPath(completed.path("location").asText())).exists();
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(recordingsOf(id, host).get(0)
                .path("outputs").get(0).path("status").asText()).isEqualTo("COMPLETE"));
        // both the redelivered webhook and the reconcile loop saw the end by now: still one event
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> events.all()
                .stream().filter(e -> "recording.completed".equals(e.type()) && id.equals(e.subject())).count() == 1);
    }

    /** Backends of the service's database waiting for a lock (the test's connection holds one). */
    private static int waitingOnLocks(Connection db) throws Exception {
        try (PreparedStatement s = db.prepareStatement("select count(*) from pg_stat_activity "
                + "where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anEgressStuckStartingIsFailedWithAReasonAndStopped() {
        String host = user("host");
        String id = liveSession(host, "AUDIO", false, "PUBLIC");
        livekit.egress().holdNextStarting();
        String rid = startWhenKnown(id, host);

        JsonNode failed = await("recording.failed", id, "MP3").json();
        assertThat(failed.path("recordingId").asText()).isEqualTo(rid);
        assertThat(failed.path("reason").asText()).contains("did not start recording within 3 s");
        String egressId = failed.path("egressId").asText();
        livekit.egress().awaitStatus(egressId, EgressStatus.EGRESS_ABORTED, WAIT);
        recordingApi(host).get("/api/sessions/" + id + "/recordings/" + rid).then().statusCode(200)
                .body("state", equalTo("ENDED")).body("outputs[0].status", equalTo("FAILED"))
                .body("outputs[0].failureReason", equalTo(failed.path("reason").asText()));
        events.assertNone(e -> "recording.completed".equals(e.type()) && id.equals(e.subject()),
                Duration.ofSeconds(2));
        end(id, host);
    }

    @Test
    void onlyTheHostAndCohostsControlRecordingsAndPrivateSessionsShowThemOnlyToTheirPeople() {
        String host = user("host");
        String guest = user("guest");
        String viewer = user("viewer");
        String stranger = user("stranger");
        String id = liveSession(host, "AUDIO", false, "PUBLIC");
        join(id, guest, "GUEST", host);
        join(id, viewer, "VIEWER", host);
        recordingsOf(id, host);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertProblem(startRecording(id, guest, null), 403, null));
        assertProblem(startRecording(id, viewer, null), 403, null);
        assertProblem(startRecording(id, stranger, null), 403, null);
        given().baseUri(recording.url()).contentType(ContentType.JSON).post("/api/sessions/" + id + "/recordings")
                .then().statusCode(401).contentType("application/problem+json");
        recordingApi(stranger).get("/api/sessions/" + id + "/recordings").then().statusCode(200);

        String rid = startWhenKnown(id, host);
        assertProblem(recordingApi(viewer).post("/api/sessions/" + id + "/recordings/" + rid + "/stop").then(), 403,
                null);
        end(id, host);

        String hidden = liveSession(host, "AUDIO", false, "PRIVATE");
        recordingsOf(hidden, host);
        assertProblem(recordingApi(stranger).get("/api/sessions/" + hidden + "/recordings").then(), 403, null);
        end(hidden, host);
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String host = user("host");
        String id = liveSession(host, "AUDIO", false, "PUBLIC");
        recordingsOf(id, host);

        assertProblem(recordingApi(host).post("/api/sessions/" + id + "/recordings/not-a-uuid/stop").then(), 400, "rid");
        assertProblem(recordingApi(host).get("/api/sessions/" + id + "/recordings/42").then(), 400, "rid");
        assertProblem(startRecording(id, host, Map.of("formats", List.of("OGG"))), 400, "formats[0]");
        assertProblem(startRecording(id, host, Map.of("formats", List.of("MP4"))), 400, "formats[0]");
        assertProblem(startRecording(id, host, Map.of("formats", List.of("MP3", "MP3"))), 400, "formats[1]");
        assertProblem(startRecording(id, host, Map.of("format", "MP3")), 400, "format");
        assertProblem(startRecording(id, host, "{\"formats\": [\"MP3\""), 400, null);
        assertProblem(recordingApi(host).get("/api/sessions/" + UUID.randomUUID() + "/recordings").then(), 404, null);
        assertProblem(recordingApi(host).get("/api/sessions/" + id + "/recordings/" + UUID.randomUUID()).then(), 404,
                null);
        recordingApi(host).get("/api/sessions/" + id + "/recordings").then().statusCode(200)
                .body("size()", equalTo(0));
        end(id, host);
    }
}
