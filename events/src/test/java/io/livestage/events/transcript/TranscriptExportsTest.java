package io.livestage.events.transcript;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptExportsTest {
    private static final Instant ZERO = Instant.parse("2026-11-21T18:00:00Z");

    private static TranscriptExports.Cue cue(String name, String text, long startMs, long endMs) {
        return new TranscriptExports.Cue("u-" + name.toLowerCase(), name, ZERO.plusMillis(startMs),
                ZERO.plusMillis(endMs), text);
    }

    private final List<TranscriptExports.Cue> cues = List.of(
            cue("Alice", "Welcome to the show", 1_250, 2_650),
            cue("Bob", "Thanks <for> having me & all\nof you", 3_723_004, 3_725_000));

    @Test
    void webVttHasVoiceSpansAndEscapedCueText() {
        assertThat(TranscriptExports.webVtt(cues, ZERO)).isEqualTo("""
                WEBVTT

                1
                00:00:01.250 --> 00:00:02.650
                <v Alice>Welcome to the show

                2
                01:02:03.004 --> 01:02:05.000
                <v Bob>Thanks &lt;for> having me &amp; all of you
                """);
    }

    @Test
    void srtUsesCommasAndNamesTheSpeaker() {
        assertThat(TranscriptExports.srt(cues, ZERO)).isEqualTo("""
                1
                00:00:01,250 --> 00:00:02,650
                Alice: Welcome to the show

                2
                01:02:03,004 --> 01:02:05,000
                Bob: Thanks <for> having me & all of you
                """);
    }

    @Test
    void plainTextIsOneLinePerSegment() {
        assertThat(TranscriptExports.text(cues, ZERO)).isEqualTo("""
                [00:00:01] Alice: Welcome to the show
                [01:02:03] Bob: Thanks <for> having me & all of you
                """);
    }

    @Test
    void cueTimesAreRelativeToZeroAndNeverNegative() {
        assertThat(TranscriptExports.zero(ZERO, cues)).isEqualTo(ZERO);
        assertThat(TranscriptExports.zero(null, cues)).isEqualTo(ZERO.plusMillis(1_250));
        assertThat(TranscriptExports.time(ZERO.minusSeconds(5), ZERO, '.')).isEqualTo("00:00:00.000");
        assertThat(TranscriptExports.webVtt(List.of(), ZERO)).isEqualTo("WEBVTT\n");
    }

    @Test
    void aCueThatBeganBeforeZeroStartsAtZeroAndKeepsAPositiveDuration() {
        Instant recordingStart = ZERO.plusSeconds(10);
        assertThat(TranscriptExports.webVtt(List.of(cue("Alice", "Before and after", 8_000, 11_500),
                cue("Bob", "Entirely before", 1_000, 2_000)), recordingStart)).isEqualTo("""
                        WEBVTT

                        1
                        00:00:00.000 --> 00:00:01.500
                        <v Alice>Before and after

                        2
                        00:00:00.000 --> 00:00:00.001
                        <v Bob>Entirely before
                        """);
    }

    @Test
    void aSpeakerWithoutANameIsNamedByTheirIdentity() {
        assertThat(TranscriptExports.webVtt(List.of(new TranscriptExports.Cue("u-carol", " ", ZERO, ZERO.plusSeconds(1),
                "Hi")), ZERO)).contains("<v u-carol>Hi");
    }
}
