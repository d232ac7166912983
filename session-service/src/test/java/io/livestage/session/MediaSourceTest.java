package io.livestage.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaSourceTest {

    @Test
    void theTrackSourceDecides() {
        assertThat(MediaSource.of("AUDIO", "MICROPHONE")).isEqualTo(MediaSource.MICROPHONE);
        assertThat(MediaSource.of("VIDEO", "CAMERA")).isEqualTo(MediaSource.CAMERA);
    }

    @Test
    void theTypeDecidesWhenTheClientNamedNoSource() {
        assertThat(MediaSource.of("AUDIO", "UNKNOWN")).isEqualTo(MediaSource.MICROPHONE);
        assertThat(MediaSource.of("VIDEO", null)).isEqualTo(MediaSource.CAMERA);
        assertThat(MediaSource.of("DATA", "UNKNOWN")).isNull();
    }

    @Test
    void screenShareIsNotTracked() {
        assertThat(MediaSource.of("VIDEO", "SCREEN_SHARE")).isNull();
        assertThat(MediaSource.of("AUDIO", "SCREEN_SHARE_AUDIO")).isNull();
    }

    @Test
    void settingAFlagSaysWhetherItChanged() {
        Participant p = new Participant();
        assertThat(MediaSource.MICROPHONE.setMuted(p, true)).isTrue();
        assertThat(MediaSource.MICROPHONE.setMuted(p, true)).isFalse();
        assertThat(p.audioMuted).isTrue();
        assertThat(p.videoMuted).isFalse();
        assertThat(MediaSource.CAMERA.setMuted(p, false)).isFalse();
        assertThat(MediaSource.CAMERA.setMuted(p, true)).isTrue();
        assertThat(p.videoMuted).isTrue();
    }
}
