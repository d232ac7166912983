package io.livestage.recording.podcast.feed;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Our feed as read by an independent parser: Podcast Index's podcast-partytime (npm, run with Node). */
class PartytimeFeedTest {

    @Test
    void thePinnedParserIsInstalled() {
        assertThat(NodePodcastParser.version()).isEqualTo("5.0.0");
    }

    @Test
    void podcastIndexsParserReadsChannelItemsEnclosuresDurationsGuidTranscriptsAndChapters() {
        JsonNode feed = NodePodcastParser.parse(FeedRendererTest.render());

        assertThat(feed.path("title").asText()).isEqualTo("Tom & Jerry <live>");
        assertThat(feed.path("description").asText()).isEqualTo("About \"us\" & <b>them</b>");
        assertThat(feed.path("language").asText()).isEqualTo("en-us");
        assertThat(feed.path("explicit").asBoolean()).isFalse();
        assertThat(feed.path("explicit").isBoolean()).isTrue();
        assertThat(feed.path("author").asText()).isEqualTo("Tom & Jerry");
        assertThat(feed.path("itunesType").asText()).isEqualTo("episodic");
        assertThat(feed.path("itunesImage").asText()).isEqualTo("https://img.example/cover.png");
        assertThat(feed.path("itunesCategory").get(0).asText()).isEqualTo("News > Tech News");
        assertThat(feed.path("guid").asText()).isEqualTo(PodcastGuid.of(FeedRendererTest.FEED_URL).toString());
        assertThat(feed.path("pubsub").path("self").asText()).isEqualTo(FeedRendererTest.FEED_URL);

        JsonNode items = feed.path("items");
        assertThat(items).hasSize(2);
        JsonNode newest = items.get(0);
        assertThat(newest.path("title").asText()).isEqualTo("Second <one> & more");
        assertThat(newest.path("guid").asText()).isEqualTo(FeedRendererTest.EP2.toString());
        assertThat(newest.path("pubDate").asText()).isEqualTo("2026-12-05T09:03:07.000Z");
        assertThat(newest.path("enclosure").path("url").asText())
                .isEqualTo("https://live.example/podcast/episodes/" + FeedRendererTest.EP2 + ".mp3");
        assertThat(newest.path("enclosure").path("length").asLong()).isEqualTo(4_321_000L);
        assertThat(newest.path("enclosure").path("type").asText()).isEqualTo("audio/mpeg");
        assertThat(newest.path("duration").asLong()).isEqualTo(3661);
        assertThat(newest.path("explicit").asBoolean()).isTrue();
        assertThat(newest.path("itunesEpisode").asInt()).isEqualTo(7);
        assertThat(newest.path("itunesSeason").asInt()).isEqualTo(2);
        assertThat(newest.path("itunesEpisodeType").asText()).isEqualTo("bonus");
        JsonNode transcript = newest.path("podcastTranscripts").get(0);
        assertThat(transcript.path("url").asText())
                .isEqualTo("https://live.example/podcast/episodes/" + FeedRendererTest.EP2 + "/transcript.vtt");
        assertThat(transcript.path("type").asText()).isEqualTo("text/vtt");
        assertThat(newest.path("podcastChapters").path("url").asText())
                .isEqualTo("https://live.example/podcast/episodes/" + FeedRendererTest.EP2 + "/chapters.json");
        assertThat(newest.path("podcastChapters").path("type").asText()).isEqualTo("application/json+chapters");

        JsonNode oldest = items.get(1);
        assertThat(oldest.path("guid").asText()).isEqualTo(FeedRendererTest.EP1.toString());
        assertThat(oldest.path("enclosure").path("length").asLong()).isEqualTo(1_000L);
        assertThat(oldest.path("duration").asLong()).isEqualTo(60);
        assertThat(feed.path("newestItemPubDate").asText()).isEqualTo("2026-12-05T09:03:07.000Z");
        assertThat(feed.path("oldestItemPubDate").asText()).isEqualTo("2019-06-05T19:00:00.000Z");
    }
}
