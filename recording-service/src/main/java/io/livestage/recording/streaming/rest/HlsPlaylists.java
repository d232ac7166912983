package io.livestage.recording.streaming.rest;

/** HLS playlist rewriting (pure). */
public final class HlsPlaylists {
    private HlsPlaylists() {
    }

    /**
     * An EVENT playlist (egress' whole-stream {@code index.m3u8}) as video on demand: {@code PLAYLIST-TYPE:VOD} and an
     * {@code #EXT-X-ENDLIST} (egress writes one when it finishes; added if missing).
     */
    public static String vod(String playlist) {
        String body = playlist.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD");
        if (!body.contains("#EXT-X-PLAYLIST-TYPE:")) {
            body = body.replaceFirst("#EXTM3U\\r?\\n", "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        }
        if (!body.contains("#EXT-X-ENDLIST")) {
            body = body.endsWith("\n") ? body + "#EXT-X-ENDLIST\n" : body + "\n#EXT-X-ENDLIST\n";
        }
        return body;
    }
}
