package io.livestage.analytics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.kafka.ReceivedEvent;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * analytics-service as a black box on real Kafka and PostgreSQL: session and chat events produced as session-service
 * and chat-service publish them; statistics read live, over server-sent events and final; the final event on
 * livestage.analytics; who may read what; aggregates; the Prometheus figures.
 */
class AnalyticsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "host-" + UUID.randomUUID();
    private static final String COHOST = "cohost-" + UUID.randomUUID();

    private static ServiceProcess analytics;
    private static KafkaProducer<String, byte[]> producer;
    private static EventProbe events;

    @BeforeAll
    static void start() {
        for (String topic : List.of(Topics.SESSION, Topics.CHAT, Topics.ANALYTICS)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
        events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), Topics.ANALYTICS);
        analytics = ServiceProcess.start("analytics-service", Map.of("LIVESTAGE_ANALYTICS_FINAL_DELAY", "1s",
                "LIVESTAGE_ANALYTICS_METRICS_EVERY", "1s"));
        producer = producer();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {producer, analytics, events}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(props);
    }

    static void send(List<ProducerRecord<String, byte[]>> records) {
        records.forEach(producer::send);
        producer.flush();
    }

    private static RequestSpecification as(String user) {
        return given().baseUri(analytics.url()).auth().oauth2(TestTokens.token(user));
    }

    private static RequestSpecification asAdmin() {
        return given().baseUri(analytics.url()).auth().oauth2(TestTokens.token("admin-" + UUID.randomUUID(), "Admin",
                Map.of("realm_access", Map.of("roles", List.of("admin")))));
    }

    /**
     * A session started 5 minutes ago: v1 watches [10 s, 70 s) and again from 100 s (a reconnect inside the 60 s
     * grace: one view), v2 from 20 s, an anonymous viewer [30 s, 90 s), the host's own connection (not a viewer);
     * three messages, 7 reactions, v2 raises a hand, is approved and opens the microphone.
     */
    private static SessionLog liveSession() {
        SessionLog log = new SessionLog(HOST, Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
        Instant s = log.startedAt;
        List<ProducerRecord<String, byte[]>> records = new java.util.ArrayList<>();
        records.add(log.started());
        records.add(log.roleChanged(COHOST, ParticipantRole.COHOST, s.plusSeconds(1)));
        records.add(log.joined("host-conn", HOST, ParticipantRole.HOST, "desktop", "DE", s));
        records.add(log.joined("c1", "v1", ParticipantRole.VIEWER, "mobile", "FR", s.plusSeconds(10)));
        records.add(log.left("c1", "v1", ParticipantRole.VIEWER, "mobile", "FR", s.plusSeconds(10), s.plusSeconds(70)));
        records.add(log.joined("c2", "v1", ParticipantRole.VIEWER, "desktop", "FR", s.plusSeconds(100)));
        records.add(log.joined("c3", "v2", ParticipantRole.VIEWER, "desktop", "DE", s.plusSeconds(20)));
        records.add(log.joined("a1", null, ParticipantRole.VIEWER, "tablet", null, s.plusSeconds(30)));
        records.add(log.left("a1", null, ParticipantRole.VIEWER, "tablet", null, s.plusSeconds(30), s.plusSeconds(90)));
        records.add(log.message("v1", s.plusSeconds(15)));
        records.add(log.message("v2", s.plusSeconds(25)));
        records.add(log.message("v2", s.plusSeconds(65)));
        records.add(log.reactions(s.plusSeconds(40), Map.of("heart", 5L, "clap", 2L)));
        records.addAll(log.hand("v2", s.plusSeconds(50), s.plusSeconds(55)));
        records.add(log.microphone("v2", false, 30, s.plusSeconds(56)));
        send(records);
        return log;
    }

    @Test
    void liveStatisticsThenFinalOnesRecordedAndPublished() throws Exception {
        SessionLog log = liveSession();
        String path = "/api/sessions/" + log.session + "/analytics";
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(HOST).get(path).then()
                .statusCode(200).body("audience.uniqueViewers", equalTo(3)).body("stage.spoke", equalTo(1)));
        JsonNode live = JSON.readTree(as(HOST).get(path).asString());
        assertThat(live.get("live").asBoolean()).isTrue();
        assertThat(live.get("revision").asInt()).isZero();
        assertThat(live.at("/audience/concurrent").asLong()).as("v1 and v2 are watching now").isEqualTo(2);
        assertThat(live.at("/audience/peakConcurrent").asLong()).isEqualTo(3);
        assertThat(live.at("/audience/views").asLong()).isEqualTo(3);
        assertThat(live.at("/chat/messages").asLong()).isEqualTo(3);
        assertThat(live.at("/reactions/total").asLong()).isEqualTo(7);
        assertThat(live.at("/stage/raisedHands").asLong()).isEqualTo(1);
        assertThat(live.at("/stage/approved").asLong()).isEqualTo(1);
        assertThat(live.at("/audience/concurrencyPerMinute").size()).isBetween(5, 6);

        Instant s = log.startedAt;
        send(List.of(log.ended(s.plusSeconds(200))));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(HOST).get(path).then()
                .statusCode(200).body("revision", equalTo(1)));
        JsonNode ended = JSON.readTree(as(HOST).get(path).asString());
        assertThat(ended.get("live").asBoolean()).isFalse();
        assertThat(ended.get("durationSeconds").asLong()).isEqualTo(200);
        JsonNode audience = ended.get("audience");
        assertThat(audience.get("concurrent").asLong()).isZero();
        assertThat(audience.get("peakConcurrent").asLong()).isEqualTo(3);
        assertThat(Instant.parse(audience.get("peakAt").asText())).isEqualTo(s.plusSeconds(30));
        assertThat(audience.get("uniqueViewers").asLong()).isEqualTo(3);
        assertThat(audience.get("views").asLong()).isEqualTo(3);
        // v1: 60 s + 100 s (one view), v2: 180 s, anonymous: 60 s
        assertThat(audience.get("watchTimeMillis").asLong()).isEqualTo(400_000);
        assertThat(audience.get("averageViewMillis").asLong()).isEqualTo(133_333);
        assertThat(audience.get("medianViewMillis").asLong()).isEqualTo(160_000);
        assertThat(audience.get("devices").toString()).isEqualTo(
                "[{\"name\":\"desktop\",\"count\":2},{\"name\":\"mobile\",\"count\":1},{\"name\":\"tablet\",\"count\":1}]");
        assertThat(audience.get("topRegions").toString()).isEqualTo(
                "[{\"name\":\"DE\",\"count\":1},{\"name\":\"FR\",\"count\":1},{\"name\":\"unknown\",\"count\":1}]");
        assertThat(ended.at("/chat/perViewer").asDouble()).isEqualTo(1.0);
        assertThat(ended.at("/reactions/perViewerMinute").asDouble()).isEqualTo(1.05); // 7 / (400 s / 60)
        assertThat(ended.at("/stage/participationRate").asDouble()).isEqualTo(0.3333);
        assertThat(ended.at("/stage/talkTime/0/userId").asText()).isEqualTo("v2");
        assertThat(ended.at("/stage/talkTime/0/share").asDouble()).isEqualTo(1.0);

        ReceivedEvent recorded = events.await(e -> log.session.equals(e.key())
                && EventType.ANALYTICS_SESSION_STATS.typeName().equals(e.type()), Duration.ofSeconds(30));
        EventContract.assertValid(recorded);
        assertThat(recorded.sequence()).isEqualTo(1L);
        assertThat(recorded.json().at("/stats/audience/watchTimeMillis").asLong()).isEqualTo(400_000);

        // a late message (inside the window) revises the final statistics: revision 2, one more event
        send(List.of(log.message("v1", s.plusSeconds(150))));
        ReceivedEvent revised = events.await(e -> log.session.equals(e.key()) && Long.valueOf(2).equals(e.sequence()),
                Duration.ofSeconds(30));
        assertThat(revised.json().at("/stats/chat/messages").asLong()).isEqualTo(4);
        as(HOST).get(path).then().statusCode(200).body("revision", equalTo(2)).body("chat.messages", equalTo(4));
        // a presence change after the end changes nothing: no third event
        send(List.of(log.left("c2", "v1", ParticipantRole.VIEWER, "desktop", "FR", s.plusSeconds(100),
                s.plusSeconds(260))));
        events.assertNone(e -> log.session.equals(e.key()) && Long.valueOf(3).equals(e.sequence()),
                Duration.ofSeconds(4));
    }

    @Test
    void onlyTheHostCohostsAndAdminsReadASessionsStatistics() {
        SessionLog log = liveSession();
        String path = "/api/sessions/" + log.session + "/analytics";
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(HOST).get(path).then()
                .statusCode(200).body("audience.uniqueViewers", equalTo(3)));
        as(COHOST).get(path).then().statusCode(200).body("sessionId", equalTo(log.session));
        asAdmin().get(path).then().statusCode(200);
        as("v1").get(path).then().statusCode(404).contentType("application/problem+json");
        as("stranger").get(path + "/events").then().statusCode(404);
        given().baseUri(analytics.url()).get(path).then().statusCode(401);
        as(HOST).get("/api/sessions/" + UUID.randomUUID() + "/analytics").then().statusCode(404);
        // the peer endpoint needs the peer secret
        given().baseUri(analytics.url()).get("/internal/analytics/sessions/" + log.session).then().statusCode(403);
        given().baseUri(analytics.url()).header("X-Livestage-Peer", "wrong")
                .get("/internal/analytics/sessions/" + log.session).then().statusCode(403);
    }

    @Test
    void serverSentEventsFollowTheStatisticsWithinASecond() throws Exception {
        SessionLog log = liveSession();
        String path = "/api/sessions/" + log.session + "/analytics";
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(HOST).get(path).then()
                .statusCode(200).body("chat.messages", equalTo(3)));
        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(analytics.url() + path + "/events"))
                .header("Authorization", "Bearer " + TestTokens.token(HOST)).header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        frames.add(JSON.readTree(line.substring(5).trim()));
                    }
                }
            } catch (Exception ignored) {
                // closed
            }
        });
        try {
            JsonNode first = frames.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("the current statistics at once").isNotNull();
            assertThat(first.at("/chat/messages").asLong()).isEqualTo(3);
            long sent = System.nanoTime();
            send(List.of(log.message("v1", Instant.now())));
            JsonNode changed = null;
            while (changed == null || changed.at("/chat/messages").asLong() < 4) {
                changed = frames.poll(10, TimeUnit.SECONDS);
                assertThat(changed).as("a frame with the new message").isNotNull();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertThat(millis).as("event -> server-sent statistics (ms)").isLessThan(5_000);
        } finally {
            reader.interrupt();
            response.body().close();
        }
    }

    @Test
    void aggregatesOverEndedSessionsAndThePrometheusFigures() {
        String host = "agg-host-" + UUID.randomUUID();
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        SessionLog first = new SessionLog(host, base);
        SessionLog second = new SessionLog(host, base.plusSeconds(3600));
        for (SessionLog log : List.of(first, second)) {
            Instant s = log.startedAt;
            send(List.of(log.started(),
                    log.joined("x-" + log.session, "shared-viewer", ParticipantRole.VIEWER, "desktop", "DE", s),
                    log.joined("y-" + log.session, "own-" + log.session, ParticipantRole.VIEWER, "mobile", "US", s),
                    log.message("shared-viewer", s.plusSeconds(5)),
                    log.ended(s.plusSeconds(120))));
        }
        String from = base.minusSeconds(60).toString();
        String to = base.plusSeconds(7200).toString();
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(host)
                .queryParam("from", from).queryParam("to", to).get("/api/me/analytics").then().statusCode(200)
                .body("sessions", equalTo(2)));
        as(host).queryParam("from", from).queryParam("to", to).get("/api/me/analytics").then().statusCode(200)
                .body("views", equalTo(4))
                .body("uniqueViewers", equalTo(3)) // shared-viewer watched both
                .body("watchTimeMillis", equalTo(480_000))
                .body("averageSessionSeconds", equalTo(120))
                .body("chatMessages", equalTo(2))
                .body("topSessions.size()", equalTo(2));
        as(host).queryParam("from", from).queryParam("to", to).queryParam("spaceId", "another-space")
                .get("/api/me/analytics").then().statusCode(200).body("sessions", equalTo(0));
        as("someone-else").queryParam("from", from).queryParam("to", to).get("/api/me/analytics").then()
                .statusCode(200).body("sessions", equalTo(0));
        as(host).queryParam("from", "yesterday").get("/api/me/analytics").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("from"));
        as(host).queryParam("from", to).queryParam("to", from).get("/api/me/analytics").then().statusCode(400);
        as(host).get("/api/analytics/platform").then().statusCode(403);
        asAdmin().queryParam("from", from).queryParam("to", to).queryParam("hostId", host)
                .get("/api/analytics/platform").then().statusCode(200).body("sessions", equalTo(2));

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = given().baseUri(analytics.url()).get("/q/metrics").asString();
            assertThat(metrics).contains("livestage_analytics_session_duration_seconds_avg",
                    "livestage_analytics_peak_concurrent_viewers_max", "livestage_analytics_guest_participation_rate",
                    "livestage_analytics_chat_messages_per_session", "livestage_analytics_reaction_engagement_rate");
            assertThat(metrics).containsPattern("livestage_analytics_sessions_ended [1-9]");
            assertThat(metrics).containsPattern("livestage_analytics_events_total\\{[^}]*type=\"viewer.presence\"");
        });
    }
}
