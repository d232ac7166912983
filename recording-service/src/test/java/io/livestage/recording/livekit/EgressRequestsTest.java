package io.livestage.recording.livekit;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import livekit.LivekitEgress.S3Upload;
import org.junit.jupiter.api.Test;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.recording.config.RecordingConfig;

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

    @Test
    void s3StorageAsksEgressToUploadToTheBucket() {
        S3Upload upload = EgressRequests.s3Upload(new RecordingConfig.S3() {
            @Override
            public Optional<String> endpoint() {
                return Optional.of("http://minio:9000");
            }

            @Override
            public String region() {
                return "eu-central-1";
            }

            @Override
            public Optional<String> bucket() {
                return Optional.of("recs");
            }

            @Override
            public Optional<String> accessKey() {
                return Optional.of("AKIA");
            }

            @Override
            public Optional<String> secret() {
                return Optional.of("s3cr3t");
            }

            @Override
            public boolean forcePathStyle() {
                return true;
            }

            @Override
            public String prefix() {
                return "recordings";
            }

            @Override
            public Duration presignTtl() {
                return Duration.ofMinutes(5);
            }
        });
        assertThat(upload.getEndpoint()).isEqualTo("http://minio:9000");
        assertThat(upload.getRegion()).isEqualTo("eu-central-1");
        assertThat(upload.getBucket()).isEqualTo("recs");
        assertThat(upload.getAccessKey()).isEqualTo("AKIA");
        assertThat(upload.getSecret()).isEqualTo("s3cr3t");
        assertThat(upload.getForcePathStyle()).isTrue();
        assertThat(EgressRequests.filepath("recordings", SESSION, RECORDING, RecordingFormat.MP3))
                .isEqualTo("recordings/" + SESSION + "/" + RECORDING + "-{time}.mp3");
    }
}
