package io.livestage.recording.podcast;

/** Where an episode is in the library: a DRAFT until its host publishes it; UNPUBLISHED when taken back. */
public enum EpisodeStatus {
    DRAFT, PUBLISHED, UNPUBLISHED
}
