package io.livestage.recording.podcast.feed;

import java.time.Instant;
import java.util.UUID;

/**
 * A podcast profile: the host's own channel ({@code space} null) or a space's. {@code stored} is false for the
 * defaults of a host who has not saved a profile yet ({@link #defaults}).
 */
public record PodcastChannel(
        String hostId,
        String space,
        UUID podcastGuid,
        String title,
        String description,
        String imageUrl,
        String language,
        ApplePodcastCategory category,
        String subcategory,
        boolean explicit,
        String author,
        String copyright,
        ChannelType type,
        Instant updatedAt,
        boolean stored) {

    public static final String DEFAULT_LANGUAGE = "en-us";
    public static final ApplePodcastCategory DEFAULT_CATEGORY = ApplePodcastCategory.TECHNOLOGY;

    /**
     * The profile of a host or space before its owner has written one: title {@code "<host>'s livestage podcast"}
     * (a space: its slug), a one-line description, en-us, Technology, not explicit, the host id as author, no image
     * and no copyright, episodic.
     */
    public static PodcastChannel defaults(String hostId, String space, UUID podcastGuid) {
        String title = space == null ? hostId + "'s livestage podcast" : space;
        String description = space == null ? "Recordings of " + hostId + "'s livestage sessions."
                : "Episodes of " + space + ", recorded live on livestage.";
        return new PodcastChannel(hostId, space, podcastGuid, title, description, null, DEFAULT_LANGUAGE,
                DEFAULT_CATEGORY, null, false, hostId, null, ChannelType.EPISODIC, null, false);
    }
}
