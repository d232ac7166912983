package io.livestage.recording.streaming.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The picture quality a host chooses for a session's stream (720p, 1080p, 4K): what the stream egress encodes (HLS and
 * restreams) and what the OBS ingress transcodes to. AUDIO sessions stream sound only, at the chosen audio bitrate.
 * {@code videoBitrateKbps} is the egress' H.264 bitrate, reported with the status.
 */
public enum Quality {
    P720("720p", 1280, 720, 30, 3000),
    P1080("1080p", 1920, 1080, 30, 4500),
    P2160("4k", 3840, 2160, 30, 12000);

    /** Audio bitrates a host may pick (kbps, AAC). */
    public static final int MIN_AUDIO_KBPS = 32;
    public static final int MAX_AUDIO_KBPS = 320;

    private final String label;
    private final int width;
    private final int height;
    private final int framerate;
    private final int videoBitrateKbps;

    Quality(String label, int width, int height, int framerate, int videoBitrateKbps) {
        this.label = label;
        this.width = width;
        this.height = height;
        this.framerate = framerate;
        this.videoBitrateKbps = videoBitrateKbps;
    }

    /** The name in the API: {@code 720p}, {@code 1080p}, {@code 4k} ({@code 2160p} is read as 4k too). */
    public String label() {
        return label;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int framerate() {
        return framerate;
    }

    public int videoBitrateKbps() {
        return videoBitrateKbps;
    }

    public static Optional<Quality> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("2160p") || v.equals("uhd")) {
            return Optional.of(P2160);
        }
        return Arrays.stream(values()).filter(q -> q.label.equals(v)).findFirst();
    }
}
