package io.livestage.events;

import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.podcast.PodcastUnpublished;

/**
 * The data of an event on {@link Topics#PODCAST}: a podcast episode (recording-service's library) was published or
 * taken back. The aggregate is the episode: its id is the Kafka key and {@code ce_subject}.
 */
public sealed interface PodcastEvent permits PodcastPublished, PodcastUnpublished {

    /** The episode (the aggregate; also the feed item's guid). */
    String episodeId();

    /** The session the episode was recorded from. */
    String sessionId();
}
