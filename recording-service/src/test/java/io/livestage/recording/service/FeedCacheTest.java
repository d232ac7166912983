package io.livestage.recording.service;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.livestage.recording.podcast.feed.FeedVersion;

import static org.assertj.core.api.Assertions.assertThat;

class FeedCacheTest {
    private static final FeedVersion V1 = new FeedVersion("h", null, 1, Instant.EPOCH);
    private static final FeedVersion V2 = new FeedVersion("h", null, 2, Instant.EPOCH);

    private static RenderedFeed feed(int size) {
        return new RenderedFeed(new byte[size], "\"" + size + "\"", null);
    }

    @Test
    void aFeedIsServedOnlyForTheVersionItWasRenderedFrom() {
        FeedCache cache = new FeedCache(1000);
        RenderedFeed feed = feed(10);
        cache.put("host:h", V1, feed);
        assertThat(cache.get("host:h", V1)).isSameAs(feed);
        assertThat(cache.get("host:h", V2)).isNull();
        assertThat(cache.get("host:other", V1)).isNull();
        cache.put("host:h", V2, feed(20));
        assertThat(cache.get("host:h", V1)).isNull();
        assertThat(cache.bytes()).isEqualTo(20);
    }

    @Test
    void theLeastRecentlyUsedFeedsGoWhenTheBytesExceedTheBound() {
        FeedCache cache = new FeedCache(100);
        cache.put("a", V1, feed(40));
        cache.put("b", V1, feed(40));
        cache.get("a", V1);
        cache.put("c", V1, feed(40));
        assertThat(cache.get("b", V1)).isNull();
        assertThat(cache.get("a", V1)).isNotNull();
        assertThat(cache.get("c", V1)).isNotNull();
        assertThat(cache.bytes()).isEqualTo(80);
        cache.put("huge", V1, feed(101));
        assertThat(cache.get("huge", V1)).as("larger than the whole bound: not kept").isNull();
        assertThat(cache.size()).isEqualTo(2);
    }
}
