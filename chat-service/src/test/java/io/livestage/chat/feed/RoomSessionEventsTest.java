package io.livestage.chat.feed;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.livestage.chat.event.Snapshots;
import io.livestage.chat.feed.RoomUpdate.UserChange;
import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.SessionView;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;

import static io.livestage.chat.feed.FrameJson.read;
import static org.assertj.core.api.Assertions.assertThat;

/** session-service's events as a room's sockets get them: system lines, stage frames, role changes, removals, the end. */
class RoomSessionEventsTest {
    private static final String SESSION = "0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00";
    private static final Instant AT = Instant.parse("2026-11-21T18:05:00Z");

    private final RoomSessionEvents events = new RoomSessionEvents(FrameJson.FRAMES);

    private static SessionSnapshot session(SessionStatus status, boolean enableChat, Instant endedAt) {
        return new SessionSnapshot(SESSION, "friday-ama", "Friday AMA", null, "u-alice", null, SessionKind.AUDIO,
                SessionVisibility.PUBLIC, status, null, AT, endedAt, AT,
                new SessionSettings(100, true, true, 4, enableChat, true, true, false, false, false));
    }

    private static SessionView view(SessionChange change, long seq) {
        return Snapshots.session(change, seq);
    }

    private static ParticipantSnapshot participant(String userId, String name, ParticipantRole role) {
        return new ParticipantSnapshot(userId, userId, name, role, SessionKind.AUDIO, true, true, AT, null, 0);
    }

    private static StageRequestSnapshot request(StageRequestStatus status) {
        return new StageRequestSnapshot("r-1", "u-bob", "u-bob", "Bob", status, 40, 95, AT, null, null);
    }

    private List<RoomUpdate> onParticipant(String type, ParticipantChange change, SessionView session) {
        return events.onParticipant(type, change, Snapshots.member(change, 3), session);
    }

    private static JsonNode frameTo(Class<? extends RoomUpdate> kind, RoomUpdate update) {
        assertThat(update).isInstanceOf(kind);
        return read(switch (update) {
            case RoomUpdate.ToRoom to -> to.frame();
            case RoomUpdate.ToModerators to -> to.frame();
            case RoomUpdate.ToUser to -> to.frame();
            case RoomUpdate.End end -> end.frame();
            default -> throw new AssertionError("no frame in " + update);
        });
    }

    private static void assertSystem(JsonNode frame, String event, String userId, String role, String text) {
        assertThat(frame.path("type").asText()).isEqualTo("system");
        assertThat(frame.path("event").asText()).isEqualTo(event);
        assertThat(frame.path("userId").asText()).isEqualTo(userId);
        assertThat(frame.path("role").asText()).isEqualTo(role);
        assertThat(frame.path("text").asText()).isEqualTo(text);
    }

    @Test
    void anEndedSessionEndsTheRoomWithItsEndTime() {
        Instant endedAt = Instant.parse("2026-11-21T19:00:00Z");
        SessionEnded ended = new SessionEnded(session(SessionStatus.ENDED, true, endedAt), 3300);

        List<RoomUpdate> updates = events.onSessionChange(ended, view(new SessionStarted(
                session(SessionStatus.ACTIVE, true, null)), 1), view(ended, 2), ChatSettings.DEFAULTS);

        assertThat(updates).hasSize(1);
        JsonNode frame = frameTo(RoomUpdate.End.class, updates.get(0));
        assertThat(frame.path("type").asText()).isEqualTo("session.ended");
        assertThat(frame.path("endedAt").asText()).isEqualTo("2026-11-21T19:00:00Z");
    }

    @Test
    void aStartedSessionIsASystemLineFromTheHost() {
        SessionStarted started = new SessionStarted(session(SessionStatus.ACTIVE, true, null));

        List<RoomUpdate> updates = events.onSessionChange(started, null, view(started, 1), ChatSettings.DEFAULTS);

        assertThat(updates).hasSize(1);
        assertSystem(frameTo(RoomUpdate.ToRoom.class, updates.get(0)), "session.started", "u-alice", "HOST",
                "The session started");
    }

    @Test
    void turningChatOffIsASettingsFrameAndOtherUpdatesAreSilent() {
        SessionView before = view(new SessionStarted(session(SessionStatus.ACTIVE, true, null)), 1);
        SessionUpdated chatOff = new SessionUpdated(session(SessionStatus.ACTIVE, false, null), List.of("settings"));
        SessionUpdated retitled = new SessionUpdated(session(SessionStatus.ACTIVE, true, null), List.of("title"));
        ChatSettings settings = new ChatSettings(5, false, false, List.of("spam*"));

        List<RoomUpdate> off = events.onSessionChange(chatOff, before, view(chatOff, 2), settings);

        assertThat(off).hasSize(1);
        JsonNode frame = frameTo(RoomUpdate.ToRoom.class, off.get(0));
        assertThat(frame.path("type").asText()).isEqualTo("settings");
        assertThat(frame.path("enableChat").asBoolean()).isFalse();
        assertThat(frame.path("slowModeSeconds").asInt()).isEqualTo(5);
        assertThat(events.onSessionChange(retitled, before, view(retitled, 2), settings)).isEmpty();
        assertThat(events.onSessionChange(chatOff, null, view(chatOff, 2), settings)).isEmpty();
    }

    @Test
    void joinsAndLeavesAreSystemLinesNamedForTheParticipant() {
        ParticipantJoined joined = new ParticipantJoined(participant("u-dan", "Dan", ParticipantRole.VIEWER), false);
        ParticipantLeft left = new ParticipantLeft(participant("u-dan", null, ParticipantRole.VIEWER), "left");

        List<RoomUpdate> join = onParticipant("participant.joined", joined, null);
        List<RoomUpdate> leave = onParticipant("participant.left", left, null);

        assertThat(join).hasSize(1);
        assertSystem(frameTo(RoomUpdate.ToRoom.class, join.get(0)), "participant.joined", "u-dan", "VIEWER", "Dan joined");
        assertThat(leave).hasSize(1);
        assertSystem(frameTo(RoomUpdate.ToRoom.class, leave.get(0)), "participant.left", "u-dan", "VIEWER", "u-dan left");
    }

    @Test
    void aRoleChangeIsAPromotionOrADemotionAndTheUsersSocketsTakeTheRole() {
        SessionView live = view(new SessionStarted(session(SessionStatus.ACTIVE, true, null)), 1);
        ParticipantRoleChanged up = new ParticipantRoleChanged(participant("u-carol", "Carol", ParticipantRole.COHOST),
                ParticipantRole.VIEWER, "u-alice");
        ParticipantRoleChanged down = new ParticipantRoleChanged(participant("u-carol", "Carol", ParticipantRole.GUEST),
                ParticipantRole.COHOST, "u-alice");

        List<RoomUpdate> promoted = onParticipant("participant.role-changed", up, live);
        List<RoomUpdate> demoted = onParticipant("participant.role-changed", down, live);

        assertSystem(frameTo(RoomUpdate.ToRoom.class, promoted.get(0)), "participant.promoted", "u-carol", "COHOST",
                "Carol is now cohost");
        assertThat(promoted.get(1)).isEqualTo(new RoomUpdate.ChangeUser("u-carol", new UserChange.Role("COHOST"), null));
        assertSystem(frameTo(RoomUpdate.ToRoom.class, demoted.get(0)), "participant.demoted", "u-carol", "GUEST",
                "Carol is now guest");
        assertThat(demoted.get(1)).isEqualTo(new RoomUpdate.ChangeUser("u-carol", new UserChange.Role("GUEST"), null));
    }

    @Test
    void theHostStaysHostOnTheirSocketsWhateverTheirParticipantRoleSays() {
        SessionView live = view(new SessionStarted(session(SessionStatus.ACTIVE, true, null)), 1);
        ParticipantRoleChanged host = new ParticipantRoleChanged(participant("u-alice", "Alice", ParticipantRole.COHOST),
                ParticipantRole.VIEWER, "u-alice");

        assertThat(onParticipant("participant.role-changed", host, live).get(1))
                .isEqualTo(new RoomUpdate.ChangeUser("u-alice", new UserChange.Role("HOST"), null));
    }

    @Test
    void anApprovedGuestJoinsTheStageForTheRoomAndTheModeratorsSeeTheRequest() {
        GuestApproved approved = new GuestApproved(request(StageRequestStatus.APPROVED),
                participant("u-bob", "Bob", ParticipantRole.GUEST), false);

        List<RoomUpdate> updates = onParticipant("guest.approved", approved, null);

        assertThat(updates).hasSize(3);
        assertSystem(frameTo(RoomUpdate.ToRoom.class, updates.get(0)), "guest.approved", "u-bob", "GUEST",
                "Bob joined the stage");
        JsonNode stage = frameTo(RoomUpdate.ToModerators.class, updates.get(1));
        assertThat(stage.path("event").asText()).isEqualTo("guest.approved");
        assertThat(stage.has("position")).isFalse();
        assertThat(updates.get(2)).isEqualTo(new RoomUpdate.ChangeUser("u-bob", new UserChange.Role("GUEST"), null));
    }

    @Test
    void aRaisedHandIsForTheModeratorsWithItsPlaceAndWithoutIdentityOrSpeakingTime() {
        List<RoomUpdate> updates = events.onStage("guest.requested",
                new GuestRequested(request(StageRequestStatus.PENDING), 2));

        assertThat(updates).hasSize(1);
        JsonNode frame = frameTo(RoomUpdate.ToModerators.class, updates.get(0));
        assertThat(frame.path("type").asText()).isEqualTo("stage");
        assertThat(frame.path("event").asText()).isEqualTo("guest.requested");
        assertThat(frame.path("position").asInt()).isEqualTo(2);
        assertThat(frame.at("/request/id").asText()).isEqualTo("r-1");
        assertThat(frame.at("/request/xp").asInt()).isEqualTo(40);
        assertThat(frame.at("/request/requestedAt").asText()).isEqualTo("2026-11-21T18:05:00Z");
        assertThat(frame.path("request").has("identity")).isFalse();
        assertThat(frame.path("request").has("speakingSeconds")).isFalse();
    }

    @Test
    void aRemovedParticipantIsASystemLineAndTheirSocketsClose4403() {
        ParticipantRemoved removed = new ParticipantRemoved(participant("u-eve", "Eve", ParticipantRole.VIEWER), "u-alice");

        List<RoomUpdate> updates = onParticipant("participant.removed", removed, null);

        assertThat(updates).hasSize(2);
        assertSystem(frameTo(RoomUpdate.ToRoom.class, updates.get(0)), "participant.removed", "u-eve", "VIEWER",
                "Eve was removed");
        RoomUpdate.CloseUser close = (RoomUpdate.CloseUser) updates.get(1);
        assertThat(close.userId()).isEqualTo("u-eve");
        assertThat(close.code()).isEqualTo(4403);
        assertThat(read(close.frame()).path("code").asText()).isEqualTo("removed");
    }

    @Test
    void anUnmuteRequestReachesOnlyThatParticipantAndMutesShowNothing() {
        ParticipantSnapshot bob = participant("u-bob", "Bob", ParticipantRole.GUEST);

        List<RoomUpdate> asked = onParticipant("participant.unmute-requested",
                new ParticipantUnmuteRequested(bob, true, false, "u-alice"), null);

        assertThat(asked).hasSize(1);
        assertThat(((RoomUpdate.ToUser) asked.get(0)).userId()).isEqualTo("u-bob");
        JsonNode frame = frameTo(RoomUpdate.ToUser.class, asked.get(0));
        assertThat(frame.path("type").asText()).isEqualTo("unmute.request");
        assertThat(frame.path("audio").asBoolean()).isTrue();
        assertThat(frame.path("video").asBoolean()).isFalse();
        assertThat(frame.path("requestedBy").asText()).isEqualTo("u-alice");
        assertThat(onParticipant("participant.muted", new ParticipantMuted(bob, true, false, "u-alice"), null)).isEmpty();
        assertThat(onParticipant("participant.media-changed", new ParticipantMediaChanged(bob, "microphone"), null))
                .isEmpty();
    }
}
