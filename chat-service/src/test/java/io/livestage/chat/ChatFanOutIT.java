package io.livestage.chat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Black box, two chat-service instances: the packaged session-service and two packaged chat-service processes on the
 * same Kafka and the same chat database. A room's sockets spread over both instances still form one room: messages,
 * reactions and presence cross instances through Kafka, idempotent retries hold across them (the database decides),
 * and the session's end closes every socket everywhere.
 */
class ChatFanOutIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ServiceProcess sessionService;
    private static ServiceProcess chatA;
    private static ServiceProcess chatB;
    private static TestDatabase chatDatabase;

    @BeforeAll
    static void start() {
        KafkaBroker.shared().createTopic(Topics.SESSION, 6);
        chatDatabase = TestPostgres.shared().createDatabase("chat");
        // three processes at once: none needs another to start (chat-service creates its own topics)
        CompletableFuture<ServiceProcess> session = async(() -> ServiceProcess.start("session-service", Map.of()));
        CompletableFuture<ServiceProcess> a = async(() -> chat("a"));
        CompletableFuture<ServiceProcess> b = async(() -> chat("b"));
        try {
            CompletableFuture.allOf(session, a, b).join();
        } finally {
            sessionService = session.exceptionally(e -> null).join();
            chatA = a.exceptionally(e -> null).join();
            chatB = b.exceptionally(e -> null).join();
        }
        System.setProperty("livestage.test.session-service.url", sessionService.url());
    }

    private static ServiceProcess chat(String instance) {
        return ServiceProcess.builder("chat-service").database(chatDatabase)
                .log(Path.of("target", "chat-service-" + instance + ".log")).start();
    }

    private static <T> CompletableFuture<T> async(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, runnable -> new Thread(runnable, "start").start());
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess process : new ServiceProcess[] { chatB, chatA, sessionService }) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void oneRoomAcrossTwoInstances() throws Exception {
        String host = Sessions.user("host");
        String viewer = Sessions.user("viewer");
        String session = Sessions.live(host, "PUBLIC");
        // the shared projection (one consumer group over both instances) writes the room to the shared database
        for (ServiceProcess chat : List.of(chatA, chatB)) {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> given()
                    .baseUri(chat.url()).get("/api/sessions/" + session + "/chat").statusCode() == 200);
        }
        try (RoomSocket onA = RoomSocket.joined(chatA.port(), session, host);
                RoomSocket onB = RoomSocket.joined(chatB.port(), session, viewer)) {
            // presence: each instance adds the other's count to its own
            for (RoomSocket socket : List.of(onA, onB)) {
                socket.await(f -> "presence".equals(f.path("type").asText()) && f.path("viewers").asInt() == 2,
                        "presence with 2 viewers");
            }

            onA.chat("c-1", "hello from A");
            JsonNode ack = onA.await("chat.ack");
            assertThat(ack.path("duplicate").asBoolean()).isFalse();
            for (RoomSocket socket : List.of(onA, onB)) {
                JsonNode message = socket.await(f -> "chat.message".equals(f.path("type").asText()), "the message");
                assertThat(message.at("/message/messageId").asText()).isEqualTo(ack.path("id").asText());
                assertThat(message.at("/message/seq").asLong()).isEqualTo(ack.path("seq").asLong());
                assertThat(message.at("/message/text").asText()).isEqualTo("hello from A");
                assertThat(message.at("/message/author/userId").asText()).isEqualTo(host);
            }

            onB.react("heart");
            JsonNode reactions = onA.await("reactions");
            assertThat(reactions.at("/counts/heart").asLong()).isEqualTo(1);
            assertThat(reactions.path("total").asLong()).isEqualTo(1);

            // the same user retries the same message through the other instance: acknowledged, not stored again
            try (RoomSocket hostOnB = RoomSocket.joined(chatB.port(), session, host)) {
                hostOnB.chat("c-1", "hello from A");
                JsonNode again = hostOnB.await("chat.ack");
                assertThat(again.path("duplicate").asBoolean()).isTrue();
                assertThat(again.path("id").asText()).isEqualTo(ack.path("id").asText());
                assertThat(again.path("seq").asLong()).isEqualTo(ack.path("seq").asLong());

                // a later message from B proves nothing else was broadcast in between
                onB.chat("m-1", "hello from B");
                String marker = onB.await("chat.ack").path("id").asText();
                for (RoomSocket socket : List.of(onA, onB, hostOnB)) {
                    socket.await(f -> marker.equals(f.at("/message/messageId").asText()), "the message from B");
                }
                assertThat(onA.all("chat.message")).hasSize(2);
                assertThat(onB.all("chat.message")).hasSize(2);
                assertThat(hostOnB.all("chat.message")).hasSize(1);
                try (Connection c = TestPostgres.shared().open(chatDatabase);
                        ResultSet rs = c.createStatement().executeQuery(
                                "select count(*) from chat_messages where session_id = '" + session + "'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }

                Sessions.end(session, host);
                for (RoomSocket socket : List.of(onA, onB, hostOnB)) {
                    socket.await("session.ended");
                    assertThat(socket.awaitClose()).isEqualTo(1000);
                }
            }
        }
    }
}
