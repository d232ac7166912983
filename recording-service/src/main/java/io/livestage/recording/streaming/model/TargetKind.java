package io.livestage.recording.streaming.model;

/**
 * Where a restream goes. TELEGRAM: a group or channel's live stream ({@code rtmps://dcN-1.rtmp.t.me/s/} and the
 * stream key from the Telegram app); YOUTUBE and TWITCH have a default ingest server; RTMP: any RTMP(S) server.
 */
public enum TargetKind {
    TELEGRAM(null),
    YOUTUBE("rtmp://a.rtmp.youtube.com/live2/"),
    TWITCH("rtmp://live.twitch.tv/app/"),
    RTMP(null);

    private final String defaultServer;

    TargetKind(String defaultServer) {
        this.defaultServer = defaultServer;
    }

    /** The ingest server used when the host gives none (null: one must be given). */
    public String defaultServer() {
        return defaultServer;
    }
}
