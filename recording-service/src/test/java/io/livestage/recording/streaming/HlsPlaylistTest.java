package io.livestage.recording.streaming;

import org.junit.jupiter.api.Test;

import io.livestage.recording.streaming.rest.HlsPlaylists;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole-stream playlist becomes video on demand once the stream has ended. */
class HlsPlaylistTest {
    @Test
    void anEventPlaylistIsServedAsVodWithItsEnd() {
        String event = "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:4.000,\nseg_00000.ts\n";
        String vod = HlsPlaylists.vod(event);
        assertThat(vod).contains("#EXT-X-PLAYLIST-TYPE:VOD").doesNotContain("EVENT").endsWith("#EXT-X-ENDLIST\n");
        assertThat(HlsPlaylists.vod(vod)).as("idempotent").isEqualTo(vod);
        assertThat(HlsPlaylists.vod("#EXTM3U\n#EXTINF:4.0,\na.ts\n#EXT-X-ENDLIST\n"))
                .startsWith("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n").containsOnlyOnce("#EXT-X-ENDLIST");
    }
}
