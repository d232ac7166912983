package io.livestage.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The podcast library as a black box: session-service, token-service and recording-service run as processes on real
 * Kafka and PostgreSQL; LiveKit is the contract stub, whose egress writes real MP3 files into a folder that
 * recording-service reads at another path. Transcript finals are published on livestage.transcript by the test.
 */
class PodcastLibraryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final CloudEventCodec CODEC = new CloudEventCodec();
    @TempDir
    static Path recordings;

    private static RecordingStack stack;
    private static LiveKitStub livekit;
    private static ServiceProcess recording;
    private static EventProbe events;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        stack = RecordingStack.start(recordings, Map.of("LIVESTAGE_RECORDING_RECONCILE_EVERY", "1s"),
                Topics.RECORDING, Topics.PODCAST);
        livekit = stack.livekit();
        recording = stack.recording();
        events = stack.events();
        producer = new KafkaProducer<>(KafkaBroker.shared().clientProperties(), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        stack.close();
    }

    private static RequestSpecification sessionApi(String user) {
        return stack.sessionApi(user);
    }

    private static RequestSpecification api(String user) {
        return stack.recordingApi(user);
    }

    private static RequestSpecification anonymous() {
        return given().baseUri(recording.url());
    }

    private static String user(String role) {
        return RecordingStack.user("pod", role);
    }

    private static void assertProblem(ValidatableResponse response, int status, String field) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (field != null) {
            response.body("field", equalTo(field));
        }
    }

    private static void join(String session, String user) {
        sessionApi(user).body(Map.of("name", "Name of " + user)).post("/api/sessions/" + session + "/join").then()
                .statusCode(200);
    }

    private static void publishFinal(String session, String identity, String name, String utterance, Instant start,
            long millis, String text, boolean isFinal) throws Exception {
        TranscriptSegment segment = new TranscriptSegment(session, identity, name, "stream-" + identity, utterance,
                text, isFinal, start, start.plusMillis(millis), "en", 0.9, List.of());
        CloudEvent<TranscriptSegment> event = new CloudEvent<>(UUID.randomUUID().toString(),
                EventType.TRANSCRIPT_SEGMENT.typeName(), "/livestage/test", session, Instant.now(), 1L, null, null,
                segment);
        producer.send(CODEC.encode(Topics.TRANSCRIPT, event)).get();
    }

    private static ReceivedEvent await(String type, String subject) {
        ReceivedEvent event = events.await(e -> type.equals(e.type()) && subject.equals(e.subject()), WAIT);
        EventContract.assertValid(event);
        return event;
    }

    /** A WebVTT cue of a segment starting at {@code at}, timed from the recording's start {@code zero}. */
    private static String cue(int n, Instant at, long millis, Instant zero, String text) {
        long start = Duration.between(zero, at).toMillis();
        return "\n" + n + "\n" + clock(start) + " --> " + clock(start + millis) + "\n" + text + "\n";
    }

    private static String clock(long millis) {
        assertThat(millis).as("a cue within the recording").isNotNegative();
        return "%02d:%02d:%02d.%03d".formatted(millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millis % 1000);
    }

    @Test
    void aCompletedRecordingBecomesADraftEpisodeThatItsHostEditsPublishesAndUnpublishes() throws Exception {
        String host = user("host");
        String cohost = user("cohost");
        String guest = user("guest");
        String stranger = user("stranger");
        String id = sessionApi(host).body(Map.of("title", "Friday Show", "description", "We talk shop.",
                "kind", "AUDIO", "visibility", "PUBLIC", "settings", Map.of("recordingEnabled", true))).post(
                        "/api/sessions").then().statusCode(201).extract().path("id");
        sessionApi(host).post("/api/sessions/" + id + "/start").then().statusCode(200);
        ReceivedEvent started = events.await(e -> "recording.started".equals(e.type()) && id.equals(e.subject()),
                WAIT);
        Instant recordingStart = Instant.parse(started.json().path("startedAt").asText());

        // speakers brought on stage: a cohost (role change) and a guest (guest.approved)
        join(id, cohost);
        sessionApi(host).body(Map.of("role", "COHOST")).post("/api/sessions/" + id + "/participants/" + cohost
                + "/role").then().statusCode(200);
        join(id, guest);
        ExtractableResponse<Response> hand = sessionApi(guest).post("/api/sessions/" + id + "/stage-requests").then()
                .statusCode(200).extract();
        if ("PENDING".equals(hand.path("status"))) {
            sessionApi(host).post("/api/sessions/" + id + "/stage-requests/" + hand.path("id") + "/approve").then()
                    .statusCode(200);
        }
        // a marker by the host, once the projection knows the session is live; only hosts and cohosts set them
        Awaitility.await().atMost(WAIT).until(() -> api(host).body(Map.of("title", "Q&A"))
                .post("/api/sessions/" + id + "/chapters/markers").statusCode() == 201);
        assertProblem(api(host).body(Map.of("title", " ")).post("/api/sessions/" + id + "/chapters/markers").then(),
                400, "title");
        assertProblem(api(stranger).body(Map.of("title", "Mine")).post("/api/sessions/" + id + "/chapters/markers")
                .then(), 403, null);

        // transcript finals (a partial and a redelivered final change nothing)
        String alice = "Alice Host";
        publishFinal(id, host, alice, "u1", recordingStart.plusMillis(500), 1_000, "Welcome to the show", true);
        publishFinal(id, host, alice, "u1", recordingStart.plusMillis(500), 1_000, "Welcome to the show", true);
        publishFinal(id, guest, "Bob Guest", "u2", recordingStart.plusMillis(1_600), 400, "Half a thou", false);
        publishFinal(id, guest, "Bob Guest", "u2", recordingStart.plusMillis(1_600), 400, "Thanks <for> having me",
                true);
        // the recording lasts 3 s at least, so every final lies within it
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), recordingStart.plusSeconds(3)).toMillis()));

        sessionApi(host).post("/api/sessions/" + id + "/end").then().statusCode(200);
        JsonNode completed = events.await(e -> "recording.completed".equals(e.type()) && id.equals(e.subject())
                && "MP3".equals(e.json().path("format").asText()), WAIT).json();
        Path file = livekit.egress().hostPath(completed.path("location").asText());
        Instant fileStart = Instant.parse(completed.path("startedAt").asText());

        // the draft episode, in the host's library
        Awaitility.await().atMost(WAIT).until(() -> api(host).get("/api/me/episodes").then().statusCode(200)
                .extract().jsonPath().getList("id").size() == 1);
        JsonNode draft = api(host).get("/api/me/episodes").then().extract().as(JsonNode.class).get(0);
        String episode = draft.path("id").asText();
        assertThat(draft.path("status").asText()).isEqualTo("DRAFT");
        assertThat(draft.path("title").asText()).isEqualTo("Friday Show");
        assertThat(draft.path("description").asText()).isEqualTo("We talk shop.");
        assertThat(draft.path("recordingId").asText()).isEqualTo(completed.path("recordingId").asText());
        assertThat(draft.path("mediaBytes").asLong()).isEqualTo(Files.size(file)).isPositive();
        assertThat(draft.path("durationMillis").asLong()).isEqualTo(completed.path("durationMillis").asLong());
        List<String> titles = draft.path("chapters").findValuesAsText("title");
        assertThat(titles).containsExactly("Friday Show", "Name of " + cohost, "Name of " + guest, "Q&A");
        assertThat(draft.path("chapters").get(0).path("startTime").asDouble()).isZero();
        List<Double> starts = draft.path("chapters").findValues("startTime").stream().map(JsonNode::asDouble)
                .toList();
        assertThat(starts).isSorted();
        assertProblem(anonymous().get("/podcast/episodes/" + episode + ".mp3").then(), 404, null);

        // a final that arrives after the recording ended is still in the transcript
        publishFinal(id, cohost, "Carol Cohost", "u3", recordingStart.plusMillis(2_200), 300, "Late but here", true);

        // read and authz: cohosts read but do not change; strangers see nothing; unknown ids are 404
        api(cohost).get("/api/episodes/" + episode).then().statusCode(200).body("id", equalTo(episode));
        assertProblem(api(stranger).get("/api/episodes/" + episode).then(), 404, null);
        assertProblem(api(cohost).body(Map.of("title", "Hijacked")).patch("/api/episodes/" + episode).then(), 403,
                null);
        assertProblem(api(host).get("/api/episodes/" + UUID.randomUUID()).then(), 404, null);
        assertProblem(api(host).post("/api/episodes/not-an-id/publish").then(), 404, null);

        // edits: bad input names the field and changes nothing
        assertProblem(api(host).body(Map.of("episodeType", "special")).patch("/api/episodes/" + episode).then(),
                400, "episodeType");
        assertProblem(api(host).body(Map.of("season", 0)).patch("/api/episodes/" + episode).then(), 400, "season");
        assertProblem(api(host).body(Map.of("title", "Kept?", "space", "Not A Slug"))
                .patch("/api/episodes/" + episode).then(), 400, "space");
        api(host).body(Map.of("title", "Episode 1: shop talk", "tags", List.of("shop", "talk"), "season", 1,
                "episodeNumber", 1, "episodeType", "full", "explicit", false, "space", "indie-makers"))
                .patch("/api/episodes/" + episode).then().statusCode(200)
                .body("title", equalTo("Episode 1: shop talk")).body("tags[1]", equalTo("talk"))
                .body("space", equalTo("indie-makers")).body("season", equalTo(1)).body("status", equalTo("DRAFT"));
        assertProblem(api(host).body(Map.of("chapters", List.of(Map.of("startTime", 2, "title", "b"),
                Map.of("startTime", 1, "title", "a")))).put("/api/episodes/" + episode + "/chapters").then(), 400,
                "chapters[1].startTime");
        api(host).body(Map.of("chapters", List.of(Map.of("startTime", 0, "title", "Intro"),
                Map.of("startTime", 1.5, "title", "Guests")))).put("/api/episodes/" + episode + "/chapters").then()
                .statusCode(200).body("chapters[1].title", equalTo("Guests"));

        // publishing: host only, podcast.published on Kafka
        assertProblem(api(cohost).post("/api/episodes/" + episode + "/publish").then(), 403, null);
        api(host).post("/api/episodes/" + episode + "/publish").then().statusCode(200)
                .body("status", equalTo("PUBLISHED"));
        assertProblem(api(host).post("/api/episodes/" + episode + "/publish").then(), 409, null);
        JsonNode published = await("podcast.published", episode).json();
        JsonNode told = api(host).get("/api/me/notifications").then().statusCode(200).extract().as(JsonNode.class);
        assertThat(told.path("items")).filteredOn(n -> "podcast.published".equals(n.path("kind").asText()))
                .singleElement().satisfies(n -> {
                    assertThat(n.path("text").asText()).isEqualTo("Episode published: Episode 1: shop talk");
                    assertThat(n.path("episodeId").asText()).isEqualTo(episode);
                    assertThat(n.path("link").asText()).isEqualTo("/api/episodes/" + episode);
                });
        assertThat(published.path("sessionId").asText()).isEqualTo(id);
        assertThat(published.path("title").asText()).isEqualTo("Episode 1: shop talk");
        assertThat(published.path("mediaBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(published.path("space").asText()).isEqualTo("indie-makers");
        api(stranger).get("/api/episodes/" + episode).then().statusCode(200);

        // the public files
        ExtractableResponse<Response> mp3 = anonymous().get("/podcast/episodes/" + episode + ".mp3").then()
                .statusCode(200).extract();
        assertThat(mp3.contentType()).isEqualTo("audio/mpeg");
        assertThat(mp3.header("Content-Length")).isEqualTo(String.valueOf(Files.size(file)));
        assertThat(mp3.asByteArray()).isEqualTo(Files.readAllBytes(file));
        // podcast apps (and Apple's checks) fetch the enclosure by byte ranges
        byte[] whole = Files.readAllBytes(file);
        ExtractableResponse<Response> slice = anonymous().header("Range", "bytes=100-1123")
                .get("/podcast/episodes/" + episode + ".mp3").then().statusCode(206).extract();
        assertThat(slice.header("Content-Range")).isEqualTo("bytes 100-1123/" + whole.length);
        assertThat(slice.asByteArray()).isEqualTo(Arrays.copyOfRange(whole, 100, 1124));
        anonymous().header("If-None-Match", mp3.header("ETag")).get("/podcast/episodes/" + episode + ".mp3").then()
                .statusCode(304);
        anonymous().head("/podcast/episodes/" + episode + ".mp3").then().statusCode(200)
                .header("Content-Length", String.valueOf(whole.length)).header("Accept-Ranges", "bytes");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(anonymous()
                .get("/podcast/episodes/" + episode + "/transcript.vtt").then().statusCode(200)
                .contentType("text/vtt").extract().asString()).isEqualTo("WEBVTT\n"
                        + cue(1, recordingStart.plusMillis(500), 1_000, fileStart, "<v Alice Host>Welcome to the show")
                        + cue(2, recordingStart.plusMillis(1_600), 400, fileStart,
                                "<v Bob Guest>Thanks &lt;for> having me")
                        + cue(3, recordingStart.plusMillis(2_200), 300, fileStart, "<v Carol Cohost>Late but here")));
        ExtractableResponse<Response> chapters = anonymous().get("/podcast/episodes/" + episode + "/chapters.json")
                .then().statusCode(200).extract();
        assertThat(chapters.contentType()).startsWith("application/json+chapters");
        assertThat(chapters.asString()).isEqualTo("{\"version\":\"1.2.0\",\"chapters\":[{\"startTime\":0.0,"
                + "\"title\":\"Intro\"},{\"startTime\":1.5,\"title\":\"Guests\"}]}");

        // the host's RSS feed lists it: enclosure with the exact length, transcript and chapters
        String feed = anonymous().get("/podcast/feeds/hosts/" + host + ".xml").then().statusCode(200).extract()
                .asString();
        assertThat(feed).contains("<guid isPermaLink=\"false\">" + episode + "</guid>")
                .contains("Episode 1: shop talk").contains("/podcast/episodes/" + episode + ".mp3")
                .contains("length=\"" + whole.length + "\"").contains("/podcast/episodes/" + episode + "/transcript.vtt")
                .contains("/podcast/episodes/" + episode + "/chapters.json");

        // unpublishing: podcast.unpublished, the files are gone from the public; deleting it then announces nothing
        assertProblem(api(cohost).post("/api/episodes/" + episode + "/unpublish").then(), 403, null);
        api(host).post("/api/episodes/" + episode + "/unpublish").then().statusCode(200)
                .body("status", equalTo("UNPUBLISHED"));
        JsonNode unpublished = await("podcast.unpublished", episode).json();
        assertThat(unpublished.path("reason").asText()).isEqualTo("UNPUBLISHED");
        assertProblem(anonymous().get("/podcast/episodes/" + episode + ".mp3").then(), 404, null);
        assertProblem(anonymous().get("/podcast/episodes/" + episode + "/chapters.json").then(), 404, null);
        ExtractableResponse<Response> after = anonymous().get("/podcast/feeds/hosts/" + host + ".xml").then()
                .extract();
        assertThat(after.statusCode()).isIn(200, 404);
        assertThat(after.asString()).as("gone from the feed").doesNotContain(episode);
        assertProblem(api(cohost).delete("/api/episodes/" + episode).then(), 403, null);
        api(host).delete("/api/episodes/" + episode).then().statusCode(204);
        assertProblem(api(host).get("/api/episodes/" + episode).then(), 404, null);
        events.assertNone(e -> "podcast.unpublished".equals(e.type()) && episode.equals(e.subject())
                && "DELETED".equals(e.json().path("reason").asText()), Duration.ofSeconds(1));
    }
}
