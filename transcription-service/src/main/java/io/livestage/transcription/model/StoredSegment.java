package io.livestage.transcription.model;

import java.time.Instant;

import io.livestage.events.transcript.TranscriptExports;

/** A stored segment, as the transcript endpoint and the exports read it. */
public record StoredSegment(String participantIdentity, String speakerName, String streamId, String utteranceId,
        String text, boolean isFinal, Instant startAt, Instant endAt, String language, Double confidence) {

    /** The segment as the shared renderer of exports reads it. */
    public TranscriptExports.Cue cue() {
        return new TranscriptExports.Cue(participantIdentity, speakerName, startAt, endAt, text);
    }
}
