package io.livestage.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits of the room channel with their default settings: 20 messages per user and 30 s, 40 frames per burst. */
@QuarkusTest
class RateLimitTest extends ChatServiceTestBase {

    @Test
    void theTwentyFirstMessageOfAUserWithinTheWindowIsRefused() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket socket = RoomSocket.joined(port, session, viewer);
                RoomSocket otherTab = RoomSocket.joined(port, session, viewer);
                RoomSocket someoneElse = RoomSocket.joined(port, session, Sessions.user("other"))) {
            // all at once: the server checks the limit as each frame arrives, before storing anything
            long start = System.nanoTime();
            for (int i = 1; i <= 21; i++) {
                socket.chat("c-" + i, "message " + i);
            }
            List<JsonNode> answers = socket.awaitCount(f -> f.path("clientMessageId").asText().startsWith("c-")
                    && ("chat.ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText())), 21,
                    "answers");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answers.subList(0, 20)).allSatisfy(f -> assertThat(f.path("type").asText()).isEqualTo("chat.ack"));
            JsonNode limited = answers.get(20);
            // (a token comes back every 1.5 s: answering 21 messages must take less than that for this to hold)
            assertThat(limited.path("type").asText()).as("the 21st answer, after %d ms", elapsedMs).isEqualTo("error");
            assertThat(limited.path("code").asText()).isEqualTo("rate_limited");
            assertThat(limited.path("clientMessageId").asText()).isEqualTo("c-21");
            // 20 per 30 s: a new message every 1.5 s
            assertThat(limited.path("retryAfterMs").asLong()).isBetween(1L, 1_500L);

            // the limit is the user's, not the connection's; other users are not affected
            otherTab.chat("t-1", "from my other tab");
            JsonNode tab = otherTab.awaitAnswer("t-1");
            assertThat(tab.path("code").asText()).isEqualTo("rate_limited");
            someoneElse.chat("o-1", "hi");
            assertThat(someoneElse.awaitAnswer("o-1").path("type").asText()).isEqualTo("chat.ack");

            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "' and author_id = '"
                    + viewer + "'")).isEqualTo(20);
            assertThat(count("select count(*) from chat_messages where session_id = '" + session + "' and author_id = '"
                    + viewer + "' and client_message_id in ('c-21', 't-1')")).isZero();
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aConnectionSendingMoreThanABurstOfFramesIsClosed() {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        try (RoomSocket flooder = RoomSocket.joined(port, session, viewer)) {
            try {
                for (int i = 0; i < 60 && !flooder.isClosed(); i++) {
                    flooder.react("heart");
                }
            } catch (CompletionException closedMeanwhile) {
                // the server closed the socket while frames were still being sent
            }
            JsonNode flood = flooder.awaitError("flood");
            assertThat(flood.path("message").asText()).isNotBlank();
            assertThat(flooder.awaitClose()).isEqualTo(4429);
            assertThat(flooder.all("error")).hasSize(1);

            // 40 frames per burst, the auth frame included, then 20 a second: the frames before the flood counted
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> hearts(session) >= 39);
            assertThat(hearts(session)).isLessThan(60);

            // the limit is per connection: the same user connects again and chats
            try (RoomSocket again = RoomSocket.joined(port, session, viewer)) {
                again.chat("c-1", "sorry");
                assertThat(again.awaitAnswer("c-1").path("type").asText()).isEqualTo("chat.ack");
            }
        }
    }

    private long hearts(String session) {
        return RestAssured.given().get("http://127.0.0.1:" + port + "/api/sessions/" + session + "/chat/reactions")
                .then().statusCode(200).extract().jsonPath().getLong("totals.heart");
    }

}
