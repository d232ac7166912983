package io.livestage.recording.rest;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedConditionsTest {
    private static final String ETAG = "\"abc\"";
    private static final Instant MODIFIED = Instant.parse("2026-12-05T10:00:00.700Z");

    @Test
    void ifNoneMatchComparesWeaklyAcceptsListsAndStarAndWinsOverIfModifiedSince() {
        assertThat(FeedConditions.notModified("\"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified("W/\"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified("\"x\", \"abc\"", null, ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified("*", null, ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified("\"abd\"", null, ETAG, MODIFIED)).isFalse();
        assertThat(FeedConditions.notModified("\"abd\"", "Sat, 05 Dec 2026 10:00:00 GMT", ETAG, MODIFIED))
                .as("If-None-Match present: If-Modified-Since is ignored").isFalse();
    }

    @Test
    void ifModifiedSinceComparesWholeSecondsAndIgnoresBadDates() {
        assertThat(FeedConditions.notModified(null, "Sat, 05 Dec 2026 10:00:00 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified(null, "Sat, 05 Dec 2026 10:00:01 GMT", ETAG, MODIFIED)).isTrue();
        assertThat(FeedConditions.notModified(null, "Sat, 05 Dec 2026 09:59:59 GMT", ETAG, MODIFIED)).isFalse();
        assertThat(FeedConditions.notModified(null, "yesterday", ETAG, MODIFIED)).isFalse();
        assertThat(FeedConditions.notModified(null, "Sat, 05 Dec 2026 10:00:00 GMT", ETAG, null)).isFalse();
        assertThat(FeedConditions.notModified(null, null, ETAG, MODIFIED)).isFalse();
    }
}
