package io.livestage.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.oidc.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/** The room channel end to end: real session-service events in, real sockets, Kafka and PostgreSQL. */
@QuarkusTest
class RoomChannelTest extends ChatServiceTestBase {

    @Test
    void aMessageIsStoredOnceAckedToItsSenderAndReachesTheRoom() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.CHAT);
                RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            assertThat(hostSocket.await("welcome").at("/you/role").asText()).isEqualTo("HOST");
            JsonNode welcome = viewerSocket.await("welcome");
            assertThat(welcome.at("/you/role").asText()).isEqualTo("VIEWER");
            assertThat(welcome.at("/you/canChat").asBoolean()).isTrue();
            assertThat(welcome.at("/session/id").asText()).isEqualTo(session);

            viewerSocket.chat("c-1", "  Hello, stage!  ");
            JsonNode ack = viewerSocket.await("chat.ack");
            assertThat(ack.path("clientMessageId").asText()).isEqualTo("c-1");
            assertThat(ack.path("duplicate").asBoolean()).isFalse();
            String id = ack.path("id").asText();

            JsonNode received = hostSocket.await(f -> "chat.message".equals(f.path("type").asText()), "the message");
            assertThat(received.at("/message/messageId").asText()).isEqualTo(id);
            assertThat(received.at("/message/text").asText()).isEqualTo("Hello, stage!");
            assertThat(received.at("/message/author/userId").asText()).isEqualTo(viewer);
            assertThat(received.at("/message/author/role").asText()).isEqualTo("VIEWER");
            assertThat(received.at("/message/seq").asLong()).isEqualTo(ack.path("seq").asLong());
            viewerSocket.await(f -> "chat.message".equals(f.path("type").asText()), "its own message");

            viewerSocket.chat("c-1", "Hello, stage!");
            JsonNode again = viewerSocket.await(f -> "chat.ack".equals(f.path("type").asText())
                    && f.path("duplicate").asBoolean(), "a duplicate ack");
            assertThat(again.path("id").asText()).isEqualTo(id);

            ReceivedEvent event = probe.await(e -> "chat.message".equals(e.type()) && session.equals(e.subject()),
                    Duration.ofSeconds(10));
            EventContract.assertValid(event);
            assertThat(event.json().get("messageId").asText()).isEqualTo(id);
            probe.assertNone(e -> "chat.message".equals(e.type()) && session.equals(e.subject())
                    && !id.equals(e.json().get("messageId").asText()), Duration.ofMillis(500));
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(1);
            assertThat(hostSocket.all("chat.message")).hasSize(1);
        }
    }

    @Test
    void invalidTextIsRefusedWithAClearCodeAndNothingIsStored() throws Exception {
        String host = Sessions.user("host");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket socket = RoomSocket.joined(port, session, host)) {
            socket.chat("c-long", "x".repeat(501));
            assertThat(socket.awaitError("invalid_message").path("message").asText()).contains("501");
            socket.chat("c-ctl", "bell\u0007");
            assertThat(socket.await(f -> "c-ctl".equals(f.path("clientMessageId").asText())).path("code").asText())
                    .isEqualTo("invalid_message");
            socket.chat("c-nl", "two\nlines");
            assertThat(socket.await(f -> "c-nl".equals(f.path("clientMessageId").asText())).path("code").asText())
                    .isEqualTo("invalid_message");
            socket.chat("c-empty", "   ");
            assertThat(socket.await(f -> "c-empty".equals(f.path("clientMessageId").asText())).path("code").asText())
                    .isEqualTo("invalid_message");
            socket.chat("bad id!", "hi");
            socket.await(f -> "invalid_message".equals(f.path("code").asText())
                    && f.path("message").asText().contains("clientMessageId"), "a clientMessageId error");
            socket.send("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"c-x\",\"text\":\"hi\",\"extra\":1}");
            socket.await(f -> f.path("message").asText().contains("unknown field 'extra'"), "an unknown-field error");
            socket.send("{\"type\":\"chat.send\",\"v\":2,\"clientMessageId\":\"c-v\",\"text\":\"hi\"}");
            socket.awaitError("unsupported_version");
            socket.send("not json");
            socket.awaitError("invalid_frame");
            socket.chat("c-max", "y".repeat(500));
            socket.await("chat.ack");
            assertThat(socket.isClosed()).isFalse();
        }
        assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(1);
    }

    @Test
    void authenticationComesInTheFirstFrameAndAnonymousViewersOnlyReadPublicRooms() {
        String host = Sessions.user("host");
        String publicSession = Sessions.live(host, "PUBLIC");
        String unlisted = Sessions.live(host, "UNLISTED");

        try (RoomSocket anonymous = RoomSocket.joined(port, publicSession, null)) {
            JsonNode welcome = anonymous.await("welcome");
            assertThat(welcome.at("/you/anonymous").asBoolean()).isTrue();
            assertThat(welcome.at("/you/canChat").asBoolean()).isFalse();
            anonymous.chat("c-1", "hi");
            anonymous.awaitError("sign_in_required");
            anonymous.react("heart");
            anonymous.await(f -> "sign_in_required".equals(f.path("code").asText())
                    && f.path("message").asText().contains("react"), "a reaction refusal");
        }
        try (RoomSocket anonymous = RoomSocket.open(port, unlisted)) {
            anonymous.auth(null);
            anonymous.awaitError("sign_in_required");
            assertThat(anonymous.awaitClose()).isEqualTo(4401);
        }
        try (RoomSocket forged = RoomSocket.open(port, publicSession)) {
            forged.auth(TestTokens.tokenSignedByOtherKey(host));
            assertThat(forged.awaitClose()).isEqualTo(4401);
        }
        try (RoomSocket expired = RoomSocket.open(port, publicSession)) {
            expired.auth(TestTokens.expiredToken(host));
            assertThat(expired.awaitClose()).isEqualTo(4401);
        }
        try (RoomSocket early = RoomSocket.open(port, publicSession)) {
            early.chat("c-1", "before auth");
            assertThat(early.awaitClose()).isEqualTo(4400);
        }
        try (RoomSocket silent = RoomSocket.open(port, publicSession)) {
            assertThat(silent.awaitClose()).isEqualTo(4408);
        }
        try (RoomSocket unknown = RoomSocket.open(port, UUID.randomUUID().toString())) {
            unknown.auth(Sessions.token(host));
            assertThat(unknown.awaitClose()).isEqualTo(4404);
        }
        try (RoomSocket header = RoomSocket.open(port, unlisted,
                Map.of("Authorization", "Bearer " + Sessions.token(host)))) {
            header.auth(null);
            assertThat(header.await("welcome").at("/you/role").asText()).isEqualTo("HOST");
        }
    }

    @Test
    void privateRoomsAdmitTheHostAndJoinedParticipantsOnly() {
        String host = Sessions.user("host");
        String invited = Sessions.user("invited");
        String stranger = Sessions.user("stranger");
        String session = Sessions.live(host, "PRIVATE");
        Sessions.as(host).put("/api/sessions/" + session + "/invites/" + invited).then().statusCode(200);
        Sessions.join(session, invited);
        try (RoomSocket guest = RoomSocket.joined(port, session, invited);
                RoomSocket outsider = RoomSocket.open(port, session)) {
            assertThat(guest.await("welcome").at("/you/name").asText()).isEqualTo("N " + invited);
            outsider.auth(Sessions.token(stranger));
            assertThat(outsider.awaitClose()).isEqualTo(4403);
        }
    }

    @Test
    void historyPagesAndResumeReplayWhatWasMissed() {
        String host = Sessions.user("host");
        String session = Sessions.live(host, "PUBLIC");
        List<String> ids = new ArrayList<>();
        // 120 messages from 6 writers: 20 each, the per-user limit of a 30 s window
        List<RoomSocket> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 6; w++) {
                writers.add(RoomSocket.joined(port, session, w == 0 ? host : Sessions.user("writer")));
            }
            for (int i = 1; i <= 120; i++) {
                RoomSocket writer = writers.get(i % 6);
                writer.chat("c-" + i, "message " + i);
                int n = i;
                ids.add(writer.await(f -> "chat.ack".equals(f.path("type").asText())
                        && ("c-" + n).equals(f.path("clientMessageId").asText()), "ack " + i).path("id").asText());
            }
        } finally {
            writers.forEach(RoomSocket::close);
        }
        JsonNode newest = Sessions.chatAs(host).get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(newest.path("messages")).hasSize(50);
        assertThat(newest.at("/messages/0/text").asText()).isEqualTo("message 71");
        assertThat(newest.at("/messages/49/text").asText()).isEqualTo("message 120");
        JsonNode older = Sessions.chatAs(host).queryParam("before", newest.path("nextCursor").asText())
                .get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(older.at("/messages/0/text").asText()).isEqualTo("message 21");
        JsonNode oldest = Sessions.chatAs(host).queryParam("before", older.path("nextCursor").asText())
                .get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat")
                .then().statusCode(200).extract().as(JsonNode.class);
        assertThat(oldest.path("messages")).hasSize(20);
        assertThat(oldest.path("nextCursor").isNull()).isTrue();
        // anonymous readers see public history too
        RestAssured.given().get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat?limit=1")
                .then().statusCode(200);

        try (RoomSocket back = RoomSocket.joined(port, session, host)) {
            back.send("{\"type\":\"resume\",\"v\":1,\"lastMessageId\":\"" + ids.get(99) + "\"}");
            JsonNode done = back.await("resume.done");
            assertThat(done.path("count").asInt()).isEqualTo(20);
            assertThat(done.path("complete").asBoolean()).isTrue();
            List<JsonNode> replayed = back.all("chat.message");
            assertThat(replayed).hasSize(20);
            assertThat(replayed.get(0).at("/message/text").asText()).isEqualTo("message 101");
            assertThat(replayed.get(0).path("replay").asBoolean()).isTrue();
            back.send("{\"type\":\"resume\",\"v\":1,\"lastMessageId\":\"" + UUID.randomUUID() + "\"}");
            back.awaitError("not_found");
        }
    }

    @Test
    void reactionsArriveAggregatedAndAreCountedExactly() {
        String host = Sessions.user("host");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.CHAT);
                RoomSocket a = RoomSocket.joined(port, session, Sessions.user("a"));
                RoomSocket b = RoomSocket.joined(port, session, Sessions.user("b"));
                RoomSocket watcher = RoomSocket.joined(port, session, host)) {
            for (int i = 0; i < 15; i++) {
                a.react("heart");
                b.react(i % 3 == 0 ? "fire" : "heart");
            }
            a.react("thumbs-down");
            a.awaitError("invalid_reaction");
            watcher.await(f -> "reactions".equals(f.path("type").asText()) && totalOf(watcher) == 30, "30 reactions");
            assertThat(sum(watcher, "heart")).isEqualTo(25);
            assertThat(sum(watcher, "fire")).isEqualTo(5);
            assertThat(watcher.all("reactions").size()).isLessThan(30);
            List<ReceivedEvent> bursts = probe.awaitCount(e -> "chat.reaction".equals(e.type()) && session.equals(e.subject()),
                    1, Duration.ofSeconds(10));
            bursts.forEach(EventContract::assertValid);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> probe.all().stream()
                    .filter(e -> "chat.reaction".equals(e.type()) && session.equals(e.subject()))
                    .mapToLong(e -> e.json().get("total").asLong()).sum() == 30);
            JsonNode totals = RestAssured.given()
                    .get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat/reactions")
                    .then().statusCode(200).extract().as(JsonNode.class);
            assertThat(totals.at("/totals/heart").asLong()).isEqualTo(25);
            assertThat(totals.at("/totals/fire").asLong()).isEqualTo(5);
        }
    }

    @Test
    void sessionAndStageEventsBecomeFramesAndTheEndClosesEverySocket() {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            Sessions.bringOnStage(session, host, viewer);
            JsonNode requested = hostSocket.await(f -> "stage".equals(f.path("type").asText())
                    && "guest.requested".equals(f.path("event").asText()), "the hand raise");
            assertThat(requested.at("/request/userId").asText()).isEqualTo(viewer);
            assertThat(requested.path("position").asInt()).isEqualTo(1);
            hostSocket.await(f -> "stage".equals(f.path("type").asText())
                    && "guest.approved".equals(f.path("event").asText()), "the approval for the host");
            viewerSocket.await(f -> "system".equals(f.path("type").asText())
                    && "guest.approved".equals(f.path("event").asText()), "the system line");
            JsonNode you = viewerSocket.await(f -> "you".equals(f.path("type").asText())
                    && "GUEST".equals(f.path("role").asText()), "the new role");
            assertThat(you.path("moderator").asBoolean()).isFalse();
            assertThat(viewerSocket.all("stage")).as("stage frames are for moderators").isEmpty();
            hostSocket.await(f -> "presence".equals(f.path("type").asText()) && f.path("guests").asInt() == 1
                    && f.path("viewers").asInt() == 2, "presence with one guest");

            viewerSocket.chat("c-1", "I'm on stage");
            assertThat(hostSocket.await(f -> "chat.message".equals(f.path("type").asText()), "the message")
                    .at("/message/author/role").asText()).isEqualTo("GUEST");

            Sessions.end(session, host);
            hostSocket.await("session.ended");
            viewerSocket.await("session.ended");
            assertThat(hostSocket.awaitClose()).isEqualTo(1000);
            assertThat(viewerSocket.awaitClose()).isEqualTo(1000);
        }
        try (RoomSocket late = RoomSocket.open(port, session)) {
            late.auth(Sessions.token(viewer));
            late.await("session.ended");
            assertThat(late.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void recordingEventsTellTheRoomItIsRecordedAndTheModeratorsThatTheFileIsReady() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        String recording = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        KafkaBroker.shared().clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
            CloudEventCodec codec = new CloudEventCodec();
            producer.send(codec.encode(Topics.RECORDING, recordingEvent(EventType.RECORDING_STARTED, session, at, 1,
                    new RecordingStarted(recording, session, "EG_a", RecordingFormat.MP3, RecordingTrigger.AUTO, at))))
                    .get();
            producer.send(codec.encode(Topics.RECORDING, recordingEvent(EventType.RECORDING_COMPLETED, session, at, 2,
                    new RecordingCompleted(recording, session, "EG_a", RecordingFormat.MP3, "audio/mpeg",
                            "/out/secret/path.mp3", 1234, 5000, at, at.plusSeconds(5))))).get();

            viewerSocket.await(f -> "recording".equals(f.path("type").asText())
                    && "recording.started".equals(f.path("event").asText()), "the viewer learns it is recorded");
            JsonNode ready = hostSocket.await(f -> "recording".equals(f.path("type").asText())
                    && "recording.ready".equals(f.path("event").asText()), "recording ready for the host");
            assertThat(ready.path("downloadUrl").asText())
                    .isEqualTo("/api/sessions/" + session + "/recordings/" + recording + "/files/mp3");
            assertThat(ready.toString()).doesNotContain("/out/secret");
            // the viewer got the start, which came first on the same partition, and never the ready frame
            assertThat(viewerSocket.all("recording")).extracting(f -> f.path("event").asText())
                    .containsExactly("recording.started");
        }
    }

    private static CloudEvent<Object> recordingEvent(EventType type, String session, Instant at, long sequence,
            Object data) {
        return new CloudEvent<>(UUID.randomUUID().toString(), type.typeName(), "/livestage/recording-service", session,
                at, sequence, null, null, data);
    }

    @Test
    void presenceIsEmittedForAnalyticsWithDeviceAndRegion() {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.CHAT)) {
            try (RoomSocket phone = RoomSocket.open(port, session, Map.of("User-Agent",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", "CF-IPCountry", "de"))) {
                phone.auth(Sessions.token(viewer));
                phone.await("welcome");
                ReceivedEvent joined = probe.await(e -> "viewer.presence".equals(e.type()) && session.equals(e.subject())
                        && "JOINED".equals(e.json().get("change").asText()), Duration.ofSeconds(10));
                EventContract.assertValid(joined);
                assertThat(joined.json().get("userId").asText()).isEqualTo(viewer);
                assertThat(joined.json().get("deviceType").asText()).isEqualTo("mobile");
                assertThat(joined.json().get("region").asText()).isEqualTo("DE");
            }
            ReceivedEvent left = probe.await(e -> "viewer.presence".equals(e.type()) && session.equals(e.subject())
                    && "LEFT".equals(e.json().get("change").asText()), Duration.ofSeconds(10));
            EventContract.assertValid(left);
            assertThat(left.json().get("connectedSeconds").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    private static long sum(RoomSocket socket, String reaction) {
        return socket.all("reactions").stream().mapToLong(f -> f.at("/counts/" + reaction).asLong()).sum();
    }

    private static long totalOf(RoomSocket socket) {
        return socket.all("reactions").stream().mapToLong(f -> f.path("total").asLong()).sum();
    }

}
