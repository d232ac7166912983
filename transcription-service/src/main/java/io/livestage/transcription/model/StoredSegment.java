package io.livestage.transcription.model;

import java.time.Instant;

/** A stored segment, as the transcript endpoint and the exports read it. */
public record StoredSegment(String participantIdentity, String speakerName, String streamId, String utteranceId,
        String text, boolean isFinal, Instant startAt, Instant endAt, String language, Double confidence) {
}
