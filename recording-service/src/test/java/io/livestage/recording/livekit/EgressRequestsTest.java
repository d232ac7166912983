package io.livestage.recording.livekit;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.events.recording.RecordingFormat;

import static org.assertj.core.api.Assertions.assertThat;

class EgressRequestsTest {
    private static final UUID SESSION = UUID.fromString("0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00");
    private static final UUID RECORDING = UUID.fromString("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");

    @Test
    void filePathsLiveInTheSharedFolderPerSessionAndNameTheRecording() {
        assertThat(EgressRequests.filepath("/out", SESSION, RECORDING, RecordingFormat.MP3))
                .isEqualTo("/out/" + SESSION + "/" + RECORDING + "-{time}.mp3");
        assertThat(EgressRequests.filepath("/out/", SESSION, RECORDING, RecordingFormat.MP4))
                .isEqualTo("/out/" + SESSION + "/" + RECORDING + "-{time}.mp4");
        assertThat(EgressRequests.filepath("", SESSION, RECORDING, RecordingFormat.MP3))
                .isEqualTo(SESSION + "/" + RECORDING + "-{time}.mp3");
    }

    @Test
    void theRecordingIsReadBackFromARequestedOrAWrittenPath() {
        assertThat(EgressRequests.recordingOf(EgressRequests.filepath("/out", SESSION, RECORDING, RecordingFormat.MP3)))
                .isEqualTo(RECORDING);
        assertThat(EgressRequests.recordingOf("/out/" + SESSION + "/" + RECORDING + "-2026-11-21T180001.mp3"))
                .isEqualTo(RECORDING);
        assertThat(EgressRequests.recordingOf("/out/r1/{time}.mp3")).isNull();
        assertThat(EgressRequests.recordingOf("/out/r1/not-a-uuid-but-long-enough-to-be-read-as-one.mp3")).isNull();
        assertThat(EgressRequests.recordingOf(null)).isNull();
    }

    @Test
    void aSpeakerTrackIsWrittenBesideTheRecordingAndNamesItsTrack() {
        String path = EgressRequests.trackFilepath("/out", SESSION, RECORDING, "TR_AMkz3Ux8dPq2");
        assertThat(path).isEqualTo("/out/" + SESSION + "/" + RECORDING + "-track-TR_AMkz3Ux8dPq2-{time}.ogg");
        assertThat(EgressRequests.recordingOf(path)).isEqualTo(RECORDING);
        assertThat(EgressRequests.trackOf(path)).isEqualTo("TR_AMkz3Ux8dPq2");
        assertThat(EgressRequests.trackOf("/out/" + SESSION + "/" + RECORDING + "-track-TR_x-2026-11-21T180001.ogg"))
                .isEqualTo("TR_x");
        assertThat(EgressRequests.trackOf(EgressRequests.filepath("/out", SESSION, RECORDING, RecordingFormat.MP3)))
                .as("a composite file names no track").isNull();
        assertThat(EgressRequests.trackOf(null)).isNull();
    }
}
