package io.livestage.transcription.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.transcription.model.StoredSegment;

import static org.assertj.core.api.Assertions.assertThat;

class ExportsTest {
    private static final Instant ZERO = Instant.parse("2026-11-21T18:00:00Z");

    private static StoredSegment segment(String name, String text, long startMs, long endMs) {
        return new StoredSegment("u-" + name.toLowerCase(), name, "s1", "00_" + startMs, text, true,
                ZERO.plusMillis(startMs), ZERO.plusMillis(endMs), "en", 0.9);
    }

    private final List<StoredSegment> segments = List.of(
            segment("Alice", "Welcome to the show", 1_250, 2_650),
            segment("Bob", "Thanks <for> having me & all\nof you", 3_723_004, 3_725_000));

    @Test
    void webVttHasVoiceSpansAndEscapedCueText() {
        assertThat(Exports.webVtt(segments, ZERO)).isEqualTo("""
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
        assertThat(Exports.srt(segments, ZERO)).isEqualTo("""
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
        assertThat(Exports.text(segments, ZERO)).isEqualTo("""
                [00:00:01] Alice: Welcome to the show
                [01:02:03] Bob: Thanks <for> having me & all of you
                """);
    }

    @Test
    void cueTimesAreRelativeToTheSessionStartAndNeverNegative() {
        assertThat(Exports.zero(ZERO, segments)).isEqualTo(ZERO);
        assertThat(Exports.zero(null, segments)).isEqualTo(ZERO.plusMillis(1_250));
        assertThat(Exports.time(ZERO.minusSeconds(5), ZERO, '.')).isEqualTo("00:00:00.000");
        assertThat(Exports.webVtt(List.of(), ZERO)).isEqualTo("WEBVTT\n");
    }

    @Test
    void aGladiaTranscriptBecomesASegmentWithAbsoluteTimes() {
        SpeakerStream stream = new SpeakerStream(UUID.randomUUID(), "alice", "alice", "Alice Host", 16000, List.of("en"),
                null, null);
        stream.originIfUnset(ZERO);
        JsonObject data = new JsonObject("""
                {"id":"00_00000003","is_final":true,"utterance":{"start":1.25,"end":2.65,"confidence":1.2,"channel":0,
                 "text":" Welcome to the show ","language":"en",
                 "words":[{"word":"Welcome","start":1.25,"end":1.6,"confidence":0.95}]}}""");
        TranscriptSegment s = TranscriptionService.segment(stream, "stream-1", data);
        assertThat(s.utteranceId()).isEqualTo("00_00000003");
        assertThat(s.text()).isEqualTo("Welcome to the show");
        assertThat(s.isFinal()).isTrue();
        assertThat(s.startAt()).isEqualTo(ZERO.plusMillis(1_250));
        assertThat(s.endAt()).isEqualTo(ZERO.plusMillis(2_650));
        assertThat(s.confidence()).as("clamped to [0, 1]").isEqualTo(1.0);
        assertThat(s.words()).singleElement().satisfies(w -> assertThat(w.endAt()).isEqualTo(ZERO.plusMillis(1_600)));
        assertThat(s.speakerName()).isEqualTo("Alice Host");
        assertThat(TranscriptionService.segment(stream, "stream-1", new JsonObject().put("id", "x")))
                .as("no utterance").isNull();
    }
}
