package io.livestage.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.EventType;
import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.as;
import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.create;
import static io.livestage.session.Api.createdId;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class SessionLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static EventProbe events;

    @BeforeAll
    static void subscribe() {
        events = Api.sessionEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static ReceivedEvent awaitEvent(String sessionId, String type) {
        ReceivedEvent event = events.await(e -> sessionId.equals(e.subject()) && type.equals(e.type()), WAIT);
        EventContract.assertValid(event);
        return event;
    }

    @Test
    void createStartEndPublishesOrderedValidEvents() {
        String host = newUser("host");
        var created = create(host, Map.of("title", "  Friday AMA  ", "kind", "VIDEO", "visibility", "UNLISTED",
                "description", "Ask anything", "spaceId", "product-team",
                "settings", Map.of("maxGuests", 4, "recordingEnabled", true, "speakerTracks", true)))
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/sessions/[0-9a-f-]{36}$"))
                .body("title", equalTo("Friday AMA"))
                .body("status", equalTo("SCHEDULED"))
                .body("hostId", equalTo(host))
                .body("slug", matchesPattern("[a-z0-9]{8}"))
                .body("settings.maxGuests", equalTo(4))
                .body("settings.recordingEnabled", equalTo(true))
                .body("settings.speakerTracks", equalTo(true))
                .body("settings.guestVideoDefault", equalTo(true))
                .body("settings.maxParticipants", equalTo(500))
                .extract();
        String id = created.path("id");

        ReceivedEvent createdEvent = awaitEvent(id, "session.created");
        assertThat(createdEvent.sequence()).isEqualTo(1L);
        assertThat(createdEvent.source()).isEqualTo("/livestage/session-service");
        assertThat(createdEvent.key()).isEqualTo(id);
        assertThat(createdEvent.json().at("/session/slug").asText()).isEqualTo(created.path("slug"));

        action(host, id, "start").then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("startedAt", notNullValue());
        ReceivedEvent started = awaitEvent(id, "session.started");
        assertThat(started.sequence()).isEqualTo(2L);
        assertThat(started.json().at("/session/settings/speakerTracks").asBoolean()).isTrue();
        assertThat(started.json().at("/session/status").asText()).isEqualTo("ACTIVE");

        action(host, id, "end").then().statusCode(200).body("status", equalTo("ENDED")).body("endedAt", notNullValue());
        ReceivedEvent ended = awaitEvent(id, "session.ended");
        assertThat(ended.sequence()).isEqualTo(3L);
        assertThat(ended.json().get("durationSeconds").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(List.of(createdEvent.partition(), started.partition(), ended.partition())).containsOnly(createdEvent.partition());
        assertThat(ended.offset()).isGreaterThan(started.offset());
        assertThat(started.offset()).isGreaterThan(createdEvent.offset());
    }

    @Test
    void getBySlugAndById() {
        String host = newUser("host");
        var created = create(host, audioRoom("Morning coffee")).then().statusCode(201).extract();
        String id = created.path("id");
        String slug = created.path("slug");
        Api.anonymous().get("/api/sessions/by-slug/" + slug).then().statusCode(200).body("id", equalTo(id));
        Api.anonymous().get("/api/sessions/" + id).then().statusCode(200).body("slug", equalTo(slug))
                .body("kind", equalTo("AUDIO")).body("settings.guestVideoDefault", equalTo(false));
        Api.anonymous().get("/api/sessions/by-slug/zzzzzzzz").then().statusCode(404)
                .contentType("application/problem+json");
        Api.anonymous().get("/api/sessions/by-slug/NOT-A-SLUG").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void updateChangesOnlyWhatIsSentAndReportsChangedFields() {
        String host = newUser("host");
        String id = createdId(host, audioRoom("Draft title"));
        awaitEvent(id, "session.created");

        as(host).body(Map.of("title", "Final title", "settings", Map.of("enableChat", false)))
                .patch("/api/sessions/" + id).then().statusCode(200)
                .body("title", equalTo("Final title"))
                .body("settings.enableChat", equalTo(false))
                .body("settings.enableReactions", equalTo(true));
        ReceivedEvent updated = awaitEvent(id, "session.updated");
        assertThat(updated.sequence()).isEqualTo(2L);
        assertThat(updated.json().get("changedFields").toString()).isEqualTo("[\"title\",\"settings\"]");

        as(host).body(Map.of("title", "Final title")).patch("/api/sessions/" + id).then().statusCode(200);
        events.assertNone(e -> id.equals(e.subject()) && e.sequence() != null && e.sequence() > 2, Duration.ofSeconds(1));

        as(host).body(Map.of("description", "")).patch("/api/sessions/" + id).then().statusCode(200)
                .body("description", nullValue());
    }

    @Test
    void scheduledSessionStartsFromFifteenMinutesBefore() {
        String host = newUser("host");
        Instant later = Instant.now().plus(2, ChronoUnit.HOURS);
        String id = createdId(host, Map.of("title", "Later", "kind", "AUDIO", "scheduledAt", later.toString()));
        action(host, id, "start").then().statusCode(409)
                .body("type", equalTo("https://livestage.io/problems/illegal-state-transition"));
        Instant soon = Instant.now().plus(10, ChronoUnit.MINUTES);
        as(host).body(Map.of("scheduledAt", soon.toString())).patch("/api/sessions/" + id).then().statusCode(200);
        action(host, id, "start").then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void illegalTransitionsAnswer409AndChangeNothing() {
        String host = newUser("host");
        String id = createdId(host, audioRoom("Transitions"));
        awaitEvent(id, "session.created");

        action(host, id, "end").then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("type", equalTo("https://livestage.io/problems/illegal-state-transition"))
                .body("detail", matchesPattern(".*cancel it instead.*"));

        action(host, id, "cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        awaitEvent(id, "session.cancelled");
        action(host, id, "start").then().statusCode(409);
        action(host, id, "cancel").then().statusCode(409);
        as(host).body(Map.of("title", "Too late")).patch("/api/sessions/" + id).then().statusCode(409);

        String live = createdId(host, audioRoom("Live one"));
        action(host, live, "start").then().statusCode(200);
        action(host, live, "start").then().statusCode(409);
        action(host, live, "cancel").then().statusCode(409).body("detail", matchesPattern(".*end it instead.*"));
        as(host).delete("/api/sessions/" + live).then().statusCode(409);

        Api.anonymous().get("/api/sessions/" + id).then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("title", equalTo("Transitions"));
        Api.anonymous().get("/api/sessions/" + live).then().statusCode(200).body("status", equalTo("ACTIVE"));
        events.assertNone(e -> id.equals(e.subject()) && e.sequence() != null && e.sequence() > 2, Duration.ofSeconds(1));
    }

    @Test
    void deleteEmitsSessionDeletedAndRemovesTheSession() {
        String host = newUser("host");
        String id = createdId(host, audioRoom("To delete"));
        as(host).delete("/api/sessions/" + id).then().statusCode(204);
        ReceivedEvent deleted = awaitEvent(id, "session.deleted");
        assertThat(deleted.sequence()).isEqualTo(2L);
        assertThat(EventContract.assertValid(deleted)).isEqualTo(EventType.SESSION_DELETED);
        Api.anonymous().get("/api/sessions/" + id).then().statusCode(404);
        as(host).delete("/api/sessions/" + id).then().statusCode(404);
    }
}
