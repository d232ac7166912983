package io.livestage.events.recording;

/**
 * The file a recording output produces, one LiveKit egress each: MP3 (audio only, the podcast enclosure Apple
 * accepts) and, for VIDEO sessions, MP4.
 */
public enum RecordingFormat {
    MP3("audio/mpeg"),
    MP4("video/mp4");

    private final String mimeType;

    RecordingFormat(String mimeType) {
        this.mimeType = mimeType;
    }

    public String mimeType() {
        return mimeType;
    }
}
