package io.livestage.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Serving recording files as a black box: session-service, token-service and recording-service as processes on real
 * Kafka and PostgreSQL, the LiveKit contract stub's egress writing real MP3 files into a folder that egress sees as
 * {@code /out} and recording-service as the temporary directory ({@code storage.local-directory}). A recording is
 * completed, then its file is fetched whole, by ranges, with HEAD and conditional requests; a PRIVATE session's file
 * only by its host and participants; nothing before the output is COMPLETE.
 */
class RecordingFilesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path recordings;

    private static RecordingStack stack;
    private static LiveKitStub livekit;
    private static ServiceProcess recording;
    private static EventProbe events;

    @BeforeAll
    static void start() throws Exception {
        // a response that never delivers its Content-Length fails the test instead of hanging it
        RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 15_000).setParam("http.connection.timeout", 5_000));
        stack = RecordingStack.start(recordings, Map.of(), Topics.RECORDING);
        livekit = stack.livekit();
        livekit.egress().recordedDuration(Duration.ofSeconds(8));
        recording = stack.recording();
        events = stack.events();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static RequestSpecification sessionApi(String user) {
        return stack.sessionApi(user);
    }

    private static RequestSpecification files(String user) {
        return given().baseUri(recording.url()).auth().oauth2(TestTokens.token(user));
    }

    private static String user(String role) {
        return RecordingStack.user("files", role);
    }

    private static ReceivedEvent await(String type, String session) {
        ReceivedEvent event = events.await(e -> type.equals(e.type()) && session.equals(e.subject())
                && "MP3".equals(e.json().path("format").asText()), WAIT);
        EventContract.assertValid(event);
        return event;
    }

    private static void assertProblem(ExtractableResponse<Response> response, int status, String field) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        if (field != null) {
            assertThat(response.jsonPath().getString("field")).isEqualTo(field);
        }
    }

    @Test
    void aCompletedPrivateRecordingIsServedWithRangesToItsPeopleOnly() throws Exception {
        String host = user("host");
        String participant = user("participant");
        String stranger = user("stranger");
        JsonNode created = sessionApi(host).body(Map.of("title", "Files on the record", "kind", "AUDIO",
                "visibility", "PRIVATE", "settings", Map.of("recordingEnabled", true))).post("/api/sessions").then()
                .statusCode(201).extract().as(JsonNode.class);
        String id = created.path("id").asText();
        String slug = created.path("slug").asText();
        sessionApi(host).put("/api/sessions/" + id + "/invites/" + participant).then().statusCode(200);
        sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        sessionApi(participant).body(Map.of("name", participant)).post("/api/sessions/" + id + "/join").then()
                .statusCode(200);

        String rid = await("recording.started", id).json().path("recordingId").asText();
        String url = "/api/sessions/" + id + "/recordings/" + rid + "/files/mp3";

        // while recording: 409 for those who may see it (once the projection knows them), 404 for a stranger
        Awaitility.await().atMost(WAIT).until(() -> files(participant).get(url).statusCode() == 409);
        assertProblem(files(host).get(url).then().extract(), 409, null);
        assertProblem(files(stranger).get(url).then().extract(), 404, null);

        sessionApi(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        JsonNode completed = await("recording.completed", id).json();
        Path file = livekit.egress().hostPath(completed.path("location").asText());
        assertThat(file).startsWith(recordings);
        byte[] bytes = Files.readAllBytes(file);
        int length = bytes.length;
        assertThat(length).isGreaterThan(10_000);

        // the listing links the file once COMPLETE
        Awaitility.await().atMost(WAIT).until(() -> {
            ExtractableResponse<Response> listed = files(host).get("/api/sessions/" + id + "/recordings/" + rid)
                    .then().extract();
            return listed.statusCode() == 200 && url.equals(listed.jsonPath().getString("outputs[0].downloadUrl"));
        });

        // whole file
        ExtractableResponse<Response> whole = files(participant).get(url).then().extract();
        assertThat(whole.statusCode()).as(whole.headers().toString()).isEqualTo(200);
        assertThat(whole.contentType()).isEqualTo("audio/mpeg");
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(length));
        assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(whole.header("Last-Modified")).endsWith(" GMT");
        assertThat(whole.header("Content-Disposition")).isNull();
        String etag = whole.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(whole.asByteArray()).isEqualTo(bytes);

        // ranges: first-last, first-, -suffix
        assertRange(host, url, "bytes=100-1099", 100, 1099, bytes);
        assertRange(host, url, "bytes=" + (length - 10) + "-", length - 10, length - 1, bytes);
        assertRange(host, url, "bytes=-500", length - 500, length - 1, bytes);
        assertRange(host, url, "bytes=0-" + (length * 2), 0, length - 1, bytes);

        // unsatisfiable and malformed: 416 with the length
        for (String range : List.of("bytes=" + length + "-", "bytes=9-3", "bytes=abc", "bytes=-0")) {
            ExtractableResponse<Response> refused = files(host).header("Range", range).get(url).then().extract();
            assertThat(refused.statusCode()).as(range).isEqualTo(416);
            assertThat(refused.header("Content-Range")).isEqualTo("bytes */" + length);
        }
        // several ranges: the whole file
        ExtractableResponse<Response> several = files(host).header("Range", "bytes=0-1,5-6").get(url).then()
                .extract();
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.asByteArray()).isEqualTo(bytes);

        // HEAD: the same headers, no body
        ExtractableResponse<Response> head = files(participant).head(url).then().extract();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(length));
        assertThat(head.header("ETag")).isEqualTo(etag);
        assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(head.contentType()).isEqualTo("audio/mpeg");
        assertThat(head.asByteArray()).isEmpty();

        // conditional requests
        ExtractableResponse<Response> notModified = files(host).header("If-None-Match", etag).get(url).then()
                .extract();
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(notModified.asByteArray()).isEmpty();
        assertThat(files(host).header("If-None-Match", "\"other\"").get(url).statusCode()).isEqualTo(200);
        assertRange(host, url, "bytes=0-9", 0, 9, bytes, etag);
        ExtractableResponse<Response> changed = files(host).header("Range", "bytes=0-9")
                .header("If-Range", "\"changed\"").get(url).then().extract();
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.asByteArray()).isEqualTo(bytes);

        // download: an attachment named after the slug
        ExtractableResponse<Response> download = files(host).queryParam("download", "1").get(url).then().extract();
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"" + slug + "-" + rid.substring(0, 8) + ".mp3\"");

        // a PRIVATE session's file: not for strangers (404 as if it did not exist)
        assertProblem(files(stranger).get(url).then().extract(), 404, null);
        assertThat(files(stranger).head(url).statusCode()).isEqualTo(404);

        // bad input and what does not exist
        assertProblem(files(host).get("/api/sessions/" + id + "/recordings/" + rid + "/files/wav").then().extract(),
                400, "format");
        assertProblem(files(host).get("/api/sessions/" + id + "/recordings/x/files/mp3").then().extract(), 400, "rid");
        assertProblem(files(host).get("/api/sessions/" + id + "/recordings/" + rid + "/files/mp4").then().extract(),
                404, null);
        assertProblem(files(host).get("/api/sessions/" + id + "/recordings/" + UUID.randomUUID() + "/files/mp3")
                .then().extract(), 404, null);
        given().baseUri(recording.url()).get(url).then().statusCode(401);
    }

    @Test
    void aPublicSessionsFileIsServedToAnyoneSignedInBySlugToo() throws Exception {
        String host = user("host");
        JsonNode created = sessionApi(host).body(Map.of("title", "Open files", "kind", "AUDIO", "visibility",
                "PUBLIC", "settings", Map.of("recordingEnabled", true))).post("/api/sessions").then().statusCode(201)
                .extract().as(JsonNode.class);
        String id = created.path("id").asText();
        sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        String rid = await("recording.started", id).json().path("recordingId").asText();
        sessionApi(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        byte[] bytes = Files.readAllBytes(livekit.egress().hostPath(await("recording.completed", id).json()
                .path("location").asText()));

        String bySlug = "/api/sessions/" + created.path("slug").asText() + "/recordings/" + rid + "/files/MP3";
        Awaitility.await().atMost(WAIT).until(() -> files(user("anyone")).get(bySlug).statusCode() == 200);
        assertThat(files(user("anyone")).get(bySlug).then().extract().asByteArray()).isEqualTo(bytes);
        files(user("anyone")).header("Range", "bytes=1-2").get(bySlug).then().statusCode(206)
                .header("Content-Range", equalTo("bytes 1-2/" + bytes.length));
    }

    private static void assertRange(String user, String url, String range, int first, int last, byte[] bytes) {
        assertRange(user, url, range, first, last, bytes, null);
    }

    private static void assertRange(String user, String url, String range, int first, int last, byte[] bytes,
            String ifRange) {
        RequestSpecification request = files(user).header("Range", range);
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        ExtractableResponse<Response> part = request.get(url).then().extract();
        assertThat(part.statusCode()).as(range).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + bytes.length);
        assertThat(part.header("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
        assertThat(part.contentType()).isEqualTo("audio/mpeg");
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(bytes, first, last + 1));
    }
}
