package io.livestage.chat.feed;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.livestage.chat.feed.RoomUpdate.UserChange;
import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.SessionView;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatModerationAction;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.transcript.TranscriptSegment;

import static io.livestage.chat.feed.FrameJson.asRead;
import static io.livestage.chat.feed.FrameJson.read;
import static org.assertj.core.api.Assertions.assertThat;

/** Chat and transcript events as the room's sockets get them: which frames, to whom, with what in them. */
class RoomChatEventsTest {
    private static final String SESSION = "0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00";
    private static final Instant AT = Instant.parse("2026-11-21T18:10:00.201Z");
    private static final SessionView LIVE = new SessionView(SESSION, "friday-ama", "Friday AMA", "u-alice", "AUDIO",
            "PUBLIC", "ACTIVE", true, false, null, 7);

    private final RoomChatEvents events = new RoomChatEvents(FrameJson.FRAMES);

    private static JsonNode onlyFrameToRoom(List<RoomUpdate> updates) {
        assertThat(updates).hasSize(1).first().isInstanceOf(RoomUpdate.ToRoom.class);
        return read(((RoomUpdate.ToRoom) updates.get(0)).frame());
    }

    private static ChatModerated moderated(ChatModerationAction action, String target, String messageId, Instant until,
            ChatSettingsSnapshot settings) {
        return new ChatModerated("a-1", SESSION, action, "u-alice", target, messageId, until == null ? null : 600L,
                until, null, settings, AT);
    }

    @Test
    void aMessageIsOneFrameForTheRoomCarryingTheEventsDataAsIs() {
        ChatMessagePosted message = new ChatMessagePosted("5c1e2d3f-4a5b-4c6d-8e7f-901a2b3c4d5e", 42, SESSION,
                new ChatAuthor("u-bob", "Bob", ParticipantRole.GUEST), "Great question!", "c-7f3a9", AT);

        JsonNode frame = onlyFrameToRoom(events.onChat(message, LIVE));

        assertThat(frame.path("v").asInt()).isEqualTo(1);
        assertThat(frame.path("type").asText()).isEqualTo("chat.message");
        assertThat(frame.has("replay")).isFalse();
        assertThat(frame.path("message")).isEqualTo(asRead(message));
        assertThat(frame.at("/message/sentAt").asText()).isEqualTo("2026-11-21T18:10:00.201Z");
    }

    @Test
    void aReactionBurstIsOneFrameWithItsCountsAndWindow() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("heart", 17L);
        counts.put("fire", 4L);
        ChatReactionBurst burst = new ChatReactionBurst(SESSION, AT, AT.plusMillis(500), counts, 21);

        JsonNode frame = onlyFrameToRoom(events.onChat(burst, LIVE));

        assertThat(frame.path("type").asText()).isEqualTo("reactions");
        assertThat(frame.at("/counts/heart").asLong()).isEqualTo(17);
        assertThat(frame.at("/counts/fire").asLong()).isEqualTo(4);
        assertThat(frame.path("total").asLong()).isEqualTo(21);
        assertThat(frame.path("windowMs").asLong()).isEqualTo(500);
    }

    @Test
    void aTranscriptSegmentIsACaptionCarryingTheSegmentAsIs() {
        TranscriptSegment segment = new TranscriptSegment(SESSION, "u-alice", "Alice Host", "stream-1", "00_00000003",
                "Welcome to the show", true, AT, AT.plusMillis(1400), "en", 0.93,
                List.of(new TranscriptSegment.Word("Welcome", AT, AT.plusMillis(400), 0.95)));

        JsonNode frame = onlyFrameToRoom(events.onTranscript(segment));

        assertThat(frame.path("type").asText()).isEqualTo("caption");
        assertThat(frame.path("segment")).isEqualTo(asRead(segment));
    }

    @Test
    void viewerPresenceReachesNoSocket() {
        ViewerPresence joined = new ViewerPresence(SESSION, "conn-1", ViewerPresence.PresenceChange.JOINED, "u-bob",
                false, ParticipantRole.VIEWER, "desktop", "FR", AT, null);

        assertThat(events.onChat(joined, LIVE)).isEmpty();
    }

    @Test
    void aDeletedMessageIsToldToTheWholeRoom() {
        JsonNode frame = onlyFrameToRoom(events.onChat(
                moderated(ChatModerationAction.MESSAGE_DELETED, null, "m-1", null, null), LIVE));

        assertThat(frame.path("type").asText()).isEqualTo("chat.deleted");
        assertThat(frame.path("id").asText()).isEqualTo("m-1");
        assertThat(frame.path("deletedBy").asText()).isEqualTo("u-alice");
    }

    @Test
    void aTimeoutReachesOnlyItsTargetWithTheEndOfTheTimeout() {
        Instant until = AT.plusSeconds(600);
        List<RoomUpdate> updates = events.onChat(
                moderated(ChatModerationAction.USER_TIMED_OUT, "u-bob", null, until, null), LIVE);

        assertThat(updates).hasSize(1).first().isInstanceOf(RoomUpdate.ChangeUser.class);
        RoomUpdate.ChangeUser change = (RoomUpdate.ChangeUser) updates.get(0);
        assertThat(change.userId()).isEqualTo("u-bob");
        assertThat(change.change()).isEqualTo(new UserChange.TimedOut(until));
        JsonNode notice = read(change.notice());
        assertThat(notice.path("type").asText()).isEqualTo("error");
        assertThat(notice.path("code").asText()).isEqualTo("timed_out");
        assertThat(notice.path("until").asText()).isEqualTo("2026-11-21T18:20:00.201Z");
    }

    @Test
    void aBanIsNoticedByItsTargetAndAnUnbanLiftsBanAndTimeoutSilently() {
        List<RoomUpdate> ban = events.onChat(moderated(ChatModerationAction.USER_BANNED, "u-bob", null, null, null), LIVE);
        List<RoomUpdate> unban = events.onChat(
                moderated(ChatModerationAction.USER_UNBANNED, "u-bob", null, null, null), LIVE);

        assertThat(ban).hasSize(1).first().isInstanceOf(RoomUpdate.ChangeUser.class);
        RoomUpdate.ChangeUser banned = (RoomUpdate.ChangeUser) ban.get(0);
        assertThat(banned.change()).isEqualTo(new UserChange.Banned());
        assertThat(read(banned.notice()).path("code").asText()).isEqualTo("banned");
        assertThat(unban).containsExactly(new RoomUpdate.ChangeUser("u-bob", new UserChange.Unbanned(), null));
    }

    @Test
    void signedInOnlySettingsAreAppliedAnnouncedAndCloseTheAnonymousSockets() {
        List<RoomUpdate> updates = events.onChat(moderated(ChatModerationAction.SETTINGS_CHANGED, null, null, null,
                new ChatSettingsSnapshot(10, true, false, 3)), LIVE);

        assertThat(updates).hasSize(3);
        assertThat(updates.get(0)).isEqualTo(new RoomUpdate.Settings(new ChatSettings(10, true, false, List.of())));
        JsonNode settings = read(((RoomUpdate.ToRoom) updates.get(1)).frame());
        assertThat(settings.path("type").asText()).isEqualTo("settings");
        assertThat(settings.path("slowModeSeconds").asInt()).isEqualTo(10);
        assertThat(settings.path("signedInOnly").asBoolean()).isTrue();
        assertThat(settings.path("enableChat").asBoolean()).isTrue();
        assertThat(settings.path("enableReactions").asBoolean()).isFalse();
        assertThat(settings.has("blockedTerms")).isFalse();
        RoomUpdate.CloseAnonymous close = (RoomUpdate.CloseAnonymous) updates.get(2);
        assertThat(close.code()).isEqualTo(4401);
        assertThat(read(close.frame()).path("code").asText()).isEqualTo("signed_in_only");
    }

    @Test
    void settingsOfARoomWithoutASessionViewAreAppliedButNotAnnounced() {
        List<RoomUpdate> updates = events.onChat(moderated(ChatModerationAction.SETTINGS_CHANGED, null, null, null,
                new ChatSettingsSnapshot(0, false, true, 0)), null);

        assertThat(updates).containsExactly(new RoomUpdate.Settings(new ChatSettings(0, false, true, List.of())));
    }
}
