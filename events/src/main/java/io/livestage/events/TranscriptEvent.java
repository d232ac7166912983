package io.livestage.events;

import io.livestage.events.transcript.TranscriptSegment;

/** The data of an event on {@link Topics#TRANSCRIPT}. */
public sealed interface TranscriptEvent permits TranscriptSegment {
}
