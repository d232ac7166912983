package io.livestage.recording.podcast.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A chapter marker's title. */
@Schema(name = "ChapterMarker")
public record MarkerRequest(@Schema(description = "One line, at most 200 characters") String title) {
}
