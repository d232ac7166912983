package io.livestage.recording.podcast.feed;

import java.util.Locale;

/** Apple's {@code <itunes:type>}: episodic (newest first) or serial (in order; every item needs an episode number). */
public enum ChannelType {
    EPISODIC,
    SERIAL;

    /** The feed's spelling: {@code episodic}, {@code serial}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code text} (any case), or null. */
    public static ChannelType parse(String text) {
        for (ChannelType type : values()) {
            if (type.text().equalsIgnoreCase(text)) {
                return type;
            }
        }
        return null;
    }
}
