package io.livestage.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two analytics-service processes in one application: they split the partitions, either answers for any session
 * (interactive queries across instances), and when one stops the other takes its partitions over, store and all.
 */
class ScaleOutIT {
    private static final String HOST = "scale-host";
    private static final int SESSIONS = 12;
    private static final String APPLICATION = "analytics-scale-out-" + System.nanoTime();

    private static ServiceProcess first;
    private static ServiceProcess second;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        for (String topic : List.of(Topics.SESSION, Topics.CHAT, Topics.ANALYTICS)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
        Map<String, String> env = Map.of("LIVESTAGE_ANALYTICS_APPLICATION_ID", APPLICATION);
        first = ServiceProcess.builder("analytics-service").env(env)
                .log(Path.of("target", "analytics-service-first.log")).start();
        CompletableFuture<ServiceProcess> other = CompletableFuture.supplyAsync(() -> ServiceProcess
                .builder("analytics-service").env(env).database(first.database())
                .log(Path.of("target", "analytics-service-second.log")).start());
        second = other.get(120, TimeUnit.SECONDS);
        producer = AnalyticsIT.producer();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {producer, second, first}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void eitherInstanceAnswersForEverySessionAndOneTakesOverWhenTheOtherStops() {
        List<SessionLog> sessions = new ArrayList<>();
        Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < SESSIONS; i++) {
            SessionLog log = new SessionLog(HOST, start);
            sessions.add(log);
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            records.add(log.started());
            // session i has i + 1 viewers and i messages
            for (int v = 0; v <= i; v++) {
                records.add(log.joined("c" + v, "viewer-" + v, ParticipantRole.VIEWER, "desktop", "DE",
                        start.plusSeconds(v)));
            }
            for (int m = 0; m < i; m++) {
                records.add(log.message("viewer-0", start.plusSeconds(30 + m)));
            }
            records.forEach(producer::send);
        }
        producer.flush();

        for (ServiceProcess instance : List.of(first, second)) {
            for (int i = 0; i < SESSIONS; i++) {
                String path = "/api/sessions/" + sessions.get(i).session + "/analytics";
                int viewers = i + 1;
                int messages = i;
                Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given()
                        .baseUri(instance.url()).auth().oauth2(TestTokens.token(HOST)).get(path).then()
                        .statusCode(200).body("audience.uniqueViewers", equalTo(viewers))
                        .body("chat.messages", equalTo(messages)));
            }
        }

        // the partitions are split: each instance owns some sessions and sends the others' questions on (421 = not mine)
        int ownedByFirst = 0;
        int ownedBySecond = 0;
        for (SessionLog log : sessions) {
            int a = peer(first, log.session);
            int b = peer(second, log.session);
            assertThat(List.of(a, b)).as("exactly one owner of session %s", log.session).containsExactlyInAnyOrder(200,
                    421);
            ownedByFirst += a == 200 ? 1 : 0;
            ownedBySecond += b == 200 ? 1 : 0;
        }
        assertThat(ownedByFirst).as("sessions the first instance owns").isPositive();
        assertThat(ownedBySecond).as("sessions the second instance owns").isPositive();

        second.close();
        for (int i = 0; i < SESSIONS; i++) {
            String path = "/api/sessions/" + sessions.get(i).session + "/analytics";
            int viewers = i + 1;
            Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().baseUri(first.url())
                    .auth().oauth2(TestTokens.token(HOST)).get(path).then().statusCode(200)
                    .body("audience.uniqueViewers", equalTo(viewers)));
            assertThat(peer(first, sessions.get(i).session)).isEqualTo(200);
        }
    }

    private static int peer(ServiceProcess instance, String session) {
        return given().baseUri(instance.url()).header("X-Livestage-Peer", "dev-analytics-peer-secret")
                .get("/internal/analytics/sessions/" + session).statusCode();
    }
}
