package io.livestage.recording.storage;

import java.util.Locale;
import java.util.Map;

/** The Content-Type of a recording file by its extension (the formats egress writes, and HLS for later). */
public final class ContentTypes {
    private static final Map<String, String> BY_EXTENSION = Map.of(
            "mp3", "audio/mpeg",
            "mp4", "video/mp4",
            "ogg", "audio/ogg",
            "ts", "video/mp2t",
            "m3u8", "application/vnd.apple.mpegurl");

    private ContentTypes() {
    }

    /** The type for {@code filename}'s extension, {@code application/octet-stream} for any other. */
    public static String of(String filename) {
        int dot = filename.lastIndexOf('.');
        String extension = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, "application/octet-stream");
    }
}
