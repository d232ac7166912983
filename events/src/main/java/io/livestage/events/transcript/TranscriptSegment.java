package io.livestage.events.transcript;

import java.time.Instant;
import java.util.List;

import io.livestage.events.TranscriptEvent;

/**
 * {@code transcript.segment}: Gladia transcribed part of what a speaker said. One speaker's audio connection is one
 * Gladia live session ({@code streamId}); {@code utteranceId} is Gladia's id of the utterance, opaque, unique within the
 * stream — so {@code (streamId, utteranceId)} is unique in the session. Partials ({@code isFinal=false}) and the final
 * of an utterance share the ids; partials may follow each other with changing text, a final never changes and no
 * partial comes after it. {@code startAt}/{@code endAt} are absolute: the stream's start plus Gladia's offsets.
 */
public record TranscriptSegment(
        String sessionId,
        String participantIdentity,
        String speakerName,
        String streamId,
        String utteranceId,
        String text,
        boolean isFinal,
        Instant startAt,
        Instant endAt,
        String language,
        Double confidence,
        List<Word> words) implements TranscriptEvent {

    /** A word with its own times and confidence (as Gladia reports them). */
    public record Word(String word, Instant startAt, Instant endAt, Double confidence) {
    }
}
