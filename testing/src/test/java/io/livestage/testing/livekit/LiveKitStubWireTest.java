package io.livestage.testing.livekit;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomList;
import io.livekit.server.RoomName;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRoom.SendDataRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stub's HTTP surface as a non-SDK client sees it: JSON in both naming styles, errors, routing, tokens. */
class LiveKitStubWireTest {

    private static final String JSON = "application/json";
    private static LiveKitStub livekit;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start("APIkey123", "a-much-longer-secret-than-devs-use");
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    @BeforeEach
    void reset() {
        livekit.reset();
    }

    private static String admin(String room) {
        return Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomAdmin(true), new RoomName(room));
    }

    private static String creator() {
        return Twirp.token(livekit.apiKey(), livekit.apiSecret(), new RoomCreate(true), new RoomList(true));
    }

    @Test
    void urlIsLoopbackWithTheConfiguredKeys() {
        assertThat(livekit.url()).isEqualTo("http://127.0.0.1:" + livekit.port());
        assertThat(livekit.apiKey()).isEqualTo("APIkey123");
        try (LiveKitStub dev = LiveKitStub.start()) {
            assertThat(dev.apiKey()).isEqualTo("devkey");
            assertThat(dev.apiSecret()).isEqualTo("secret");
            assertThat(dev.port()).isNotEqualTo(livekit.port());
        }
    }

    @Test
    void jsonResponsesAreSnakeCaseWithDefaultsLikeLiveKitsTwirpServer() {
        Twirp.Answer answer = Twirp.post(livekit, "CreateRoom", JSON, "{\"name\":\"r1\",\"emptyTimeout\":30}", creator());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        JsonNode room = answer.json();
        assertThat(room.get("name").asText()).isEqualTo("r1");
        assertThat(room.get("empty_timeout").asInt()).isEqualTo(30);
        assertThat(room.get("departure_timeout").asInt()).isEqualTo(20);
        // int64 as strings, defaults emitted, unset messages as null, field order as declared.
        assertThat(room.get("creation_time").isTextual()).isTrue();
        assertThat(Long.parseLong(room.get("creation_time").asText()))
                .isBetween(Instant.now().getEpochSecond() - 5, Instant.now().getEpochSecond());
        assertThat(room.get("num_participants").asInt()).isZero();
        assertThat(room.get("active_recording").asBoolean()).isFalse();
        assertThat(room.get("metadata").asText()).isEmpty();
        assertThat(room.get("version").isNull()).isTrue();
        assertThat(room.get("enabled_codecs").findValuesAsText("mime")).contains("audio/opus", "video/VP8");
        assertThat(room.fieldNames()).toIterable().startsWith("sid", "name", "empty_timeout", "departure_timeout");
        assertThat(room.has("emptyTimeout")).isFalse();
    }

    @Test
    void snakeCaseAndCamelCaseRequestsAreBothUnderstood() {
        livekit.join("r1", "u1", LiveKitStub.microphoneTrack(), LiveKitStub.screenShareTrack());
        livekit.join("r1", "u2");

        Twirp.Answer snake = Twirp.post(livekit, "UpdateParticipant", JSON, """
                {"room":"r1","identity":"u1","metadata":"m1","unknown_field":1,
                 "permission":{"can_publish":true,"can_subscribe":true,"can_publish_sources":["MICROPHONE"]}}""",
                admin("r1"));
        Twirp.Answer camel = Twirp.post(livekit, "UpdateParticipant", JSON, """
                {"room":"r1","identity":"u2","name":"Bob",
                 "permission":{"canPublish":false,"canSubscribe":true,"canPublishData":true}}""", admin("r1"));

        assertThat(snake.status()).isEqualTo(200);
        assertThat(camel.status()).isEqualTo(200);
        JsonNode u1 = snake.json();
        assertThat(u1.get("identity").asText()).isEqualTo("u1");
        assertThat(u1.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(u1.get("joined_at").isTextual()).isTrue();
        assertThat(u1.get("permission").get("can_publish_sources")).hasSize(1);
        assertThat(u1.get("permission").get("can_publish_data").asBoolean()).isFalse();
        assertThat(u1.get("tracks")).hasSize(1);
        assertThat(u1.get("tracks").get(0).get("source").asText()).isEqualTo("MICROPHONE");
        assertThat(u1.get("tracks").get(0).get("type").asText()).isEqualTo("AUDIO");
        assertThat(u1.get("attributes").isObject()).isTrue();
        assertThat(u1.get("is_publisher").asBoolean()).isTrue();
        assertThat(livekit.participant("r1", "u1").orElseThrow().getPermission().getCanPublishSourcesList())
                .containsExactly(TrackSource.MICROPHONE);

        assertThat(camel.json().get("name").asText()).isEqualTo("Bob");
        assertThat(camel.json().get("permission").get("can_publish").asBoolean()).isFalse();
        assertThat(livekit.participant("r1", "u2").orElseThrow().getPermission().getCanPublishData()).isTrue();
        assertThat(livekit.calls("UpdateParticipant")).extracting(call -> call.contentType())
                .containsOnly("application/json");
    }

    @Test
    void sendDataIsRecordedAndTheNonceChecked() {
        livekit.createRoom("r1");
        Twirp.Answer sent = Twirp.post(livekit, "SendData", JSON, """
                {"room":"r1","data":"aGVsbG8=","kind":"RELIABLE","destination_identities":["u1"],"topic":"chat"}""",
                admin("r1"));
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).isEqualTo("{}");
        SendDataRequest request = livekit.calls("SendData").getFirst().request(SendDataRequest.class);
        assertThat(request.getData().toStringUtf8()).isEqualTo("hello");
        assertThat(request.getDestinationIdentitiesList()).containsExactly("u1");

        Twirp.Answer badNonce = Twirp.post(livekit, "SendData", JSON, "{\"room\":\"r1\",\"data\":\"aGk=\",\"nonce\":\"AQI=\"}",
                admin("r1"));
        assertThat(badNonce.status()).isEqualTo(400);
        assertThat(badNonce.json().get("code").asText()).isEqualTo("invalid_argument");
        assertThat(badNonce.json().get("msg").asText()).isEqualTo("nonce should be 16-bytes or not present, got: 2 bytes");
    }

    @Test
    void twirpErrorsForMalformedBodiesAndBadRoutes() {
        Twirp.Answer malformed = Twirp.post(livekit, "CreateRoom", JSON, "{\"name\":", creator());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json()).isEqualTo(Twirp.JSON.createObjectNode().put("code", "malformed")
                .put("msg", "the json request could not be decoded"));
        assertThat(Twirp.post(livekit, "CreateRoom", JSON, "", creator()).status()).isEqualTo(400);

        Twirp.Answer unknownMethod = Twirp.post(livekit, "Teleport", JSON, "{}", creator());
        assertThat(unknownMethod.status()).isEqualTo(404);
        assertThat(unknownMethod.json().get("code").asText()).isEqualTo("bad_route");
        assertThat(unknownMethod.json().get("meta").get("twirp_invalid_route").asText())
                .isEqualTo("POST /twirp/livekit.RoomService/Teleport");

        Twirp.Answer wrongType = Twirp.post(livekit, "CreateRoom", "text/plain", "name=r1", creator());
        assertThat(wrongType.status()).isEqualTo(404);
        assertThat(wrongType.json().get("msg").asText()).isEqualTo("unexpected Content-Type: \"text/plain\"");

        Twirp.Answer get = Twirp.get(livekit.url() + "/twirp/livekit.RoomService/ListRooms");
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().get("msg").asText()).isEqualTo("unsupported method \"GET\" (only POST is allowed)");

        Twirp.Answer unimplemented = Twirp.post(livekit, "MoveParticipant", JSON, "{}", creator());
        assertThat(unimplemented.status()).isEqualTo(501);
        assertThat(unimplemented.json().get("code").asText()).isEqualTo("unimplemented");
        assertThat(livekit.rooms()).isEmpty();
    }

    @Test
    void tokensAreCheckedLikeLiveKitsMiddleware() {
        String body = "{\"name\":\"r1\"}";
        Twirp.Answer none = Twirp.post(livekit, "CreateRoom", JSON, body, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("msg").asText()).isEqualTo("permissions denied");

        Twirp.Answer notBearer = Twirp.post(livekit.url() + "/twirp/livekit.RoomService/CreateRoom", JSON, body,
                Map.of("Authorization", "Token " + creator()));
        assertThat(notBearer.status()).isEqualTo(401);
        assertThat(notBearer.contentType()).startsWith("text/plain");
        assertThat(notBearer.body()).isEqualTo("invalid authorization header. Must start with Bearer ");

        assertThat(Twirp.post(livekit, "CreateRoom", JSON, body, "not-a-jwt").body())
                .isEqualTo("invalid authorization token");

        long now = Instant.now().getEpochSecond();
        ObjectNode expired = Twirp.JSON.createObjectNode().put("iss", livekit.apiKey()).put("exp", now - 61);
        expired.putObject("video").put("roomCreate", true);
        assertThat(Twirp.post(livekit, "CreateRoom", JSON, body, Hs256Jwt.sign(expired, livekit.apiSecret())).body())
                .isEqualTo("invalid authorization token: token has invalid claims: token is expired");
        ObjectNode withinLeeway = expired.deepCopy().put("exp", now - 30);
        assertThat(Twirp.post(livekit, "CreateRoom", JSON, body, Hs256Jwt.sign(withinLeeway, livekit.apiSecret()))
                .status()).isEqualTo(200);
        ObjectNode noExp = expired.deepCopy();
        noExp.remove("exp");
        assertThat(Twirp.post(livekit, "CreateRoom", JSON, body, Hs256Jwt.sign(noExp, livekit.apiSecret())).body())
                .contains("exp claim is required");

        // ?access_token= works like the Authorization header.
        assertThat(Twirp.post(livekit.url() + "/twirp/livekit.RoomService/ListRooms?access_token=" + creator(), JSON,
                "{}", Map.of()).json().get("rooms")).hasSize(1);
    }
}
