package io.livestage.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.analytics.replay.ExpectedStats;
import io.livestage.analytics.replay.SyntheticLog;
import io.livestage.events.Topics;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The synthetic log (hundreds of viewers per session, duplicates, out-of-order deliveries, reconnects inside and
 * outside the grace, late chat after the end) on real Kafka: analytics-service's final statistics equal the answers
 * computed independently from the log's plan, and a second application built from the same topics from scratch (a
 * new application id and database: what an application reset does) records identical ones.
 */
class ReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final long SEED = 20261206L;

    private static SyntheticLog log;

    @BeforeAll
    static void produce() throws Exception {
        for (String topic : List.of(Topics.SESSION, Topics.CHAT, Topics.ANALYTICS)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
        log = SyntheticLog.generate(SEED);
        CloudEventCodec codec = new CloudEventCodec();
        try (KafkaProducer<String, byte[]> producer = AnalyticsIT.producer()) {
            for (SyntheticLog.Delivery delivery : log.deliveries()) {
                if (!delivery.pauseBefore().isZero()) {
                    producer.flush();
                    Thread.sleep(delivery.pauseBefore().toMillis());
                }
                producer.send(delivery.record(codec));
            }
            producer.flush();
        }
    }

    @AfterAll
    static void nothing() {
        // the services are closed by each test
    }

    private static ServiceProcess analytics(String name) {
        return ServiceProcess.builder("analytics-service")
                .env(Map.of("LIVESTAGE_ANALYTICS_APPLICATION_ID", "analytics-replay-" + name + "-" + UUID.randomUUID(),
                        "LIVESTAGE_ANALYTICS_FINAL_DELAY", "2s"))
                .log(Path.of("target", "analytics-service-replay-" + name + ".log")).start();
    }

    private static SessionStats finalStats(ServiceProcess service, String session) throws Exception {
        String body = given().baseUri(service.url())
                .auth().oauth2(TestTokens.token("replay-admin", "Admin",
                        Map.of("realm_access", Map.of("roles", List.of("admin")))))
                .get("/api/sessions/" + session + "/analytics").then().statusCode(200).extract().asString();
        return JSON.readValue(body, SessionStats.class);
    }

    /** Each ended session's final statistics as {@code service} recorded them, once they equal the oracle's. */
    private static Map<String, SessionStats> recordedEqualToTheOracle(ServiceProcess service) {
        Map<String, SessionStats> recorded = new LinkedHashMap<>();
        for (SyntheticLog.SessionPlan session : log.plan().sessions()) {
            if (session.live()) {
                continue;
            }
            SessionStats expected = ExpectedStats.withoutRevision(ExpectedStats.of(session, log.plan().now(),
                    SyntheticLog.VIEW_GRACE));
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        SessionStats actual = finalStats(service, session.id());
                        assertThat(actual.revision()).as("recorded final statistics").isPositive();
                        assertThat(ExpectedStats.withoutRevision(actual)).as(session.title()).isEqualTo(expected);
                    });
            recorded.put(session.id(), ExpectedStats.withoutRevision(uncheckedFinal(service, session.id())));
        }
        return recorded;
    }

    private static SessionStats uncheckedFinal(ServiceProcess service, String session) {
        try {
            return finalStats(service, session);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void finalStatisticsEqualTheIndependentAnswersAndARebuildFromTheTopicsGivesTheSame() {
        Map<String, SessionStats> first;
        try (ServiceProcess a = analytics("a")) {
            first = recordedEqualToTheOracle(a);
        }
        assertThat(first).as("ended sessions in the log").hasSizeGreaterThanOrEqualTo(2);
        try (ServiceProcess b = analytics("b")) {
            Map<String, SessionStats> rebuilt = recordedEqualToTheOracle(b);
            assertThat(rebuilt).isEqualTo(first);
        }
    }
}
