package io.livestage.recording.streaming.service;

/**
 * Matching LiveKit's redacted stream URLs to the full URLs recording-service added. LiveKit reports each stream with
 * its key replaced ({@code rtmps://host/app/{abc...xyz}}, livekit/protocol utils/redact.go); a report is this
 * restream's when everything before the key is the same and the redacted key agrees with the real one (the same key,
 * or its first and last characters around {@code ...}, or a fully masked key).
 */
public final class StreamUrls {
    private StreamUrls() {
    }

    public static boolean matches(String redacted, String full) {
        if (redacted == null || full == null) {
            return false;
        }
        String reported = strip(redacted);
        String ours = strip(full);
        int r = reported.lastIndexOf('/');
        int o = ours.lastIndexOf('/');
        if (r < 0 || o < 0 || !reported.substring(0, r).equalsIgnoreCase(ours.substring(0, o))) {
            return false;
        }
        String reportedKey = reported.substring(r + 1);
        String key = ours.substring(o + 1);
        if (reportedKey.equals(key)) {
            return true;
        }
        if (reportedKey.startsWith("{") && reportedKey.endsWith("}")) {
            String inner = reportedKey.substring(1, reportedKey.length() - 1);
            int dots = inner.indexOf("...");
            if (dots >= 0) {
                return key.startsWith(inner.substring(0, dots)) && key.endsWith(inner.substring(dots + 3));
            }
            return inner.chars().allMatch(c -> c == '*');
        }
        return false;
    }

    /** Our own redaction, for logs and the host's view: the key as its first and last three characters. */
    public static String redact(String full) {
        int slash = full.lastIndexOf('/');
        String key = full.substring(slash + 1);
        String hidden = key.length() <= 8 ? "{****}" : "{" + key.substring(0, 3) + "..." + key.substring(key.length() - 3) + "}";
        return full.substring(0, slash + 1) + hidden;
    }

    private static String strip(String url) {
        String u = url.strip();
        return u.endsWith(" live=1") ? u.substring(0, u.length() - " live=1".length()) : u;
    }
}
