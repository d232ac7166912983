package io.livestage.recording.podcast.feed;

import java.time.Instant;

/**
 * What a feed's content depends on, read with one small query: its channel's last change (null: the host has not
 * saved a profile) and the owner's episodes version and last change (bumped by every insert, update and delete of the
 * host's episodes; 0 and null before the first). Equal versions mean an equal feed.
 *
 * @param hostId the host whose episodes the feed lists (a space's owner)
 */
public record FeedVersion(String hostId, Instant channelUpdatedAt, long episodesVersion, Instant episodesChangedAt) {

    /** When channel or episodes last changed (the feed's Last-Modified and lastBuildDate), or null. */
    public Instant lastModified() {
        if (channelUpdatedAt == null) {
            return episodesChangedAt;
        }
        if (episodesChangedAt == null) {
            return channelUpdatedAt;
        }
        return channelUpdatedAt.isAfter(episodesChangedAt) ? channelUpdatedAt : episodesChangedAt;
    }
}
