package io.livestage.recording.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.events.livekit.LiveKitWebhookReceived.Participant;
import io.livestage.events.livekit.LiveKitWebhookReceived.Room;
import io.livestage.events.livekit.LiveKitWebhookReceived.Track;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.recording.model.OutputKey;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.service.SpeakerTracks.Left;
import io.livestage.recording.service.SpeakerTracks.Published;
import io.livestage.recording.service.SpeakerTracks.Unpublished;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which webhooks concern speaker tracks, and when a speaker's microphone is recorded on its own. */
class SpeakerTracksTest {
    private static final UUID SESSION = UUID.fromString("0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00");
    private static final UUID RECORDING = UUID.fromString("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    private static final Track MIC = new Track("TR_mic", "AUDIO", "MICROPHONE", false);
    private static final Participant ALICE = new Participant("PA_1", "alice", "Alice Host", "ACTIVE", null);

    private static LiveKitWebhookReceived webhook(String event, String room, Participant participant, Track track) {
        return new LiveKitWebhookReceived(event, "EV_1", Instant.parse("2026-11-21T18:00:00Z"),
                room == null ? null : new Room("RM_1", room), participant, track, null, null);
    }

    private static Participant kind(String kind) {
        return new Participant("PA_2", "someone", "Someone", "ACTIVE", kind);
    }

    private static SessionInfo session(String status, boolean speakerTracks) {
        return new SessionInfo(SESSION, "k3v9q2xa", "AMA", "alice", "AUDIO", "PUBLIC", status, true, speakerTracks);
    }

    @Test
    void aSpeakersMicrophoneBeingPublishedIsRecordedByItsTrack() {
        assertThat(SpeakerTracks.of(webhook("track_published", SESSION.toString(), ALICE, MIC)))
                .contains(new Published(SESSION, "TR_mic", "alice", "Alice Host"));
        assertThat(SpeakerTracks.of(webhook("track_published", SESSION.toString(), kind("STANDARD"), MIC)))
                .contains(new Published(SESSION, "TR_mic", "someone", "Someone"));
        assertThat(SpeakerTracks.of(webhook("track_published", SESSION.toString(), kind("AGENT"), MIC))).isPresent();
    }

    @Test
    void otherTracksRecordersAndForeignRoomsAreNotSpeakers() {
        String room = SESSION.toString();
        assertThat(SpeakerTracks.of(webhook("track_published", room, ALICE,
                new Track("TR_cam", "VIDEO", "CAMERA", false)))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, ALICE,
                new Track("TR_screen_audio", "AUDIO", "SCREEN_SHARE_AUDIO", false)))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, kind("EGRESS"), MIC))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, kind("INGRESS"), MIC))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, null, MIC))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, ALICE, null))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", room, ALICE, new Track("", "AUDIO", "MICROPHONE",
                false)))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", "lobby", ALICE, MIC))).as("not a session").isEmpty();
        assertThat(SpeakerTracks.of(webhook("track_published", null, ALICE, MIC))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("egress_started", room, null, null))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("participant_joined", room, ALICE, null))).isEmpty();
    }

    @Test
    void anUnpublishedMicrophoneOrASpeakerLeavingStopsItsTracks() {
        String room = SESSION.toString();
        assertThat(SpeakerTracks.of(webhook("track_unpublished", room, ALICE, MIC)))
                .contains(new Unpublished(SESSION, "TR_mic"));
        assertThat(SpeakerTracks.of(webhook("track_unpublished", room, ALICE,
                new Track("TR_cam", "VIDEO", "CAMERA", false)))).isEmpty();
        assertThat(SpeakerTracks.of(webhook("participant_left", room, ALICE, null))).contains(new Left(SESSION, "alice"));
        assertThat(SpeakerTracks.of(webhook("participant_connection_aborted", room, ALICE, null)))
                .contains(new Left(SESSION, "alice"));
        assertThat(SpeakerTracks.of(webhook("participant_left", room, null, null))).isEmpty();
    }

    @Test
    void aTrackIsRecordedOnlyWhileTheSessionIsLiveWithTheSettingOnAndARecordingLive() {
        Optional<UUID> live = Optional.of(RECORDING);
        assertThat(SpeakerTracks.records(session("ACTIVE", true), live)).isTrue();
        assertThat(SpeakerTracks.records(session("ACTIVE", false), live)).as("setting off").isFalse();
        assertThat(SpeakerTracks.records(session("ENDED", true), live)).as("session over").isFalse();
        assertThat(SpeakerTracks.records(session("ACTIVE", true), Optional.empty())).as("nothing recording").isFalse();
        assertThat(SpeakerTracks.records(null, live)).as("session not projected yet").isFalse();
    }

    @Test
    void aTrackOutputIsKeyedByItsTrackAndStoredBesideTheFormats() {
        OutputKey track = OutputKey.track(RECORDING, "TR_mic");
        assertThat(track.track()).isTrue();
        assertThat(track.formatColumn()).isEqualTo("OGG");
        assertThat(track.trackSidColumn()).isEqualTo("TR_mic");
        assertThat(OutputKey.of(RECORDING, "OGG", "TR_mic")).isEqualTo(track);
        assertThat(OutputKey.of(RECORDING, "MP3", "").trackSidColumn()).isEmpty();
        assertThatThrownBy(() -> OutputKey.track(RECORDING, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEgressIsMatchedToItsOutputByItsRequest() {
        String trackPath = "/out/" + SESSION + "/" + RECORDING + "-track-TR_mic-{time}.ogg";
        assertThat(OutputUpdates.outputOf("track", trackPath, "DEFAULT_FILETYPE"))
                .isEqualTo(OutputKey.track(RECORDING, "TR_mic"));
        String mp3 = "/out/" + SESSION + "/" + RECORDING + "-{time}.mp3";
        assertThat(OutputUpdates.outputOf("roomComposite", mp3, "MP3")).isEqualTo(OutputKey.composite(RECORDING,
                RecordingFormat.MP3));
        assertThat(OutputUpdates.outputOf("track", mp3, "DEFAULT_FILETYPE")).as("a track request names a track")
                .isNull();
        assertThat(OutputUpdates.outputOf("roomComposite", "/out/r1/{time}.mp3", "MP3")).isNull();
    }
}
