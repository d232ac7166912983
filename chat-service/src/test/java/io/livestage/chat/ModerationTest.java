package io.livestage.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.oidc.TestTokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moderation end to end: hosts and cohosts (made so in the real session-service) act through chat-service's REST API;
 * the effect reaches the sockets through Kafka, is enforced by the database on every message, is logged and is
 * emitted as a contract-valid {@code chat.moderated} event.
 */
@QuarkusTest
class ModerationTest extends ChatServiceTestBase {
    private static final Duration WAIT = Duration.ofSeconds(15);


    @Test
    void aDeletedMessageLeavesEverySocketTheHistoryAndResume() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            viewerSocket.chat("c-1", "first, to be deleted");
            String doomed = viewerSocket.await("chat.ack").path("id").asText();
            viewerSocket.chat("c-2", "second, stays");
            String kept = viewerSocket.awaitAnswer("c-2").path("id").asText();

            chat(host).delete(path(session, "/messages/" + doomed)).then().statusCode(204);

            for (RoomSocket socket : List.of(hostSocket, viewerSocket)) {
                JsonNode deleted = socket.await("chat.deleted");
                assertThat(deleted.path("id").asText()).isEqualTo(doomed);
                assertThat(deleted.path("deletedBy").asText()).isEqualTo(host);
            }
            JsonNode history = chat(viewer).get(path(session, "")).then().statusCode(200).extract().as(JsonNode.class);
            assertThat(history.path("messages")).hasSize(1);
            assertThat(history.at("/messages/0/messageId").asText()).isEqualTo(kept);

            try (RoomSocket late = RoomSocket.joined(port, session, Sessions.user("late"))) {
                late.send("{\"type\":\"resume\",\"v\":1,\"lastSeq\":0}");
                assertThat(late.await("resume.done").path("count").asInt()).isEqualTo(1);
                assertThat(late.all("chat.message")).extracting(f -> f.at("/message/messageId").asText())
                        .containsExactly(kept);
            }

            ReceivedEvent event = probe.await(e -> moderated(e, session), WAIT);
            EventContract.assertValid(event);
            assertThat(event.json().get("action").asText()).isEqualTo("MESSAGE_DELETED");
            assertThat(event.json().get("messageId").asText()).isEqualTo(doomed);
            assertThat(event.json().get("actorId").asText()).isEqualTo(host);

            // deleting again changes nothing and logs nothing; an unknown message is a 404
            chat(host).delete(path(session, "/messages/" + doomed)).then().statusCode(204);
            chat(host).delete(path(session, "/messages/" + UUID.randomUUID())).then().statusCode(404)
                    .contentType("application/problem+json");
            JsonNode log = moderationLog(session, host);
            assertThat(log).hasSize(1);
            assertThat(log.at("/0/action").asText()).isEqualTo("MESSAGE_DELETED");
            assertThat(log.at("/0/messageId").asText()).isEqualTo(doomed);
            assertThat(log.at("/0/id").asText()).isEqualTo(event.json().get("actionId").asText());
            assertThat(count("select count(*) from chat_messages where session_id = '" + session
                    + "' and deleted_at is not null")).isEqualTo(1);
        }
    }

    /** Deleting a message moderates its author: a cohost cannot delete the host's or another cohost's messages. */
    @Test
    void aCohostCannotDeleteTheMessagesOfTheHostOrAnotherCohost() throws Exception {
        String host = Sessions.user("host");
        String cohost = Sessions.user("cohost");
        String otherCohost = Sessions.user("cohost");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        Sessions.join(session, viewer);
        Sessions.cohost(session, host, otherCohost);
        Sessions.cohost(session, host, cohost);
        awaitModerator(session, cohost);
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket cohostSocket = RoomSocket.joined(port, session, cohost);
                RoomSocket otherSocket = RoomSocket.joined(port, session, otherCohost);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            hostSocket.chat("h-1", "the host's");
            String byHost = hostSocket.awaitAnswer("h-1").path("id").asText();
            otherSocket.chat("o-1", "another cohost's");
            String byOtherCohost = otherSocket.awaitAnswer("o-1").path("id").asText();
            cohostSocket.chat("c-1", "the cohost's own");
            String own = cohostSocket.awaitAnswer("c-1").path("id").asText();
            viewerSocket.chat("v-1", "a viewer's");
            String byViewer = viewerSocket.awaitAnswer("v-1").path("id").asText();

            chat(cohost).delete(path(session, "/messages/" + byHost)).then().statusCode(403)
                    .contentType("application/problem+json");
            chat(cohost).delete(path(session, "/messages/" + byOtherCohost)).then().statusCode(403)
                    .contentType("application/problem+json");
            chat(cohost).delete(path(session, "/messages/" + UUID.randomUUID())).then().statusCode(404);
            chat(cohost).delete(path(session, "/messages/" + own)).then().statusCode(204);
            chat(cohost).delete(path(session, "/messages/" + byViewer)).then().statusCode(204);
            chat(host).delete(path(session, "/messages/" + byOtherCohost)).then().statusCode(204);
            chat(host).delete(path(session, "/messages/" + byHost)).then().statusCode(204);

            assertThat(count("select count(*) from chat_messages where session_id = '" + session
                    + "' and deleted_at is not null")).isEqualTo(4);
            assertThat(moderationLog(session, host)).extracting(e -> e.path("actorId").asText() + " " + e.path("messageId").asText())
                    .containsExactly(host + " " + byHost, host + " " + byOtherCohost, cohost + " " + byViewer, cohost + " " + own);
        }
    }

    @Test
    void aTimedOutUserCanNeitherChatNorReactUntilItEnds() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String brief = Sessions.user("brief");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer);
                RoomSocket briefSocket = RoomSocket.joined(port, session, brief)) {
            Instant before = Instant.now();
            JsonNode action = chat(host).body(Map.of("userId", viewer, "durationSeconds", 60, "reason", "cool down"))
                    .post(path(session, "/timeouts")).then().statusCode(200).extract().as(JsonNode.class);
            Instant until = Instant.parse(action.path("until").asText());
            assertThat(action.path("action").asText()).isEqualTo("USER_TIMED_OUT");
            assertThat(until).isBetween(before.plusSeconds(58), Instant.now().plusSeconds(61));

            JsonNode error = viewerSocket.awaitError("timed_out");
            assertThat(Instant.parse(error.path("until").asText())).isEqualTo(until);
            JsonNode you = viewerSocket.await("you");
            assertThat(you.path("canChat").asBoolean()).isFalse();
            assertThat(you.path("userId").asText()).isEqualTo(viewer);
            assertThat(hostSocket.all("you")).as("only the target hears of it").isEmpty();
            assertThat(briefSocket.all("error")).isEmpty();

            viewerSocket.chat("c-1", "am I still here?");
            JsonNode refused = viewerSocket.awaitAnswer("c-1");
            assertThat(refused.path("code").asText()).isEqualTo("timed_out");
            assertThat(Instant.parse(refused.path("until").asText())).isEqualTo(until);
            viewerSocket.react("heart");
            JsonNode reaction = viewerSocket.await(f -> "error".equals(f.path("type").asText())
                    && f.path("message").asText().contains("react"), "a refused reaction");
            assertThat(reaction.path("code").asText()).isEqualTo("timed_out");
            assertThat(Instant.parse(reaction.path("until").asText())).isEqualTo(until);

            JsonNode restrictions = chat(host).get(path(session, "/bans")).then().statusCode(200).extract()
                    .as(JsonNode.class);
            assertThat(restrictions).hasSize(1);
            assertThat(restrictions.at("/0/userId").asText()).isEqualTo(viewer);
            assertThat(restrictions.at("/0/banned").asBoolean()).isFalse();
            assertThat(Instant.parse(restrictions.at("/0/timedOutUntil").asText())).isEqualTo(until);

            // a timeout of 2 s ends by itself: the user's messages are accepted again afterwards
            chat(host).body(Map.of("userId", brief, "durationSeconds", 2)).post(path(session, "/timeouts")).then()
                    .statusCode(200);
            briefSocket.awaitError("timed_out");
            briefSocket.chat("b-0", "too soon");
            assertThat(briefSocket.awaitAnswer("b-0").path("code").asText()).isEqualTo("timed_out");
            int[] attempt = { 0 };
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> {
                String id = "b-" + (++attempt[0]);
                briefSocket.chat(id, "back again");
                return "chat.ack".equals(briefSocket.awaitAnswer(id).path("type").asText());
            });

            List<ReceivedEvent> events = probe.awaitCount(e -> moderated(e, session), 2, WAIT);
            events.forEach(EventContract::assertValid);
            JsonNode first = events.get(0).json();
            assertThat(first.get("action").asText()).isEqualTo("USER_TIMED_OUT");
            assertThat(first.get("targetUserId").asText()).isEqualTo(viewer);
            assertThat(first.get("durationSeconds").asLong()).isEqualTo(60);
            assertThat(first.get("reason").asText()).isEqualTo("cool down");
            assertThat(Instant.parse(first.get("until").asText())).isEqualTo(until);

            JsonNode log = moderationLog(session, host);
            assertThat(log).extracting(e -> e.path("action").asText() + " " + e.path("targetUserId").asText())
                    .containsExactly("USER_TIMED_OUT " + brief, "USER_TIMED_OUT " + viewer);
            assertThat(count("select count(*) from chat_moderation_log where session_id = '" + session
                    + "' and jsonb_typeof(details) = 'object'")).as("details stored as JSON objects").isEqualTo(2);
            JsonNode details = new ObjectMapper().readTree(log.at("/1/details").asText());
            assertThat(details.path("durationSeconds").asLong()).isEqualTo(60);
            assertThat(details.path("reason").asText()).isEqualTo("cool down");
            assertThat(count("select count(*) from chat_messages where session_id = '" + session
                    + "' and author_id = '" + viewer + "'")).isZero();
        }
    }

    @Test
    void aBannedUserIsSilencedUntilUnbanned() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            chat(host).body(Map.of("userId", viewer, "reason", "spam")).post(path(session, "/bans")).then()
                    .statusCode(200).body("action", Matchers.equalTo("USER_BANNED"));
            viewerSocket.awaitError("banned");
            assertThat(viewerSocket.await("you").path("canChat").asBoolean()).isFalse();
            viewerSocket.chat("c-1", "let me speak");
            assertThat(viewerSocket.awaitAnswer("c-1").path("code").asText()).isEqualTo("banned");
            viewerSocket.react("fire");
            assertThat(viewerSocket.await(f -> f.path("message").asText().contains("react"), "a refused reaction")
                    .path("code").asText()).isEqualTo("banned");
            // a new socket of the banned user starts banned
            try (RoomSocket again = RoomSocket.joined(port, session, viewer)) {
                assertThat(again.await("welcome").at("/you/canChat").asBoolean()).isFalse();
                again.chat("c-2", "from another tab");
                assertThat(again.awaitAnswer("c-2").path("code").asText()).isEqualTo("banned");
            }
            JsonNode restrictions = chat(host).get(path(session, "/bans")).then().statusCode(200).extract()
                    .as(JsonNode.class);
            assertThat(restrictions).hasSize(1);
            assertThat(restrictions.at("/0/banned").asBoolean()).isTrue();

            chat(host).delete(path(session, "/bans/" + viewer)).then().statusCode(204);
            viewerSocket.await(f -> "you".equals(f.path("type").asText()) && f.path("canChat").asBoolean(),
                    "canChat again");
            viewerSocket.chat("c-3", "thanks");
            assertThat(viewerSocket.awaitAnswer("c-3").path("type").asText()).isEqualTo("chat.ack");
            assertThat(chat(host).get(path(session, "/bans")).then().statusCode(200).extract().as(JsonNode.class))
                    .isEmpty();
            // unbanning someone who is not banned changes nothing
            chat(host).delete(path(session, "/bans/" + viewer)).then().statusCode(204);

            List<ReceivedEvent> events = probe.awaitCount(e -> moderated(e, session), 2, WAIT);
            events.forEach(EventContract::assertValid);
            assertThat(events).extracting(e -> e.json().get("action").asText())
                    .containsExactly("USER_BANNED", "USER_UNBANNED");
            assertThat(moderationLog(session, host)).extracting(e -> e.path("action").asText())
                    .containsExactly("USER_UNBANNED", "USER_BANNED");
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(1);
        }
    }

    @Test
    void slowModeSpacesAUsersMessagesButNotTheModerators() throws Exception {
        String host = Sessions.user("host");
        String cohost = Sessions.user("cohost");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        Sessions.cohost(session, host, cohost);
        awaitModerator(session, cohost);
        try (EventProbe probe = chatEvents();
                RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket cohostSocket = RoomSocket.joined(port, session, cohost);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            JsonNode saved = chat(cohost).body(Map.of("slowModeSeconds", 30)).patch(path(session, "/settings")).then()
                    .statusCode(200).extract().as(JsonNode.class);
            assertThat(saved.path("slowModeSeconds").asInt()).isEqualTo(30);
            viewerSocket.await(f -> "settings".equals(f.path("type").asText())
                    && f.path("slowModeSeconds").asInt() == 30, "the slow-mode settings");

            viewerSocket.chat("v-1", "one");
            assertThat(viewerSocket.awaitAnswer("v-1").path("type").asText()).isEqualTo("chat.ack");
            viewerSocket.chat("v-2", "two");
            JsonNode slow = viewerSocket.awaitAnswer("v-2");
            assertThat(slow.path("code").asText()).isEqualTo("slow_mode");
            assertThat(slow.path("retryAfterMs").asLong()).isBetween(1L, 30_000L);
            for (RoomSocket moderator : List.of(hostSocket, cohostSocket)) {
                moderator.chat("m-1", "one");
                moderator.chat("m-2", "two");
                assertThat(moderator.awaitAnswer("m-1").path("type").asText()).isEqualTo("chat.ack");
                assertThat(moderator.awaitAnswer("m-2").path("type").asText()).isEqualTo("chat.ack");
            }

            ReceivedEvent event = probe.await(e -> moderated(e, session), WAIT);
            EventContract.assertValid(event);
            assertThat(event.json().get("action").asText()).isEqualTo("SETTINGS_CHANGED");
            assertThat(event.json().get("actorId").asText()).isEqualTo(cohost);
            assertThat(event.json().at("/settings/slowModeSeconds").asInt()).isEqualTo(30);
            assertThat(moderationLog(session, host)).extracting(e -> e.path("action").asText())
                    .containsExactly("SETTINGS_CHANGED");
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(5);
        }
    }

    @Test
    void signedInOnlyModeShutsAnonymousViewersOut() {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket anonymous = RoomSocket.joined(port, session, null);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            given().baseUri(chatUrl()).get(path(session, "")).then().statusCode(200);

            chat(host).body(Map.of("signedInOnly", true)).patch(path(session, "/settings")).then().statusCode(200)
                    .body("signedInOnly", Matchers.is(true));

            anonymous.awaitError("signed_in_only");
            assertThat(anonymous.awaitClose()).isEqualTo(4401);
            try (RoomSocket newcomer = RoomSocket.open(port, session)) {
                newcomer.auth(null);
                newcomer.awaitError("signed_in_only");
                assertThat(newcomer.awaitClose()).isEqualTo(4401);
            }
            given().baseUri(chatUrl()).get(path(session, "")).then().statusCode(401)
                    .contentType("application/problem+json");
            chat(viewer).get(path(session, "")).then().statusCode(200);
            viewerSocket.await(f -> "settings".equals(f.path("type").asText()) && f.path("signedInOnly").asBoolean(),
                    "the new settings");
            assertThat(viewerSocket.isClosed()).isFalse();
            EventContract.assertValid(probe.await(e -> moderated(e, session)
                    && e.json().at("/settings/signedInOnly").asBoolean(), WAIT));
        }
    }

    @Test
    void reactionsOnlyModeRefusesMessagesAndStillCountsReactions() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            chat(host).body(Map.of("reactionsOnly", true)).patch(path(session, "/settings")).then().statusCode(200);
            viewerSocket.await(f -> "settings".equals(f.path("type").asText()) && f.path("reactionsOnly").asBoolean(),
                    "the new settings");
            viewerSocket.chat("c-1", "hello?");
            assertThat(viewerSocket.awaitAnswer("c-1").path("code").asText()).isEqualTo("reactions_only");
            for (int i = 0; i < 3; i++) {
                viewerSocket.react("clap");
            }
            Awaitility.await().atMost(WAIT).until(() -> hostSocket.all("reactions").stream()
                    .mapToLong(f -> f.at("/counts/clap").asLong()).sum() == 3);
            assertThat(viewerSocket.all("error")).hasSize(1);
            EventContract.assertValid(probe.await(e -> moderated(e, session)
                    && e.json().at("/settings/reactionsOnly").asBoolean(), WAIT));
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isZero();
        }
    }

    @Test
    void blockedTermsRefuseMessagesAndOnlyModeratorsSeeThem() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (EventProbe probe = chatEvents();
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            JsonNode saved = chat(host).body(Map.of("blockedTerms", List.of("spam*", " Scam ", "spam*")))
                    .patch(path(session, "/settings")).then().statusCode(200).extract().as(JsonNode.class);
            assertThat(saved.path("blockedTerms")).extracting(JsonNode::asText).containsExactly("spam*", "Scam");

            ReceivedEvent event = probe.await(e -> moderated(e, session), WAIT);
            EventContract.assertValid(event);
            assertThat(event.json().at("/settings/blockedTermCount").asInt()).isEqualTo(2);

            viewerSocket.chat("c-1", "Buy SPAMMY pills");
            assertThat(viewerSocket.awaitAnswer("c-1").path("code").asText()).isEqualTo("blocked_term");
            viewerSocket.chat("c-2", "what a scam!");
            assertThat(viewerSocket.awaitAnswer("c-2").path("code").asText()).isEqualTo("blocked_term");
            viewerSocket.chat("c-3", "scampi for dinner");
            assertThat(viewerSocket.awaitAnswer("c-3").path("type").asText()).isEqualTo("chat.ack");
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isEqualTo(1);
            assertThat(count("select count(*) from chat_messages where session_id = '" + session
                    + "' and client_message_id in ('c-1', 'c-2')")).isZero();

            JsonNode settings = chat(host).get(path(session, "/settings")).then().statusCode(200).extract()
                    .as(JsonNode.class);
            assertThat(settings.path("blockedTerms")).extracting(JsonNode::asText).containsExactly("spam*", "Scam");
            chat(viewer).get(path(session, "/settings")).then().statusCode(403)
                    .contentType("application/problem+json");
            given().baseUri(chatUrl()).get(path(session, "/settings")).then().statusCode(401);
            assertThat(viewerSocket.await(f -> "settings".equals(f.path("type").asText()), "a settings frame")
                    .has("blockedTerms")).as("the terms are not shown to the room").isFalse();
        }
    }

    @Test
    void chatTurnedOffInSessionServiceClosesTheChat() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            assertThat(viewerSocket.await("welcome").at("/settings/enableChat").asBoolean()).isTrue();
            Sessions.updateSettings(session, host, Map.of("enableChat", false));
            for (RoomSocket socket : List.of(hostSocket, viewerSocket)) {
                JsonNode settings = socket.await("settings");
                assertThat(settings.path("enableChat").asBoolean()).isFalse();
                assertThat(settings.path("enableReactions").asBoolean()).isTrue();
            }
            // the frame comes from this instance's feed; the refusal from the projection in the database
            Awaitility.await().atMost(WAIT).until(() -> !chat(host).get(path(session, "/settings")).then()
                    .statusCode(200).extract().jsonPath().getBoolean("enableChat"));
            viewerSocket.chat("c-1", "anyone?");
            assertThat(viewerSocket.awaitAnswer("c-1").path("code").asText()).isEqualTo("chat_disabled");
            hostSocket.chat("h-1", "even me");
            assertThat(hostSocket.awaitAnswer("h-1").path("code").asText()).isEqualTo("chat_disabled");
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "'")).isZero();
        }
    }

    /** Every moderation endpoint against every kind of caller. */
    @Test
    void onlyTheHostAndCohostsModerate() throws Exception {
        String host = Sessions.user("host");
        String cohost = Sessions.user("cohost");
        String guest = Sessions.user("guest");
        String viewer = Sessions.user("viewer");
        String otherHost = Sessions.user("host");
        String target = Sessions.user("target");
        String session = Sessions.live(host, "PUBLIC");
        Sessions.live(otherHost, "PUBLIC");
        Sessions.join(session, viewer);
        Sessions.bringOnStage(session, host, guest);
        Sessions.cohost(session, host, cohost);
        awaitModerator(session, cohost);
        String message;
        try (EventProbe probe = chatEvents(); RoomSocket writer = RoomSocket.joined(port, session, target);
                RoomSocket hostSocket = RoomSocket.joined(port, session, host)) {
            writer.chat("c-1", "delete me");
            message = writer.await("chat.ack").path("id").asText();

            record Call(String method, String path, Map<String, Object> body, int ok) {
            }
            List<Call> calls = List.of(
                    new Call("DELETE", "/messages/" + message, null, 204),
                    new Call("POST", "/timeouts", Map.of("userId", target, "durationSeconds", 30), 200),
                    new Call("POST", "/bans", Map.of("userId", target), 200),
                    new Call("DELETE", "/bans/" + target, null, 204),
                    new Call("GET", "/bans", null, 200),
                    new Call("GET", "/settings", null, 200),
                    new Call("PATCH", "/settings", Map.of("slowModeSeconds", 5), 200),
                    new Call("GET", "/moderation", null, 200));
            List<String> outcomes = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (Call call : calls) {
                // the refused first, so that what they could have changed is still there to change
                for (String who : List.of("guest", "viewer", "otherHost", "anonymous", "host", "cohost")) {
                    String user = switch (who) {
                        case "guest" -> guest;
                        case "viewer" -> viewer;
                        case "otherHost" -> otherHost;
                        case "host" -> host;
                        case "cohost" -> cohost;
                        default -> null;
                    };
                    int status = switch (who) {
                        case "anonymous" -> 401;
                        case "host", "cohost" -> call.ok();
                        default -> 403;
                    };
                    RequestSpecification request = chat(user);
                    if (call.body() != null) {
                        request = request.body(call.body());
                    }
                    Response response = request.request(call.method(), path(session, call.path()));
                    outcomes.add(call.method() + " " + call.path() + " as " + who + " -> " + response.statusCode());
                    expected.add(call.method() + " " + call.path() + " as " + who + " -> " + status);
                    if (status >= 400) {
                        assertThat(response.contentType()).startsWith("application/problem+json");
                    }
                }
            }
            assertThat(outcomes).containsExactlyElementsOf(expected);

            // a cohost cannot act on the host (nor on another cohost); nobody on themselves
            String secondCohost = Sessions.user("cohost");
            Sessions.cohost(session, host, secondCohost);
            awaitModerator(session, secondCohost);
            chat(cohost).body(Map.of("userId", host)).post(path(session, "/bans")).then().statusCode(403);
            chat(cohost).body(Map.of("userId", host, "durationSeconds", 60)).post(path(session, "/timeouts")).then()
                    .statusCode(403);
            chat(cohost).body(Map.of("userId", secondCohost)).post(path(session, "/bans")).then().statusCode(403);
            chat(host).body(Map.of("userId", host)).post(path(session, "/bans")).then().statusCode(400)
                    .body("field", Matchers.equalTo("userId"));

            // what was done, in the log (newest first) and on Kafka, action for action
            List<String> actions = List.of("SETTINGS_CHANGED " + host, "USER_UNBANNED " + host,
                    "USER_BANNED " + cohost, "USER_BANNED " + host, "USER_TIMED_OUT " + cohost,
                    "USER_TIMED_OUT " + host, "MESSAGE_DELETED " + host);
            JsonNode log = moderationLog(session, cohost);
            assertThat(log).extracting(e -> e.path("action").asText() + " " + e.path("actorId").asText())
                    .containsExactlyElementsOf(actions);
            // a later event of the room on the same partition: everything emitted before it has arrived
            hostSocket.chat("c-2", "marker");
            String marker = hostSocket.awaitAnswer("c-2").path("id").asText();
            probe.await(e -> "chat.message".equals(e.type()) && marker.equals(e.json().get("messageId").asText()), WAIT);
            List<ReceivedEvent> events = probe.all().stream().filter(e -> moderated(e, session)).toList();
            events.forEach(EventContract::assertValid);
            assertThat(events).extracting(e -> e.json().get("action").asText() + " " + e.json().get("actorId").asText())
                    .containsExactlyElementsOf(actions.reversed());
            Set<String> logged = new HashSet<>();
            log.forEach(e -> logged.add(e.path("id").asText()));
            assertThat(events.stream().map(e -> e.json().get("actionId").asText()).collect(Collectors.toSet()))
                    .isEqualTo(logged);
        }
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndChangesNothing() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            record Bad(String method, String path, String body, String field) {
            }
            List<Bad> cases = List.of(
                    new Bad("POST", "/timeouts", "{\"userId\":\"" + viewer + "\",\"durationSeconds\":0}", "durationSeconds"),
                    new Bad("POST", "/timeouts", "{\"userId\":\"" + viewer + "\",\"durationSeconds\":1209601}",
                            "durationSeconds"),
                    new Bad("POST", "/timeouts", "{\"durationSeconds\":30}", "userId"),
                    new Bad("POST", "/timeouts", "{\"userId\":\"" + viewer + "\",\"durationSeconds\":\"soon\"}",
                            "durationSeconds"),
                    new Bad("POST", "/timeouts", "{\"userId\":\"" + viewer + "\",\"durationSeconds\":30,\"until\":1}",
                            "until"),
                    new Bad("POST", "/bans", "{}", "userId"),
                    new Bad("POST", "/bans", "{\"userId\":\"  \"}", "userId"),
                    new Bad("POST", "/bans", "{\"userId\":\"" + viewer + "\",\"reason\":\"" + "x".repeat(201) + "\"}",
                            "reason"),
                    new Bad("PATCH", "/settings", "{\"slowModeSeconds\":99999}", "slowModeSeconds"),
                    new Bad("PATCH", "/settings", "{\"slowModeSeconds\":-1}", "slowModeSeconds"),
                    new Bad("PATCH", "/settings", "{\"slowMode\":5}", "slowMode"),
                    new Bad("PATCH", "/settings", "{\"signedInOnly\":\"yes\"}", "signedInOnly"),
                    new Bad("PATCH", "/settings", "{\"blockedTerms\":[\"ok\",\"\"]}", "blockedTerms"));
            for (Bad bad : cases) {
                JsonNode problem = chat(host).body(bad.body()).request(bad.method(), path(session, bad.path())).then()
                        .statusCode(400).contentType("application/problem+json").extract().as(JsonNode.class);
                assertThat(problem.path("field").asText()).as(bad.body()).startsWith(bad.field());
                assertThat(problem.path("status").asInt()).isEqualTo(400);
                assertThat(problem.path("type").asText()).isNotBlank();
            }
            assertThat(moderationLog(session, host)).isEmpty();
            assertThat(chat(host).get(path(session, "/bans")).then().statusCode(200).extract().as(JsonNode.class))
                    .isEmpty();
            JsonNode settings = chat(host).get(path(session, "/settings")).then().statusCode(200).extract()
                    .as(JsonNode.class);
            assertThat(settings.path("slowModeSeconds").asInt()).isZero();
            assertThat(settings.path("signedInOnly").asBoolean()).isFalse();
            assertThat(settings.path("blockedTerms")).isEmpty();
            viewerSocket.chat("c-1", "still fine");
            assertThat(viewerSocket.awaitAnswer("c-1").path("type").asText()).isEqualTo("chat.ack");
            assertThat(viewerSocket.all("error")).isEmpty();
            assertThat(viewerSocket.all("settings")).isEmpty();
            assertThat(count("select count(*) from chat_members where session_id = '" + session
                    + "' and (banned or timed_out_until is not null)")).isZero();
        }
    }

    @Test
    void aParticipantRemovedInSessionServiceLosesTheRoomForGood() {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        Sessions.join(session, viewer);
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket viewerSocket = RoomSocket.joined(port, session, viewer)) {
            Sessions.remove(session, host, viewer);
            viewerSocket.awaitError("removed");
            assertThat(viewerSocket.awaitClose()).isEqualTo(4403);
            hostSocket.await(f -> "system".equals(f.path("type").asText())
                    && "participant.removed".equals(f.path("event").asText()), "the removal line");
            assertThat(hostSocket.isClosed()).isFalse();
            try (RoomSocket back = RoomSocket.open(port, session)) {
                back.auth(Sessions.token(viewer));
                back.awaitError("removed");
                assertThat(back.awaitClose()).isEqualTo(4403);
            }
            chat(viewer).get(path(session, "")).then().statusCode(403);
        }
    }

    @Test
    void anUnmuteRequestReachesOnlyThatParticipantAndTheirLeaveShowsInTheRoom() {
        String host = Sessions.user("host");
        String guest = Sessions.user("guest");
        String session = Sessions.live(host, "PUBLIC");
        Sessions.bringOnStage(session, host, guest);
        try (RoomSocket hostSocket = RoomSocket.joined(port, session, host);
                RoomSocket guestSocket = RoomSocket.joined(port, session, guest)) {
            Sessions.as(host).body(Map.of("audio", true))
                    .post("/api/sessions/" + session + "/participants/" + guest + "/unmute-request")
                    .then().statusCode(200);
            JsonNode ask = guestSocket.await(f -> "unmute.request".equals(f.path("type").asText()),
                    "the unmute request");
            assertThat(ask.path("audio").asBoolean()).isTrue();
            assertThat(ask.path("video").asBoolean()).isFalse();
            assertThat(ask.path("requestedBy").asText()).isEqualTo(host);

            Sessions.as(guest).post("/api/sessions/" + session + "/leave").then().statusCode(200);
            hostSocket.await(f -> "system".equals(f.path("type").asText())
                    && "participant.left".equals(f.path("event").asText())
                    && guest.equals(f.path("userId").asText()), "the leave line");
            assertThat(hostSocket.all("unmute.request")).as("only the asked participant gets it").isEmpty();
        }
    }

    private static boolean moderated(ReceivedEvent e, String session) {
        return "chat.moderated".equals(e.type()) && session.equals(e.subject());
    }

    private static EventProbe chatEvents() {
        return EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.CHAT);
    }

    private void awaitModerator(String session, String user) {
        // the promotion reaches chat-service through Kafka and its projection
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> chat(user).get(path(session, "/settings")).statusCode() == 200);
    }

    private JsonNode moderationLog(String session, String user) {
        return chat(user).get(path(session, "/moderation")).then().statusCode(200).extract().as(JsonNode.class);
    }

    private String chatUrl() {
        return "http://127.0.0.1:" + port;
    }

    private RequestSpecification chat(String user) {
        RequestSpecification spec = given().baseUri(chatUrl()).contentType(ContentType.JSON);
        return user == null ? spec : spec.auth().oauth2(TestTokens.token(user));
    }

    private static String path(String session, String rest) {
        return "/api/sessions/" + session + "/chat" + rest;
    }

}
