package io.livestage.recording.podcast;

import java.time.Instant;

/**
 * Something that happened in a session that may open a chapter: its start, a speaker brought on stage, or a marker
 * the host or a cohost set. {@code dedupeKey} identifies the event it came from, so a redelivery adds nothing.
 */
public record TimelineEntry(Instant at, Kind kind, String title, String createdBy, String dedupeKey) {

    /** What the entry records. */
    public enum Kind {
        SESSION_STARTED, SPEAKER, MARKER
    }
}
