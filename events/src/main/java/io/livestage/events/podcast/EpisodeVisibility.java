package io.livestage.events.podcast;

/**
 * Who finds a published episode: PUBLIC (listed in the feeds, served to anyone), UNLISTED (served to anyone with the
 * link, in no feed), PRIVATE (only its host sees it).
 */
public enum EpisodeVisibility {
    PUBLIC, UNLISTED, PRIVATE
}
