package io.livestage.recording.service;

/**
 * A podcast profile as its owner writes it (every field optional: a missing one takes its default, see
 * {@link io.livestage.recording.podcast.feed.PodcastChannel#defaults}).
 */
public record ChannelInput(
        String title,
        String description,
        String imageUrl,
        String language,
        String category,
        String subcategory,
        Boolean explicit,
        String author,
        String copyright,
        String type) {
}
