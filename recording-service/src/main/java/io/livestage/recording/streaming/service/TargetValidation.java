package io.livestage.recording.streaming.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.streaming.model.TargetKind;

/**
 * The rules a restream target passes before it is saved (pure; each refusal is a 400 naming the field): a name, a
 * kind, an RTMP or RTMPS server URL with a host and an application path (Telegram's must be {@code rtmps://} on
 * {@code *.rtmp.t.me}), and a stream key without spaces or slashes. The URL egress is given is the server URL (with a
 * trailing slash) followed by the key, and must match LiveKit egress' own RTMP URL rule
 * ({@code ^(rtmps?://)(.*\/)(.*\/)(\S*)( live=1)?$}), which alone would accept an empty key.
 */
public final class TargetValidation {
    static final int MAX_NAME = 100;
    static final int MAX_URL = 400;
    static final int MAX_KEY = 256;
    private static final Pattern EGRESS_RTMP = Pattern.compile("^(rtmps?://)(.*/)(.*/)(\\S*)( live=1)?$");
    private static final Pattern KEY = Pattern.compile("[^\\s/]+");

    /** A target that passed: the server URL normalised (trailing slash, default server filled in). */
    public record Valid(String name, TargetKind kind, String serverUrl, String streamKey) {
        /** The URL egress streams to: server URL + key. Secret: never logged, stored encrypted. */
        public String outputUrl() {
            return serverUrl + streamKey;
        }
    }

    private TargetValidation() {
    }

    public static Valid validate(String name, String kind, String serverUrl, String streamKey) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalid("name", "Give the target a name, e.g. \"Telegram channel\"");
        }
        if (name.strip().length() > MAX_NAME) {
            throw ProblemException.invalid("name", "A target name has at most " + MAX_NAME + " characters");
        }
        TargetKind targetKind = kind(kind);
        String server = serverUrl == null || serverUrl.isBlank() ? targetKind.defaultServer() : serverUrl.strip();
        if (server == null) {
            throw ProblemException.invalid("serverUrl", targetKind == TargetKind.TELEGRAM
                    ? "Telegram's server URL is required: in Telegram, start a live stream with \"Stream with...\" "
                            + "and copy the Server URL (rtmps://dcN-1.rtmp.t.me/s/)"
                    : "An RTMP target needs its server URL, e.g. rtmp://ingest.example.com/live/");
        }
        server = server(server, targetKind);
        if (streamKey == null || streamKey.isBlank()) {
            throw ProblemException.invalid("streamKey", "The stream key is required (the target's service shows it "
                    + "next to its server URL)");
        }
        String key = streamKey.strip();
        if (key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
            throw ProblemException.invalid("streamKey", "A stream key has 1 to " + MAX_KEY
                    + " characters, without spaces or slashes");
        }
        if (!EGRESS_RTMP.matcher(server + key).matches()) {
            throw ProblemException.invalid("serverUrl", "The server URL needs an application path after its host, "
                    + "e.g. rtmp://host/live/");
        }
        return new Valid(name.strip(), targetKind, server, key);
    }

    static TargetKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            throw ProblemException.invalid("kind", "kind is one of TELEGRAM, YOUTUBE, TWITCH, RTMP");
        }
        try {
            return TargetKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("kind", "kind is one of TELEGRAM, YOUTUBE, TWITCH, RTMP");
        }
    }

    private static String server(String value, TargetKind kind) {
        if (value.length() > MAX_URL) {
            throw ProblemException.invalid("serverUrl", "A server URL has at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("serverUrl", "Not a URL: give rtmp://host/app/ or rtmps://host/app/");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw ProblemException.invalid("serverUrl", "The server URL must start with rtmp:// or rtmps://");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw ProblemException.invalid("serverUrl", "The server URL has no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
            throw ProblemException.invalid("serverUrl", "The server URL takes no query, fragment or credentials: "
                    + "the stream key goes in streamKey");
        }
        if (kind == TargetKind.TELEGRAM && (!scheme.equals("rtmps")
                || !host.toLowerCase(Locale.ROOT).endsWith(".rtmp.t.me"))) {
            throw ProblemException.invalid("serverUrl", "Telegram's server URL is rtmps://dcN-1.rtmp.t.me/s/ "
                    + "(copy it from Telegram's \"Stream with...\" screen)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.isEmpty() || path.equals("/")) {
            throw ProblemException.invalid("serverUrl", "The server URL needs an application path after its host, "
                    + "e.g. rtmp://host/live/");
        }
        return value.endsWith("/") ? value : value + "/";
    }
}
