package io.livestage.recording.podcast.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.recording.podcast.TimelineEntry;

/** A marker set: when (the server's clock) and its title. */
@Schema(name = "ChapterMarkerSet")
public record MarkerResponse(Instant at, String title, String createdBy) {

    static MarkerResponse of(TimelineEntry entry) {
        return new MarkerResponse(entry.at(), entry.title(), entry.createdBy());
    }
}
