package io.livestage.testing.gladia;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The Gladia contract stub against a real WebSocket client (OkHttp's): init and its refusals, both audio framings,
 * acknowledgements, scripted transcripts with byte-derived times, messages_config, stop_recording, drops and
 * reconnects with resend, violations, parallel sessions.
 */
class GladiaStubTest {

    /** 100 ms of 16 kHz mono PCM16. */
    static final int CHUNK = 3200;
    /** Upper bound of every wait (they end as soon as the condition holds); generous for a loaded CI machine. */
    static final Duration WAIT = Duration.ofSeconds(20);

    static GladiaStub gladia;
    boolean violationsExpected;

    @BeforeAll
    static void start() {
        gladia = GladiaStub.start();
    }

    @AfterAll
    static void stop() {
        gladia.close();
    }

    @AfterEach
    void check() {
        try {
            if (!violationsExpected) {
                gladia.assertNoViolations();
            }
        } finally {
            gladia.reset();
        }
    }

    static byte[] chunk(int index) {
        byte[] bytes = new byte[CHUNK];
        new Random(index).nextBytes(bytes);
        return bytes;
    }

    static byte[] chunks(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.writeBytes(chunk(i));
        }
        return out.toByteArray();
    }

    /** A PCM 16 kHz mono init body with the given switches. */
    static ObjectNode config(boolean partials, boolean finals, boolean speech, boolean acks, boolean lifecycle) {
        ObjectNode body = GladiaTestClient.JSON.createObjectNode();
        body.put("encoding", "wav/pcm").put("bit_depth", 16).put("sample_rate", 16000).put("channels", 1);
        body.putObject("language_config").put("code_switching", false).putArray("languages").add("fr");
        body.putObject("messages_config")
                .put("receive_partial_transcripts", partials)
                .put("receive_final_transcripts", finals)
                .put("receive_speech_events", speech)
                .put("receive_acknowledgments", acks)
                .put("receive_errors", true)
                .put("receive_lifecycle_events", lifecycle);
        body.put("endpointing", 0.3);
        return body;
    }

    static ObjectNode config() {
        return config(true, true, true, true, false);
    }

    static ObjectNode speaker(ObjectNode body, String participant) {
        body.putObject("custom_metadata").put("participant", participant).put("session", "s-1");
        return body;
    }

    static String type(JsonNode message) {
        return message.path("type").asText();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Init

    @Test
    void initAnswers201WithAWebSocketUrlAndRecordsTheBody() throws Exception {
        ObjectNode body = speaker(config(), "p-1");
        GladiaTestClient.Answer answer = GladiaTestClient.init(gladia, body.toString());

        assertThat(answer.status()).isEqualTo(201);
        String id = answer.body().path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(Instant.parse(answer.body().path("created_at").asText())).isCloseTo(Instant.now(),
                within(10, ChronoUnit.SECONDS));
        assertThat(answer.body().path("url").asText())
                .matches("ws://127\\.0\\.0\\.1:" + gladia.port() + "/v2/live\\?token=[0-9a-f]{36}");
        assertThat(gladia.baseUrl()).isEqualTo("http://127.0.0.1:" + gladia.port());

        GladiaSession session = gladia.session(id);
        assertThat(session.initBody()).isEqualTo(body);
        assertThat(session.customMetadata("participant")).isEqualTo("p-1");
        assertThat(session.format().bytesPerSecond()).isEqualTo(32000);
        assertThat(session.language()).isEqualTo("fr");
        assertThat(session.messagesConfig().partialTranscripts()).isTrue();
        assertThat(session.connections()).isZero();
        assertThat(gladia.sessions()).containsExactly(session);

        // all optional: an empty object takes Gladia's defaults (PCM16 16 kHz mono, finals, speech events, acks)
        GladiaTestClient.Answer defaults = GladiaTestClient.init(gladia, "{}");
        assertThat(defaults.status()).isEqualTo(201);
        GladiaSession plain = gladia.session(defaults.body().path("id").asText());
        assertThat(plain.format()).isEqualTo(new GladiaSession.AudioFormat("wav/pcm", 16, 16000, 1));
        assertThat(plain.messagesConfig()).isEqualTo(
                new GladiaSession.MessagesConfig(false, true, true, true, true, true, true, true, false));
        assertThat(plain.language()).isEqualTo("en");
        assertThat(gladia.rejections()).isEmpty();
    }

    @Test
    void aMissingOrWrongKeyIs401() throws Exception {
        GladiaTestClient.Answer missing = GladiaTestClient.init(gladia, null, "application/json", "{}");
        GladiaTestClient.Answer wrong = GladiaTestClient.init(gladia, "not-the-key", "application/json", "{}");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body().path("statusCode").asInt()).isEqualTo(401);
        assertThat(missing.body().path("message").asText()).contains("x-gladia-key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().path("message").asText()).isEqualTo("Invalid API key");
        // 401 wins over a body that would be refused
        assertThat(GladiaTestClient.init(gladia, "nope", "application/json", "{not json").status()).isEqualTo(401);
        assertThat(gladia.sessions()).isEmpty();
        assertThat(gladia.rejections()).extracting(Rejection::status).containsExactly(401, 401, 401);
    }

    @Test
    void failNextInitsAnswersTheNextCallsWithTheStatusThenInitsAsUsual() throws Exception {
        gladia.failNextInits(2, 503);
        GladiaTestClient.Answer first = GladiaTestClient.init(gladia, "{}");
        GladiaTestClient.Answer second = GladiaTestClient.init(gladia, "not-the-key", "application/json", "{}");
        GladiaTestClient.Answer third = GladiaTestClient.init(gladia, "{}");

        assertThat(first.status()).isEqualTo(503);
        assertThat(first.body().path("statusCode").asInt()).isEqualTo(503);
        assertThat(first.body().path("message").asText()).startsWith("Service Unavailable");
        assertThat(second.status()).as("before the key is looked at").isEqualTo(503);
        assertThat(third.status()).isEqualTo(201);
        assertThat(gladia.sessions()).hasSize(1);

        gladia.failNextInits(1, 401);
        GladiaTestClient.Answer refused = GladiaTestClient.init(gladia, "{}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("message").asText()).isEqualTo("Invalid API key");
        assertThat(GladiaTestClient.init(gladia, "{}").status()).isEqualTo(201);
        assertThat(gladia.rejections()).extracting(Rejection::status).containsExactly(503, 503, 401);
        assertThatThrownBy(() -> gladia.failNextInits(1, 302)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedOrUnsupportedBodiesAre400() throws Exception {
        record Case(String body, String expected) {
        }
        List<Case> cases = List.of(
                new Case("{not json", "not valid JSON"),
                new Case("[]", "must be a JSON object"),
                new Case("{\"sample_rate\":22050}", "sample_rate must be one of"),
                new Case("{\"bit_depth\":\"16\"}", "bit_depth must be one of"),
                new Case("{\"encoding\":\"opus\"}", "encoding must be one of"),
                new Case("{\"encoding\":\"wav/ulaw\",\"bit_depth\":16}", "bit_depth must be 8"),
                new Case("{\"channels\":9}", "channels must be an integer from 1 to 8"),
                new Case("{\"endpointing\":20}", "endpointing must be a number"),
                new Case("{\"language_config\":{\"languages\":\"en\"}}", "languages must be an array"),
                new Case("{\"messages_config\":{\"receive_acknowledgements\":true}}",
                        "messages_config.property receive_acknowledgements should not exist"),
                new Case("{\"messages_config\":{\"receive_partial_transcripts\":\"yes\"}}", "must be a boolean"),
                new Case("{\"speaker\":\"p-1\"}", "property speaker should not exist"),
                new Case("{\"callback\":true}", "callback_config.url is required"));
        for (Case c : cases) {
            GladiaTestClient.Answer answer = GladiaTestClient.init(gladia, c.body());
            assertThat(answer.status()).as(c.body()).isEqualTo(400);
            assertThat(answer.body().path("statusCode").asInt()).isEqualTo(400);
            assertThat(answer.body().path("message").asText()).as(c.body()).contains(c.expected());
        }
        GladiaTestClient.Answer textPlain = GladiaTestClient.init(gladia, gladia.apiKey(), "text/plain", "{}");
        assertThat(textPlain.status()).isEqualTo(400);
        assertThat(gladia.sessions()).isEmpty();
        assertThat(gladia.rejections()).hasSize(cases.size() + 1).allMatch(r -> r.status() == 400);
    }

    @Test
    void anUnknownTokenIsRefusedAtTheUpgradeWith401() throws Exception {
        GladiaTestClient unknown = new GladiaTestClient("none", "ws://127.0.0.1:" + gladia.port()
                + "/v2/live?token=nope");
        assertThatThrownBy(unknown::connect).isInstanceOf(GladiaTestClient.HandshakeRefused.class)
                .satisfies(e -> assertThat(((GladiaTestClient.HandshakeRefused) e).status).isEqualTo(401));
        assertThat(gladia.rejections()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.message()).isEqualTo("Invalid or expired token");
        });
        assertThat(GladiaTestClient.HTTP.send(HttpRequest.newBuilder(
                URI.create(gladia.baseUrl() + "/v2/other")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Audio and acknowledgements

    @Test
    void binaryAndJsonChunksAreBothCountedAndAcknowledgedWithCumulativeRanges() throws Exception {
        ConcurrentLinkedQueue<long[]> audioEvents = new ConcurrentLinkedQueue<>();
        gladia.onAudio((sessionId, offset, length, nanos) -> audioEvents.add(new long[] {offset, length, nanos}));
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            client.sendBinary(chunk(0));
            client.sendJsonChunk(chunk(1));
            client.sendBinary(chunk(2));
            client.sendJsonChunk(chunk(3));
            client.sendBinary(chunk(4));
            client.awaitAckedEnd(5 * CHUNK);

            GladiaSession session = gladia.session(client.sessionId);
            assertThat(session.receivedBytes()).isEqualTo(5 * CHUNK);
            assertThat(session.binaryChunks()).isEqualTo(3);
            assertThat(session.jsonChunks()).isEqualTo(2);
            assertThat(session.audio()).isEqualTo(chunks(0, 5));
            assertThat(session.connections()).isEqualTo(1);
            assertThat(session.acknowledgedBytes()).isEqualTo(5 * CHUNK);

            List<JsonNode> acks = client.messages("audio_chunk");
            assertThat(acks).hasSize(5);
            for (int i = 0; i < 5; i++) {
                JsonNode ack = acks.get(i);
                assertThat(ack.path("session_id").asText()).isEqualTo(client.sessionId);
                assertThat(Instant.parse(ack.path("created_at").asText())).isNotNull();
                assertThat(ack.path("acknowledged").asBoolean()).isTrue();
                assertThat(ack.get("error").isNull()).isTrue();
                assertThat(ack.path("data").path("byte_range").get(0).asLong()).isEqualTo((long) i * CHUNK);
                assertThat(ack.path("data").path("byte_range").get(1).asLong()).isEqualTo((long) (i + 1) * CHUNK);
                assertThat(ack.path("data").path("time_range").get(0).asDouble()).isEqualTo(i * 0.1, within(1e-9));
                assertThat(ack.path("data").path("time_range").get(1).asDouble()).isEqualTo((i + 1) * 0.1,
                        within(1e-9));
            }
            assertThat(audioEvents).extracting(e -> e[0]).containsExactly(0L, 3200L, 6400L, 9600L, 12800L);
            assertThat(audioEvents).allMatch(e -> e[1] == CHUNK && e[2] > 0);
        }
    }

    @Test
    void ackCadenceNLeavesUnacknowledgedBytesBetweenAcks() throws Exception {
        gladia.ackEvery(3);
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            for (int i = 0; i < 7; i++) {
                client.sendBinary(chunk(i));
            }
            GladiaSession session = gladia.session(client.sessionId)
                    .await(s -> s.receivedBytes() == 7 * CHUNK, WAIT);
            client.awaitAckedEnd(6 * CHUNK);

            List<JsonNode> acks = client.messages("audio_chunk");
            assertThat(acks).extracting(a -> a.path("data").path("byte_range").toString())
                    .containsExactly("[0,9600]", "[9600,19200]");
            assertThat(acks).extracting(a -> a.path("data").path("time_range").toString())
                    .containsExactly("[0.0,0.3]", "[0.3,0.6]");
            assertThat(session.acknowledgedBytes()).isEqualTo(6 * CHUNK);
            assertThat(session.receivedBytes() - session.acknowledgedBytes()).isEqualTo(CHUNK);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Transcripts

    @Test
    void eachUtteranceIsSpeechStartPartialFinalSpeechEndWithScriptTextsAndByteTimes() throws Exception {
        gladia.script("hello brave new world", "second sentence here");
        ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();
        gladia.onTranscript((sessionId, utteranceId, isFinal, text, nanos) ->
                heard.add(utteranceId + (isFinal ? " final " : " partial ") + text));
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            for (int i = 0; i < 20; i++) { // 2 s of audio, as fast as possible: times come from the bytes
                client.sendBinary(chunk(i));
            }
            client.awaitMessage(m -> type(m).equals("speech_end") && m.path("data").path("time").asDouble() == 2.0);

            assertThat(client.typesWithoutAcks()).containsExactly(
                    "speech_start", "transcript", "transcript", "speech_end",
                    "speech_start", "transcript", "transcript", "speech_end");
            List<JsonNode> transcripts = client.messages("transcript");
            JsonNode partial = transcripts.get(0).path("data");
            JsonNode fin = transcripts.get(1).path("data");
            assertThat(partial.path("id").asText()).isEqualTo("00_00000000").isEqualTo(fin.path("id").asText());
            assertThat(partial.path("is_final").asBoolean()).isFalse();
            assertThat(partial.path("utterance").path("text").asText()).isEqualTo("hello brave");
            assertThat(partial.path("utterance").path("start").asDouble()).isEqualTo(0.0);
            assertThat(partial.path("utterance").path("end").asDouble()).isEqualTo(0.5);
            assertThat(fin.path("is_final").asBoolean()).isTrue();
            JsonNode utterance = fin.path("utterance");
            assertThat(utterance.path("text").asText()).isEqualTo("hello brave new world");
            assertThat(utterance.path("start").asDouble()).isEqualTo(0.0);
            assertThat(utterance.path("end").asDouble()).isEqualTo(1.0);
            assertThat(utterance.path("language").asText()).isEqualTo("fr");
            assertThat(utterance.path("channel").asInt()).isZero();
            assertThat(utterance.path("confidence").asDouble()).isBetween(0.0, 1.0);
            assertThat(utterance.path("words")).extracting(w -> w.path("word").asText())
                    .containsExactly("hello", "brave", "new", "world");
            assertThat(utterance.path("words")).extracting(w -> w.path("start").asDouble())
                    .containsExactly(0.0, 0.25, 0.5, 0.75);
            assertThat(utterance.path("words").get(3).path("end").asDouble()).isEqualTo(1.0);

            JsonNode second = transcripts.get(3).path("data");
            assertThat(transcripts.get(2).path("data").path("id").asText()).isEqualTo("00_00000001");
            assertThat(second.path("id").asText()).isEqualTo("00_00000001");
            assertThat(second.path("utterance").path("text").asText()).isEqualTo("second sentence here");
            assertThat(second.path("utterance").path("start").asDouble()).isEqualTo(1.0);
            assertThat(second.path("utterance").path("end").asDouble()).isEqualTo(2.0);

            List<JsonNode> speech = new ArrayList<>(client.messages("speech_start"));
            speech.addAll(client.messages("speech_end"));
            assertThat(speech).extracting(m -> m.path("data").path("time").asDouble())
                    .containsExactly(0.0, 1.0, 1.0, 2.0);
            assertThat(speech).allMatch(m -> m.path("data").path("channel").asInt() == 0);

            // the final of an utterance comes after the audio that ends it, never before
            GladiaSession session = gladia.session(client.sessionId);
            for (Transcript transcript : session.transcripts()) {
                assertThat(transcript.endByte()).isEqualTo(Math.round(transcript.end() * 32000));
            }
            assertThat(session.finalTexts()).containsExactly("hello brave new world", "second sentence here");
            assertThat(heard).containsExactly("00_00000000 partial hello brave",
                    "00_00000000 final hello brave new world", "00_00000001 partial second sentence",
                    "00_00000001 final second sentence here");
        }
    }

    @Test
    void aScriptCanBeChosenByCustomMetadataAndTheDefaultNumbersUtterances() throws Exception {
        gladia.scriptFor("participant", "p-1", List.of("one speaks"))
                .scriptFor("participant", "p-2", List.of("two a", "two b"));
        try (GladiaTestClient one = GladiaTestClient.open(gladia, speaker(config(), "p-1").toString());
                GladiaTestClient two = GladiaTestClient.open(gladia, speaker(config(), "p-2").toString());
                GladiaTestClient three = GladiaTestClient.open(gladia, speaker(config(), "p-3").toString())) {
            for (GladiaTestClient client : List.of(one, two, three)) {
                for (int i = 0; i < 20; i++) {
                    client.sendBinary(chunk(i));
                }
            }
            for (GladiaTestClient client : List.of(one, two, three)) {
                gladia.session(client.sessionId).await(s -> s.finals().size() == 2, WAIT);
            }
            assertThat(gladia.session(one.sessionId).finalTexts()).containsExactly("one speaks", "one speaks");
            assertThat(gladia.session(two.sessionId).finalTexts()).containsExactly("two a", "two b");
            assertThat(gladia.session(three.sessionId).finalTexts()).containsExactly("utterance 1", "utterance 2");
            assertThat(gladia.awaitSession(s -> "p-2".equals(s.customMetadata("participant")), WAIT).id())
                    .isEqualTo(two.sessionId);
        }
    }

    @Test
    void onlyWhatMessagesConfigAsksForIsSent() throws Exception {
        try (GladiaTestClient finalsAndLifecycle = GladiaTestClient.open(gladia,
                config(false, true, false, false, true).toString());
                GladiaTestClient partialsOnly = GladiaTestClient.open(gladia,
                        config(true, false, false, false, false).toString())) {
            for (GladiaTestClient client : List.of(finalsAndLifecycle, partialsOnly)) {
                for (int i = 0; i < 15; i++) {
                    client.sendBinary(chunk(i));
                }
                client.stopRecording();
                assertThat(client.awaitClose()).isEqualTo(1000);
            }
            assertThat(finalsAndLifecycle.typesWithoutAcks()).containsExactly("start_session", "start_recording",
                    "transcript", "transcript", "end_recording", "end_session");
            assertThat(finalsAndLifecycle.messages("transcript")).allMatch(m -> m.path("data").path("is_final")
                    .asBoolean());
            assertThat(finalsAndLifecycle.messages("end_recording").get(0).path("data").path("recording_duration")
                    .asDouble()).isEqualTo(1.5);
            assertThat(finalsAndLifecycle.messages()).noneMatch(m -> m.has("acknowledged"));
            // the trailing half utterance gets a final, but no partial is made for it at stop
            assertThat(partialsOnly.typesWithoutAcks()).containsExactly("transcript", "transcript");
            assertThat(partialsOnly.messages("transcript")).noneMatch(m -> m.path("data").path("is_final")
                    .asBoolean());
            assertThat(partialsOnly.messages("transcript")).extracting(m -> m.path("data").path("id").asText())
                    .containsExactly("00_00000000", "00_00000001");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Stop and close

    @Test
    void stopRecordingIsAcknowledgedThenTheTrailingFinalThenClose1000() throws Exception {
        try (GladiaTestClient client = GladiaTestClient.open(gladia,
                config(false, true, true, true, false).toString())) {
            for (int i = 0; i < 15; i++) {
                client.sendBinary(chunk(i));
            }
            client.stopRecording();

            assertThat(client.awaitClose()).isEqualTo(1000);
            List<JsonNode> messages = client.messages();
            List<String> tail = messages.subList(messages.size() - 3, messages.size()).stream()
                    .map(GladiaStubTest::type).toList();
            assertThat(tail).containsExactly("stop_recording", "transcript", "speech_end");
            JsonNode stopAck = client.messages("stop_recording").get(0);
            assertThat(stopAck.path("acknowledged").asBoolean()).isTrue();
            assertThat(stopAck.path("data").path("recording_duration").asDouble()).isEqualTo(1.5);
            assertThat(stopAck.path("data").path("recording_left_to_process").asDouble()).isZero();
            JsonNode trailing = client.messages("transcript").get(1).path("data");
            assertThat(trailing.path("id").asText()).isEqualTo("00_00000001");
            assertThat(trailing.path("is_final").asBoolean()).isTrue();
            assertThat(trailing.path("utterance").path("text").asText()).isEqualTo("utterance 2");
            assertThat(trailing.path("utterance").path("start").asDouble()).isEqualTo(1.0);
            assertThat(trailing.path("utterance").path("end").asDouble()).isEqualTo(1.5);

            GladiaSession session = gladia.session(client.sessionId).await(GladiaSession::ended, WAIT);
            assertThat(session.stopReceived()).isTrue();
            assertThat(session.endedBy()).isEqualTo("stop_recording");
            assertThat(session.closeCodes()).containsExactly(1000);
            assertThat(session.receivedBytes()).isEqualTo(15 * CHUNK);

            // the session is over: its URL is refused
            assertThatThrownBy(client::connect).isInstanceOf(GladiaTestClient.HandshakeRefused.class);
            assertThat(gladia.rejections()).singleElement().satisfies(r -> assertThat(r.message()).contains("ended"));
        }
    }

    @Test
    void aClientClose1000EndsTheSessionAndAnotherCodeOnlyTheConnection() throws Exception {
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            client.sendBinary(chunk(0));
            client.awaitAckedEnd(CHUNK);
            client.sendClose(4500, "resume later");
            assertThat(client.awaitClose()).isEqualTo(4500);
            GladiaSession session = gladia.session(client.sessionId).await(s -> !s.connected(), WAIT);
            assertThat(session.ended()).isFalse();

            client.connect();
            client.sendBinary(chunk(1));
            client.awaitAckedEnd(2 * CHUNK);
            client.sendClose(1000, "");
            assertThat(client.awaitClose()).isEqualTo(1000);
            session.await(GladiaSession::ended, WAIT);
            assertThat(session.endedBy()).isEqualTo("client close 1000");
            assertThat(session.connectionEnds()).extracting(ConnectionEnd::code, ConnectionEnd::endedBy)
                    .containsExactly(Tuple.tuple(4500, "client"),
                            Tuple.tuple(1000, "client"));
            assertThat(session.receivedBytes()).isEqualTo(2 * CHUNK);
            assertThat(session.finals()).isEmpty(); // no trailing final on a close: results come by callback / GET
        }
    }

    @Test
    void theStubClosesWithAGivenCodeOnDemandAndTheSessionContinues() throws Exception {
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            client.sendBinary(chunk(0));
            client.awaitAckedEnd(CHUNK);
            gladia.closeConnection(client.sessionId, 1011, "internal error");
            assertThat(client.awaitClose()).isEqualTo(1011);

            client.connect();
            client.sendBinary(chunk(1));
            client.stopRecording();
            assertThat(client.awaitClose()).isEqualTo(1000);
            GladiaSession session = gladia.session(client.sessionId).await(GladiaSession::ended, WAIT);
            assertThat(session.closeCodes()).containsExactly(1011, 1000);
            assertThat(session.connections()).isEqualTo(2);
            assertThat(session.audio()).isEqualTo(chunks(0, 2));
        }
        assertThatThrownBy(() -> gladia.closeConnection("x", 1006, "")).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Drops and reconnects

    @Test
    void afterADropAClientThatResendsTheUnacknowledgedBytesEndsWithExactlyWhatItSent() throws Exception {
        gladia.ackEvery(3);
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            for (int i = 0; i < 8; i++) { // acks after chunks 3 and 6; chunks 7 and 8 are in flight
                client.sendBinary(chunk(i));
            }
            GladiaSession session = gladia.session(client.sessionId)
                    .await(s -> s.receivedBytes() == 8 * CHUNK, WAIT);
            client.awaitAckedEnd(6 * CHUNK);

            gladia.dropConnection(client.sessionId); // mid-utterance (0.8 s of 1 s)
            assertThat(client.awaitClose()).isEqualTo(1006);
            assertThat(session.receivedBytes()).isEqualTo(6 * CHUNK);
            assertThat(session.discardedBytes()).isEqualTo(2 * CHUNK);
            assertThat(session.connectionEnds()).singleElement().satisfies(end -> {
                assertThat(end.code()).isEqualTo(1006);
                assertThat(end.endedBy()).isEqualTo("drop");
                assertThat(end.discardedBytes()).isEqualTo(2 * CHUNK);
            });

            client.connect(); // the same URL
            assertThat(client.resendUnacknowledged()).isEqualTo(2 * CHUNK);
            for (int i = 8; i < 15; i++) {
                client.sendBinary(chunk(i));
            }
            client.stopRecording();
            assertThat(client.awaitClose()).isEqualTo(1000);

            session.await(GladiaSession::ended, WAIT);
            assertThat(session.id()).isEqualTo(client.sessionId);
            assertThat(session.connections()).isEqualTo(2);
            assertThat(session.receivedBytes()).isEqualTo(15 * CHUNK).isEqualTo(client.sentBytes().length);
            assertThat(session.audio()).isEqualTo(client.sentBytes());
            assertThat(session.closeCodes()).containsExactly(1006, 1000);
            // the utterance cut by the drop is transcribed once, continuing the same numbering
            assertThat(session.finals()).extracting(Transcript::utteranceId, Transcript::end)
                    .containsExactly(Tuple.tuple("00_00000000", 1.0),
                            Tuple.tuple("00_00000001", 1.5));
        }
    }

    @Test
    void dropAfterBytesDiscardsTheChunkThatReachesItSoAClientThatResendsNothingEndsShort() throws Exception {
        gladia.dropAfterBytes(5 * CHUNK);
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            for (int i = 0; i < 5; i++) {
                client.sendBinary(chunk(i));
            }
            assertThat(client.awaitClose()).isEqualTo(1006);
            assertThat(client.ackedEnd()).isEqualTo(4 * CHUNK); // the 5th chunk was never acknowledged

            client.connect(); // and resends nothing
            for (int i = 5; i < 10; i++) {
                client.sendBinary(chunk(i));
            }
            client.stopRecording();
            assertThat(client.awaitClose()).isEqualTo(1000);

            GladiaSession session = gladia.session(client.sessionId).await(GladiaSession::ended, WAIT);
            assertThat(session.receivedBytes()).isEqualTo(client.sentBytes().length - CHUNK);
            assertThat(session.discardedBytes()).isEqualTo(CHUNK);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(chunks(0, 4));
            expected.writeBytes(chunks(5, 10));
            assertThat(session.audio()).isEqualTo(expected.toByteArray());
            assertThat(session.binaryChunks()).isEqualTo(10);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Violations and limits

    @Test
    void protocolViolationsAreRecordedAndAnsweredWithErrorMessages() throws Exception {
        violationsExpected = true;
        gladia.stopProcessingDelay(Duration.ofMillis(300));
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            client.sendText("hello");
            client.sendText("{\"type\":\"pause_recording\"}");
            client.sendText("{\"type\":\"audio_chunk\",\"data\":{\"chunk\":\"***\"}}");
            client.sendBinary(chunk(0));
            client.stopRecording();
            client.sendBinary(chunk(1)); // while the stub "processes the remaining audio"
            assertThat(client.awaitClose()).isEqualTo(1000);

            List<JsonNode> errors = client.messages("error");
            assertThat(errors).hasSize(4);
            assertThat(errors).allSatisfy(error -> {
                assertThat(error.path("session_id").asText()).isEqualTo(client.sessionId);
                assertThat(error.path("error").path("status_code").asInt()).isEqualTo(400);
                assertThat(error.path("error").path("message").asText()).isNotBlank();
            });
            GladiaSession session = gladia.session(client.sessionId);
            assertThat(session.violations()).extracting(Violation::description).satisfiesExactly(
                    d -> assertThat(d).startsWith("text message is not JSON"),
                    d -> assertThat(d).startsWith("unknown message type \"pause_recording\""),
                    d -> assertThat(d).startsWith("audio_chunk data.chunk is not base64"),
                    d -> assertThat(d).startsWith("audio chunk (3200 bytes, binary) after stop_recording"));
            assertThat(gladia.violations()).hasSize(4);
            assertThatThrownBy(gladia::assertNoViolations).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("pause_recording");
            assertThat(session.receivedBytes()).isEqualTo(CHUNK);
            assertThat(session.binaryChunks()).isEqualTo(2);
        }
    }

    @Test
    void aFrameOverOneMebibyteIsClosed1009() throws Exception {
        violationsExpected = true;
        try (GladiaTestClient client = GladiaTestClient.open(gladia, config().toString())) {
            client.sendBinary(new byte[GladiaStub.MAX_FRAME_BYTES]); // exactly 1 MiB is fine
            client.awaitAckedEnd(GladiaStub.MAX_FRAME_BYTES);
            client.sendBinary(new byte[GladiaStub.MAX_FRAME_BYTES + 1]);
            assertThat(client.awaitClose()).isEqualTo(1009);
            GladiaSession session = gladia.session(client.sessionId).await(s -> !s.connected(), WAIT);
            assertThat(session.receivedBytes()).isEqualTo(GladiaStub.MAX_FRAME_BYTES);
            assertThat(session.closeCodes()).containsExactly(1009);
            assertThat(session.violations()).singleElement()
                    .satisfies(v -> assertThat(v.description()).contains("1009"));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Concurrency

    @Test
    void manySessionsStreamInParallel() throws Exception {
        int speakers = 12;
        for (int i = 0; i < speakers; i++) {
            gladia.scriptFor("participant", "p-" + i, List.of("speaker " + i + " first", "speaker " + i + " second"));
        }
        gladia.ackEvery(2).retainAudio(false);
        ExecutorService pool = Executors.newFixedThreadPool(speakers);
        try {
            List<CompletableFuture<String>> done = new ArrayList<>();
            for (int i = 0; i < speakers; i++) {
                String participant = "p-" + i;
                done.add(CompletableFuture.supplyAsync(() -> {
                    try (GladiaTestClient client = GladiaTestClient.open(gladia,
                            speaker(config(), participant).toString())) {
                        for (int c = 0; c < 15; c++) {
                            if (c % 2 == 0) {
                                client.sendBinary(chunk(c));
                            } else {
                                client.sendJsonChunk(chunk(c));
                            }
                        }
                        client.stopRecording();
                        if (client.awaitClose() != 1000) {
                            throw new AssertionError("not closed 1000");
                        }
                        return client.sessionId;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            for (int i = 0; i < speakers; i++) {
                GladiaSession session = gladia.session(done.get(i).get()).await(GladiaSession::ended, WAIT);
                assertThat(session.customMetadata("participant")).isEqualTo("p-" + i);
                assertThat(session.receivedBytes()).isEqualTo(15 * CHUNK);
                assertThat(session.binaryChunks()).isEqualTo(8);
                assertThat(session.jsonChunks()).isEqualTo(7);
                assertThat(session.finalTexts()).containsExactly("speaker " + i + " first", "speaker " + i + " second");
                assertThatThrownBy(session::audio).isInstanceOf(IllegalStateException.class);
            }
            assertThat(gladia.sessions()).hasSize(speakers);
        } finally {
            pool.shutdownNow();
        }
    }
}
