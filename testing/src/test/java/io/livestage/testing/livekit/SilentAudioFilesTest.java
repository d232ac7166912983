package io.livestage.testing.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The silent recordings the egress stub writes: their size follows the bitrate and their duration is exact. */
class SilentAudioFilesTest {

    @TempDir
    Path directory;

    @Test
    void anMp3HasTheBitrateItClaimsWithPaddingSpreadOverTheFrames() throws Exception {
        Path file = directory.resolve("nested/ten-seconds.mp3");

        SilentAudioFiles.Written written = SilentAudioFiles.writeMp3(file, Duration.ofSeconds(10), 128, 44100);

        AudioFileStructure.Mp3 mp3 = AudioFileStructure.mp3(file);
        assertThat(mp3.frames()).isEqualTo(383);
        assertThat(written.durationNanos()).isEqualTo(mp3.durationNanos()).isEqualTo(10_004_897_959L);
        // 144 * 128000 / 44100 = 417.96 bytes a frame: 383 frames hold exactly floor(383 * 417.96) bytes.
        assertThat(written.size()).isEqualTo(Files.size(file)).isEqualTo(383L * 144 * 128_000 / 44_100);
    }

    @Test
    void evenAnInstantRecordingIsOneDecodableFrame() throws Exception {
        SilentAudioFiles.Written mp3 = SilentAudioFiles.writeMp3(directory.resolve("a.mp3"), Duration.ZERO, 32,
                32000);
        SilentAudioFiles.Written ogg = SilentAudioFiles.writeOggOpus(directory.resolve("a.ogg"), Duration.ZERO);

        assertThat(AudioFileStructure.mp3(mp3.path()).frames()).isEqualTo(1);
        assertThat(mp3.durationNanos()).isEqualTo(36_000_000L);
        assertThat(AudioFileStructure.oggOpus(ogg.path()).durationNanos()).isEqualTo(20_000_000L)
                .isEqualTo(ogg.durationNanos());
    }

    @Test
    void oggOpusPagesHoldOneSecondEach() throws Exception {
        SilentAudioFiles.Written written = SilentAudioFiles.writeOggOpus(directory.resolve("b.ogg"),
                Duration.ofMillis(2_510));

        AudioFileStructure.OggOpus ogg = AudioFileStructure.oggOpus(written.path());
        assertThat(ogg.pages()).isEqualTo(2 + 3);
        assertThat(ogg.lastGranule()).isEqualTo(126 * 960);
        assertThat(ogg.durationNanos()).isEqualTo(written.durationNanos()).isEqualTo(2_520_000_000L);
    }

    @Test
    void anMp4HoldsOneAacSampleA1024SampleFrame() throws Exception {
        SilentAudioFiles.Written written = SilentAudioFiles.writeMp4Aac(directory.resolve("c.mp4"),
                Duration.ofSeconds(3), 48000);

        AudioFileStructure.Mp4 mp4 = AudioFileStructure.mp4(written.path());
        assertThat(mp4.brand()).isEqualTo("isom");
        assertThat(mp4.channels()).isEqualTo(2);
        assertThat(mp4.sampleRate()).isEqualTo(48000);
        assertThat(mp4.frames()).isEqualTo(141);
        assertThat(mp4.samples()).isEqualTo(141 * 1024);
        assertThat(mp4.durationNanos()).isEqualTo(written.durationNanos()).isEqualTo(3_008_000_000L);
        assertThat(mp4.bytes()).isEqualTo(written.size());
        assertThatThrownBy(() -> SilentAudioFiles.writeMp4Aac(directory.resolve("d.mp4"), Duration.ofSeconds(1),
                22050)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyMpeg1LayerThreeFramesAreWritten() {
        assertThatThrownBy(() -> SilentAudioFiles.writeMp3(directory.resolve("e.mp3"), Duration.ofSeconds(1), 130,
                44100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SilentAudioFiles.writeMp3(directory.resolve("e.mp3"), Duration.ofSeconds(1), 128,
                22050)).isInstanceOf(IllegalArgumentException.class);
        assertThat(directory.resolve("e.mp3")).doesNotExist();
    }
}
