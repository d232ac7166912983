package io.livestage.events;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.livestage.events.analytics.SessionStats;
import io.livestage.events.analytics.SessionStatsRecorded;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatModerationAction;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.podcast.PodcastUnpublished;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.events.transcript.TranscriptSegment;

/** One valid sample of every event type, for the catalogue and codec tests. */
public final class EventSamples {
    private EventSamples() {
    }

    public static SessionSnapshot snapshot(SessionStatus status) {
        Instant now = Instant.parse("2026-11-21T18:00:00Z");
        return new SessionSnapshot(UUID.randomUUID().toString(), "k3v9q2xa", "Friday AMA", null, "alice", null,
                SessionKind.VIDEO, SessionVisibility.UNLISTED, status, null,
                status == SessionStatus.ACTIVE || status == SessionStatus.ENDED ? now : null,
                status == SessionStatus.ENDED ? now.plusSeconds(60) : null, now.minusSeconds(60),
                new SessionSettings(100, true, true, 6, true, true, true, false, false, true));
    }

    public static ParticipantSnapshot participant(ParticipantRole role, Instant leftAt) {
        return new ParticipantSnapshot("u-bob", "u-bob", "Bob", role, SessionKind.AUDIO, false, false,
                Instant.parse("2026-11-21T18:00:00Z"), leftAt, 12);
    }

    public static StageRequestSnapshot request(StageRequestStatus status) {
        boolean decided = status != StageRequestStatus.PENDING;
        return new StageRequestSnapshot(UUID.randomUUID().toString(), "u-bob", "u-bob", "Bob", status, 40, 0,
                Instant.parse("2026-11-21T18:01:00Z"), decided ? Instant.parse("2026-11-21T18:02:00Z") : null,
                decided ? "u-alice" : null);
    }

    public static Map<EventType, Object> samples() {
        Instant left = Instant.parse("2026-11-21T18:30:00Z");
        Map<EventType, Object> samples = new EnumMap<>(EventType.class);
        samples.put(EventType.PARTICIPANT_JOINED, new ParticipantJoined(participant(ParticipantRole.VIEWER, null), false));
        samples.put(EventType.PARTICIPANT_LEFT, new ParticipantLeft(participant(ParticipantRole.GUEST, left), "LEFT"));
        samples.put(EventType.PARTICIPANT_ROLE_CHANGED,
                new ParticipantRoleChanged(participant(ParticipantRole.COHOST, null), ParticipantRole.GUEST, "u-alice"));
        samples.put(EventType.PARTICIPANT_MUTED, new ParticipantMuted(participant(ParticipantRole.GUEST, null), true, false, "u-alice"));
        samples.put(EventType.PARTICIPANT_MEDIA_CHANGED,
                new ParticipantMediaChanged(participant(ParticipantRole.GUEST, null), "MICROPHONE"));
        samples.put(EventType.PARTICIPANT_UNMUTE_REQUESTED,
                new ParticipantUnmuteRequested(participant(ParticipantRole.GUEST, null), true, false, "u-alice"));
        samples.put(EventType.PARTICIPANT_REMOVED, new ParticipantRemoved(participant(ParticipantRole.VIEWER, left), "u-alice"));
        samples.put(EventType.GUEST_REQUESTED, new GuestRequested(request(StageRequestStatus.PENDING), 1));
        samples.put(EventType.GUEST_APPROVED, new GuestApproved(request(StageRequestStatus.APPROVED),
                participant(ParticipantRole.GUEST, null), false));
        samples.put(EventType.GUEST_REJECTED, new GuestRejected(request(StageRequestStatus.REJECTED)));
        samples.put(EventType.GUEST_WITHDRAWN, new GuestWithdrawn(request(StageRequestStatus.WITHDRAWN)));
        samples.put(EventType.LIVEKIT_WEBHOOK, new LiveKitWebhookReceived("participant_joined", "EV_1",
                Instant.parse("2026-11-21T18:00:00Z"), new LiveKitWebhookReceived.Room("RM_1", "room-1"),
                new LiveKitWebhookReceived.Participant("PA_1", "u-bob", "Bob", "ACTIVE", "STANDARD"), null, null, null));
        samples.putAll(sessionSamples());
        samples.putAll(chatSamples());
        Instant spoken = Instant.parse("2026-11-21T18:12:01.250Z");
        samples.put(EventType.TRANSCRIPT_SEGMENT, new TranscriptSegment(UUID.randomUUID().toString(), "u-alice",
                "Alice Host", "45463597-20b7-4af7-b3b3-f5fb778203ab", "00_00000003", "Welcome to the show", true,
                spoken, spoken.plusMillis(1400), "en", 0.93,
                List.of(new TranscriptSegment.Word("Welcome", spoken, spoken.plusMillis(400), 0.95))));
        samples.putAll(recordingSamples());
        samples.putAll(podcastSamples());
        samples.putAll(analyticsSamples());
        return samples;
    }

    /**
     * The final statistics of a 3 min 30 s session (18:00:00 to 18:03:30): three viewers, four views (one viewer
     * left and came back after the grace) of 30, 100, 150 and 200 s, one guest who spoke.
     */
    public static SessionStats finalStats(String session) {
        Instant started = Instant.parse("2026-11-21T18:00:00Z");
        Instant ended = started.plusSeconds(210);
        List<Instant> minutes = List.of(started, started.plusSeconds(60), started.plusSeconds(120),
                started.plusSeconds(180));
        SessionStats.Audience audience = new SessionStats.Audience(0, 3, Instant.parse("2026-11-21T18:01:12.345Z"), 3,
                4, 480_000, 120_000, 125_000,
                List.of(new SessionStats.Count("desktop", 2), new SessionStats.Count("mobile", 1)),
                List.of(new SessionStats.Count("DE", 2), new SessionStats.Count("FR", 1)),
                points(minutes, 2, 3, 3, 1));
        SessionStats.Chat chat = new SessionStats.Chat(9, 3.0, points(minutes, 1, 4, 3, 1));
        SessionStats.Reactions reactions = new SessionStats.Reactions(21, Map.of("heart", 17L, "fire", 4L), 2.625);
        SessionStats.Stage stage = new SessionStats.Stage(2, 1, 2, 1, 1, 0.3333,
                List.of(new SessionStats.Speaker("u-alice", "Alice Host", 150, 0.75),
                        new SessionStats.Speaker("u-bob", "Bob", 50, 0.25)));
        return new SessionStats(session, "Friday AMA", "u-alice", null, started, ended, false, 210, audience, chat,
                reactions, stage, 1);
    }

    private static List<SessionStats.Point> points(List<Instant> minutes, long... values) {
        return IntStream.range(0, values.length)
                .mapToObj(i -> new SessionStats.Point(minutes.get(i), values[i])).toList();
    }

    public static Map<EventType, Object> analyticsSamples() {
        return Map.of(EventType.ANALYTICS_SESSION_STATS,
                new SessionStatsRecorded(finalStats(UUID.randomUUID().toString())));
    }

    public static Map<EventType, Object> podcastSamples() {
        String episode = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        Instant published = Instant.parse("2026-11-21T20:15:00Z");
        return Map.of(
                EventType.PODCAST_PUBLISHED, new PodcastPublished(episode, session, UUID.randomUUID().toString(),
                        "u-alice", "indie-makers", "Episode 12", EpisodeVisibility.PUBLIC, 57_600_123, 3_598_500,
                        published),
                EventType.PODCAST_UNPUBLISHED, new PodcastUnpublished(episode, session, "u-alice",
                        PodcastUnpublished.Reason.DELETED, published.plusSeconds(3600)));
    }

    public static Map<EventType, Object> recordingSamples() {
        String recording = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        Instant started = Instant.parse("2026-11-21T18:00:01.900Z");
        Instant ended = Instant.parse("2026-11-21T19:00:00.400Z");
        return Map.of(
                EventType.RECORDING_STARTED, new RecordingStarted(recording, session, "EG_hNsLgWkuVF3N",
                        RecordingFormat.MP3, RecordingTrigger.AUTO, started),
                EventType.RECORDING_COMPLETED, new RecordingCompleted(recording, session, "EG_hNsLgWkuVF3N",
                        RecordingFormat.MP3, RecordingFormat.MP3.mimeType(), "/out/" + session + "/rec.mp3", 57_600_123,
                        3_598_500, started, ended),
                EventType.RECORDING_FAILED, new RecordingFailed(recording, session, null, RecordingFormat.MP4,
                        "the session ended before its LiveKit room existed", null, ended));
    }

    public static Map<EventType, Object> sessionSamples() {
        return Map.of(
                EventType.SESSION_CREATED, new SessionCreated(snapshot(SessionStatus.SCHEDULED)),
                EventType.SESSION_UPDATED, new SessionUpdated(snapshot(SessionStatus.ACTIVE), List.of("title")),
                EventType.SESSION_STARTED, new SessionStarted(snapshot(SessionStatus.ACTIVE)),
                EventType.SESSION_ENDED, new SessionEnded(snapshot(SessionStatus.ENDED), 60),
                EventType.SESSION_CANCELLED, new SessionCancelled(snapshot(SessionStatus.CANCELLED)),
                EventType.SESSION_DELETED, new SessionDeleted(snapshot(SessionStatus.ENDED)));
    }

    public static Map<EventType, Object> chatSamples() {
        String session = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-11-21T18:10:00Z");
        return Map.of(
                EventType.CHAT_MESSAGE, new ChatMessagePosted(UUID.randomUUID().toString(), 42, session,
                        new ChatAuthor("u-bob", "Bob", ParticipantRole.VIEWER), "Great question!", "c-1", at),
                EventType.CHAT_REACTION, new ChatReactionBurst(session, at, at.plusMillis(500),
                        Map.of("heart", 17L, "fire", 4L), 21),
                EventType.CHAT_MODERATED, new ChatModerated(UUID.randomUUID().toString(), session,
                        ChatModerationAction.SETTINGS_CHANGED, "u-alice", null, null, null, null, null,
                        new ChatSettingsSnapshot(10, false, false, 2), at),
                EventType.VIEWER_PRESENCE, new ViewerPresence(session, UUID.randomUUID().toString(),
                        ViewerPresence.PresenceChange.LEFT, null, true, ParticipantRole.VIEWER, "desktop", null, at, 30L));
    }
}
