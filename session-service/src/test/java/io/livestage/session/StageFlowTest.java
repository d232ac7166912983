package io.livestage.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.testing.contract.EventContract;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.session.Api.action;
import static io.livestage.session.Api.as;
import static io.livestage.session.Api.join;
import static io.livestage.session.Api.liveSession;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/** Joining, the stage queue and host controls, with the events each step publishes. */
@QuarkusTest
class StageFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static EventProbe events;

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void subscribe() {
        events = Api.sessionEvents();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    private static ReceivedEvent awaitEvent(String sessionId, String type, String identity) {
        ReceivedEvent event = events.await(e -> sessionId.equals(e.subject()) && type.equals(e.type())
                && (identity == null || e.dataAsString().contains("\"identity\":\"" + identity + "\"")), WAIT);
        EventContract.assertValid(event);
        return event;
    }

    private static String raiseHand(String user, int xp, String sessionId) {
        return as(user, xp).post("/api/sessions/" + sessionId + "/stage-requests").then().statusCode(200)
                .extract().path("id");
    }

    @Test
    void joiningRegistersOneParticipantPerUserAndRejoinKeepsIt() {
        String host = newUser("host");
        String viewer = newUser("viewer");
        String id = liveSession(host, Map.of());
        as(viewer).body(Map.of()).post("/api/sessions/" + id + "/join").then().statusCode(400)
                .body("field", equalTo("name"));
        as(viewer).body(Map.of("name", "  ")).post("/api/sessions/" + id + "/join").then().statusCode(400);

        String slug = Api.anonymous().get("/api/sessions/" + id).then().extract().path("slug");
        JsonPath first = join(viewer, slug).then().statusCode(200).body("participant.role", equalTo("VIEWER"))
                .body("participant.identity", equalTo(viewer)).body("session.id", equalTo(id)).extract().jsonPath();
        ReceivedEvent joined = awaitEvent(id, "participant.joined", viewer);
        assertThat(joined.json().get("rejoin").asBoolean()).isFalse();

        as(viewer).post("/api/sessions/" + id + "/leave").then().statusCode(200);
        awaitEvent(id, "participant.left", viewer);
        JsonPath again = join(viewer, id).then().statusCode(200).extract().jsonPath();
        assertThat(again.getString("participant.joinedAt")).isEqualTo(first.getString("participant.joinedAt"));
        ReceivedEvent rejoined = events.awaitCount(e -> id.equals(e.subject()) && "participant.joined".equals(e.type())
                && e.dataAsString().contains(viewer), 2, WAIT).get(1);
        assertThat(rejoined.json().get("rejoin").asBoolean()).isTrue();

        join(host, id).then().statusCode(200).body("participant.role", equalTo("HOST"));
        List<String> roles = Api.anonymous().get("/api/sessions/" + id + "/participants").then().statusCode(200)
                .extract().jsonPath().getList("role");
        assertThat(roles).containsExactly("HOST", "VIEWER");
    }

    @Test
    void privateSessionsAdmitOnlyInvitedUsersAndScheduledOnesOpenFifteenMinutesBefore() {
        String host = newUser("host");
        String friend = newUser("friend");
        String stranger = newUser("stranger");
        String id = Api.createdId(host, Map.of("title", "Private", "kind", "VIDEO", "visibility", "PRIVATE"));
        join(stranger, id).then().statusCode(403);
        as(stranger).put("/api/sessions/" + id + "/invites/" + friend).then().statusCode(403);
        as(host).put("/api/sessions/" + id + "/invites/" + friend).then().statusCode(200).body("userId", equalTo(friend));
        as(host).get("/api/sessions/" + id + "/invites").then().statusCode(200).body("userId", Matchers.hasItem(friend));
        join(friend, id).then().statusCode(200).body("participant.role", equalTo("VIEWER"));
        as(host).delete("/api/sessions/" + id + "/invites/" + friend).then().statusCode(204);

        Instant later = Instant.now().plus(1, ChronoUnit.HOURS);
        String scheduled = Api.createdId(host, Map.of("title", "Later", "kind", "AUDIO", "scheduledAt", later.toString()));
        join(friend, scheduled).then().statusCode(409).body("detail", Matchers.containsString("opens at"));
        action(host, id, "start").then().statusCode(200);
        action(host, id, "end").then().statusCode(200);
        join(friend, id).then().statusCode(409);
    }

    @Test
    void queueOrdersByXpThenWaitingTimeAndHostsSeeItAll() {
        String host = newUser("host");
        String low = newUser("low");
        String highFirst = newUser("high1");
        String highSecond = newUser("high2");
        String id = liveSession(host, Map.of());
        for (String user : List.of(low, highFirst, highSecond)) {
            join(user, id).then().statusCode(200);
        }
        String lowRequest = raiseHand(low, 10, id);
        String firstRequest = raiseHand(highFirst, 100, id);
        String secondRequest = raiseHand(highSecond, 100, id);
        ReceivedEvent requested = awaitEvent(id, "guest.requested", highSecond);
        assertThat(requested.json().get("position").asInt()).isEqualTo(2);

        JsonPath queue = as(host).get("/api/sessions/" + id + "/stage-requests").then().statusCode(200).extract().jsonPath();
        assertThat(queue.getList("items.id")).containsExactly(firstRequest, secondRequest, lowRequest);
        assertThat(queue.getList("items.position", Integer.class)).containsExactly(1, 2, 3);

        as(low).get("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                .body("items.size()", equalTo(0)).body("mine.id", equalTo(lowRequest)).body("mine.position", equalTo(3));

        // A reconnect (join again, ask again) keeps the same request and place.
        join(low, id).then().statusCode(200);
        as(low, 10).post("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                .body("id", equalTo(lowRequest)).body("position", equalTo(3));

        as(highFirst).delete("/api/sessions/" + id + "/stage-requests/mine").then().statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        awaitEvent(id, "guest.withdrawn", highFirst);
        as(low).get("/api/sessions/" + id + "/stage-requests").then().body("mine.position", equalTo(2));
    }

    @Test
    void equalXpAndWaitingTimeFallBackToLessSpeakingTimeThenId() throws Exception {
        String host = newUser("host");
        String id = liveSession(host, Map.of());
        Timestamp same = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        UUID talkative = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID quietB = UUID.fromString("00000000-0000-0000-0000-000000000003");
        UUID quietA = UUID.fromString("00000000-0000-0000-0000-000000000002");
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into stage_requests (id, session_id, identity, "
                        + "user_id, name, status, xp, speaking_seconds, requested_at) values (?, ?, ?, ?, ?, 'PENDING', 50, ?, ?)")) {
            Object[][] rows = { { talkative, "talkative", 300L }, { quietB, "quiet-b", 0L }, { quietA, "quiet-a", 0L } };
            for (Object[] row : rows) {
                insert.setObject(1, row[0]);
                insert.setObject(2, UUID.fromString(id));
                insert.setString(3, (String) row[1]);
                insert.setString(4, (String) row[1]);
                insert.setString(5, (String) row[1]);
                insert.setLong(6, (Long) row[2]);
                insert.setTimestamp(7, same);
                insert.executeUpdate();
            }
        }
        List<String> order = as(host).get("/api/sessions/" + id + "/stage-requests").then().statusCode(200)
                .extract().jsonPath().getList("items.identity");
        assertThat(order).containsExactly("quiet-a", "quiet-b", "talkative");
    }

    @Test
    void approvalPutsTheGuestOnStageWithinMaxGuests() {
        String host = newUser("host");
        String first = newUser("guest1");
        String second = newUser("guest2");
        String id = liveSession(host, Map.of("maxGuests", 1, "guestAudioDefault", false));
        join(first, id).then().statusCode(200);
        join(second, id).then().statusCode(200);
        String r1 = raiseHand(first, 0, id);
        String r2 = raiseHand(second, 0, id);

        as(first).post("/api/sessions/" + id + "/stage-requests/" + r2 + "/approve").then().statusCode(403);
        as(host).post("/api/sessions/" + id + "/stage-requests/" + r1 + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("decidedBy", equalTo(host));
        ReceivedEvent approved = awaitEvent(id, "guest.approved", first);
        assertThat(approved.json().at("/participant/role").asText()).isEqualTo("GUEST");
        assertThat(approved.json().at("/participant/audioMuted").asBoolean()).isTrue();
        assertThat(approved.json().get("automatic").asBoolean()).isFalse();

        as(host).post("/api/sessions/" + id + "/stage-requests/" + r2 + "/approve").then().statusCode(409)
                .body("detail", Matchers.containsString("stage is full"));
        as(host).post("/api/sessions/" + id + "/stage-requests/" + r1 + "/approve").then().statusCode(409);
        as(host).post("/api/sessions/" + id + "/stage-requests/" + r2 + "/reject").then().statusCode(200)
                .body("status", equalTo("REJECTED"));
        awaitEvent(id, "guest.rejected", second);
        as(first, 0).post("/api/sessions/" + id + "/stage-requests").then().statusCode(409);
    }

    @Test
    void settingsDecideWhetherHandsAreTakenAndApproved() {
        String host = newUser("host");
        String viewer = newUser("viewer");
        String closed = liveSession(host, Map.of("allowGuests", false));
        join(viewer, closed).then().statusCode(200);
        as(viewer).post("/api/sessions/" + closed + "/stage-requests").then().statusCode(409);

        // raising a hand without having joined registers the caller first (a token no longer does, docs/adr/0019)
        String open = liveSession(host, Map.of("requireApproval", false));
        as(viewer).post("/api/sessions/" + open + "/stage-requests").then().statusCode(200)
                .body("status", equalTo("APPROVED"));
        ReceivedEvent joined = awaitEvent(open, "participant.joined", viewer);
        assertThat(joined.json().at("/participant/role").asText()).isEqualTo("VIEWER");
        ReceivedEvent approved = awaitEvent(open, "guest.approved", viewer);
        assertThat(approved.json().get("automatic").asBoolean()).isTrue();
    }

    @Test
    void hostControlsCohostPowersAndRemovalForGood() {
        String host = newUser("host");
        String cohost = newUser("cohost");
        String guest = newUser("guest");
        String troll = newUser("troll");
        String id = liveSession(host, Map.of("maxGuests", 3));
        for (String user : List.of(cohost, guest, troll)) {
            join(user, id).then().statusCode(200);
        }
        String base = "/api/sessions/" + id + "/participants/";
        as(cohost).body(Map.of("role", "COHOST")).post(base + cohost + "/role").then().statusCode(403);
        as(host).body(Map.of("role", "COHOST")).post(base + cohost + "/role").then().statusCode(200)
                .body("role", equalTo("COHOST"));
        ReceivedEvent promoted = awaitEvent(id, "participant.role-changed", cohost);
        assertThat(promoted.json().get("previousRole").asText()).isEqualTo("VIEWER");

        as(cohost).body(Map.of("role", "GUEST")).post(base + guest + "/role").then().statusCode(200)
                .body("role", equalTo("GUEST")).body("onStage", equalTo(true));
        as(cohost).body(Map.of("audio", true)).post(base + guest + "/mute").then().statusCode(200)
                .body("audioMuted", equalTo(true));
        ReceivedEvent muted = awaitEvent(id, "participant.muted", guest);
        assertThat(muted.json().get("mutedBy").asText()).isEqualTo(cohost);
        as(cohost).body(Map.of()).post(base + guest + "/mute").then().statusCode(400);
        as(cohost).body(Map.of("audio", true)).post(base + troll + "/mute").then().statusCode(409);

        as(cohost).body(Map.of("role", "VIEWER")).post(base + host + "/role").then().statusCode(403);
        as(cohost).body(Map.of("role", "HOST")).post(base + guest + "/role").then().statusCode(400);
        as(cohost).delete(base + host).then().statusCode(403);
        action(cohost, id, "end").then().statusCode(403);

        as(cohost).delete(base + troll).then().statusCode(200);
        awaitEvent(id, "participant.removed", troll);
        join(troll, id).then().statusCode(403).body("detail", Matchers.containsString("removed"));
        as(troll, 0).post("/api/sessions/" + id + "/stage-requests").then().statusCode(403)
                .body("detail", Matchers.containsString("removed"));
        as(host).delete(base + troll).then().statusCode(409);
        as(guest).delete(base + cohost).then().statusCode(403);
    }

    @Test
    void speakingTimeAccruesWhileOnStage() throws InterruptedException {
        String host = newUser("host");
        String guest = newUser("speaker");
        String id = liveSession(host, Map.of());
        join(guest, id).then().statusCode(200);
        String base = "/api/sessions/" + id + "/participants/";
        as(host).body(Map.of("role", "GUEST")).post(base + guest + "/role").then().statusCode(200);
        Thread.sleep(1_200);
        as(host).body(Map.of("role", "VIEWER")).post(base + guest + "/role").then().statusCode(200)
                .body("speakingSeconds", greaterThanOrEqualTo(1)).body("onStage", equalTo(false));
        Thread.sleep(1_100);
        JsonPath participants = Api.anonymous().get(base.substring(0, base.length() - 1)).then().extract().jsonPath();
        int seconds = participants.getInt("find { it.identity == '" + guest + "' }.speakingSeconds");
        assertThat(seconds).isBetween(1, 2);
        ReceivedEvent demoted = events.awaitCount(e -> id.equals(e.subject()) && "participant.role-changed".equals(e.type())
                && e.dataAsString().contains(guest), 2, WAIT).get(1);
        assertThat(demoted.json().at("/participant/speakingSeconds").asLong()).isGreaterThanOrEqualTo(1);

        action(host, id, "end").then().statusCode(200);
        Api.anonymous().get("/api/sessions/" + id + "/participants").then().statusCode(200).body("size()", equalTo(0));
    }
}
