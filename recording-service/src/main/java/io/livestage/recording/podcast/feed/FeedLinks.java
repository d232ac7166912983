package io.livestage.recording.podcast.feed;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The public URLs of feeds and episode files, under the service's public base URL
 * ({@code livestage.recording.public-url}, the gateway): what podcast apps fetch without a token.
 */
public final class FeedLinks {
    private final String base;

    /** {@code publicUrl} such as {@code https://livestage.example} (trailing slashes ignored). */
    public FeedLinks(String publicUrl) {
        String url = publicUrl.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        this.base = url;
    }

    /** The site, the channel's {@code <link>}. */
    public String site() {
        return base + "/";
    }

    public String hostFeed(String hostId) {
        return base + "/podcast/feeds/hosts/" + segment(hostId) + ".xml";
    }

    public String spaceFeed(String space) {
        return base + "/podcast/feeds/spaces/" + segment(space) + ".xml";
    }

    /** The feed of a channel: its space's, or its host's. */
    public String feed(String hostId, String space) {
        return space == null ? hostFeed(hostId) : spaceFeed(space);
    }

    /** The enclosure: the episode's MP3. */
    public String enclosure(UUID episode) {
        return base + "/podcast/episodes/" + episode + ".mp3";
    }

    public String transcript(UUID episode) {
        return base + "/podcast/episodes/" + episode + "/transcript.vtt";
    }

    public String chapters(UUID episode) {
        return base + "/podcast/episodes/" + episode + "/chapters.json";
    }

    /** One path segment, percent-encoded (a space is %20, not +). */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
