package io.livestage.recording.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileServingTest {
    // 2026-12-06T05:00:00.250Z
    private static final FileServing.Stat FILE = new FileServing.Stat(1000, 1796533200250L);
    private static final String ETAG = FileServing.etag(FILE);
    private static final String LAST_MODIFIED = FileServing.httpDate(FILE.lastModifiedMillis());

    private static FileServing.Answer get(String range, String ifRange, String ifNoneMatch, String ifModifiedSince) {
        return FileServing.answer(new FileServing.Request(false, range, ifRange, ifNoneMatch, ifModifiedSince), FILE,
                "audio/mpeg");
    }

    @Test
    void theWholeFileWithItsValidators() {
        FileServing.Answer answer = get(null, null, null, null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isTrue();
        assertThat(answer.offset()).isZero();
        assertThat(answer.length()).isEqualTo(1000);
        assertThat(answer.headers()).containsEntry("Content-Length", "1000").containsEntry("Accept-Ranges", "bytes")
                .containsEntry("Content-Type", "audio/mpeg").containsEntry("ETag", "\"3e8-" + Long.toHexString(
                        1796533200250L) + "\"")
                .containsEntry("Last-Modified", "Sun, 06 Dec 2026 05:00:00 GMT").doesNotContainKey("Content-Range");
    }

    @Test
    void oneRangeIs206WithContentRange() {
        FileServing.Answer answer = get("bytes=100-199", null, null, null);
        assertThat(answer.status()).isEqualTo(206);
        assertThat(answer.offset()).isEqualTo(100);
        assertThat(answer.length()).isEqualTo(100);
        assertThat(answer.headers()).containsEntry("Content-Range", "bytes 100-199/1000")
                .containsEntry("Content-Length", "100");
        assertThat(get("bytes=-10", null, null, null).headers()).containsEntry("Content-Range", "bytes 990-999/1000");
    }

    @Test
    void unsatisfiableAndMalformedRangesAre416WithTheLength() {
        for (String range : new String[] {"bytes=1000-", "bytes=9-3", "bytes=x"}) {
            FileServing.Answer answer = get(range, null, null, null);
            assertThat(answer.status()).as(range).isEqualTo(416);
            assertThat(answer.body()).isFalse();
            assertThat(answer.headers()).containsEntry("Content-Range", "bytes */1000");
        }
    }

    @Test
    void headHasTheWholeFilesHeadersAndNoBodyAndIgnoresRange() {
        FileServing.Answer answer = FileServing.answer(new FileServing.Request(true, "bytes=0-9", null, null, null),
                FILE, "video/mp4");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isFalse();
        assertThat(answer.headers()).containsEntry("Content-Length", "1000").containsEntry("Content-Type", "video/mp4")
                .containsEntry("ETag", ETAG);
    }

    @Test
    void ifNoneMatchWithTheEtagIs304() {
        assertThat(get(null, null, ETAG, null).status()).isEqualTo(304);
        assertThat(get(null, null, "\"other\", " + ETAG, null).status()).isEqualTo(304);
        assertThat(get(null, null, "W/" + ETAG, null).status()).as("weak comparison").isEqualTo(304);
        assertThat(get(null, null, "*", null).status()).isEqualTo(304);
        assertThat(get("bytes=0-1", null, ETAG, null).status()).as("before Range").isEqualTo(304);
        assertThat(get(null, null, "\"other\"", null).status()).isEqualTo(200);
        FileServing.Answer notModified = get(null, null, ETAG, null);
        assertThat(notModified.body()).isFalse();
        assertThat(notModified.headers()).containsEntry("ETag", ETAG).doesNotContainKey("Content-Length");
    }

    @Test
    void ifModifiedSinceCountsOnlyWithoutIfNoneMatch() {
        assertThat(get(null, null, null, LAST_MODIFIED).status()).isEqualTo(304);
        assertThat(get(null, null, null, "Sun, 06 Dec 2026 04:59:59 GMT").status()).isEqualTo(200);
        assertThat(get(null, null, "\"other\"", LAST_MODIFIED).status()).isEqualTo(200);
        assertThat(get(null, null, null, "yesterday").status()).isEqualTo(200);
    }

    @Test
    void ifRangeHonoursTheRangeOnlyForTheSameFile() {
        assertThat(get("bytes=0-9", ETAG, null, null).status()).isEqualTo(206);
        assertThat(get("bytes=0-9", LAST_MODIFIED, null, null).status()).isEqualTo(206);
        assertThat(get("bytes=0-9", "\"changed\"", null, null).status()).isEqualTo(200);
        assertThat(get("bytes=0-9", "W/" + ETAG, null, null).status()).as("strong comparison only").isEqualTo(200);
        assertThat(get("bytes=0-9", "Sat, 05 Dec 2026 05:00:00 GMT", null, null).status()).isEqualTo(200);
        assertThat(get("bytes=0-9", "not a date", null, null).status()).isEqualTo(200);
        assertThat(get("bytes=5000-", "\"changed\"", null, null).status()).as("the new whole file, not 416")
                .isEqualTo(200);
    }

    @Test
    void anotherFileHasAnotherEtag() {
        assertThat(FileServing.etag(new FileServing.Stat(1000, FILE.lastModifiedMillis() + 1))).isNotEqualTo(ETAG);
        assertThat(FileServing.etag(new FileServing.Stat(1001, FILE.lastModifiedMillis()))).isNotEqualTo(ETAG);
    }

    @Test
    void contentTypesByExtension() {
        assertThat(ContentTypes.of("/out/s/r-1.mp3")).isEqualTo("audio/mpeg");
        assertThat(ContentTypes.of("a.MP4")).isEqualTo("video/mp4");
        assertThat(ContentTypes.of("a.ogg")).isEqualTo("audio/ogg");
        assertThat(ContentTypes.of("seg1.ts")).isEqualTo("video/mp2t");
        assertThat(ContentTypes.of("live.m3u8")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(ContentTypes.of("x.bin")).isEqualTo("application/octet-stream");
    }
}
