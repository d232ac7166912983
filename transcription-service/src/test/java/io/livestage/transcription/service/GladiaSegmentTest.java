package io.livestage.transcription.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import io.livestage.events.transcript.TranscriptSegment;

import static org.assertj.core.api.Assertions.assertThat;

/** What a Gladia transcript message becomes: a segment with absolute times (the exports are the events module's). */
class GladiaSegmentTest {
    private static final Instant ZERO = Instant.parse("2026-11-21T18:00:00Z");

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
