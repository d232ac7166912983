package io.livestage.testing.livekit;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LiveKit egress' rules for the name of a recorded file (livekit/egress pkg/config/output_file.go): templates
 * {@code {room_name} {room_id} {time} {utc}} (track egress adds {@code {track_id} {track_type} {track_source}
 * {publisher_identity}}), a generated {@code <identifier>-<time><ext>} for an empty path or one ending in {@code /},
 * and the extension forced to the file type's (a known wrong one is replaced, anything else is kept and the extension
 * appended). Times are the egress container's clock, UTC.
 */
final class EgressFilepaths {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private static final List<String> KNOWN_EXTENSIONS = List.of(".raw", ".ogg", ".mp3", ".ivf", ".mp4", ".ts", ".webm",
            ".m3u8", ".jpeg");

    private EgressFilepaths() {
    }

    /** The replacements every egress with a room has. */
    static Map<String, String> roomReplacements(String roomName, String roomId, ZonedDateTime now) {
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("{room_name}", roomName);
        replacements.put("{room_id}", roomId);
        replacements.put("{time}", TIME.format(now.withZoneSameInstant(ZoneOffset.UTC)));
        replacements.put("{utc}", UTC.format(now.withZoneSameInstant(ZoneOffset.UTC)));
        return replacements;
    }

    static String replace(String path, Map<String, String> replacements) {
        String result = path;
        for (Map.Entry<String, String> entry : replacements.entrySet()) {
            result = result.replace(entry.getKey(), entry.getValue());
        }
        return result;
    }

    /** The storage path: templates replaced, then generated or given the extension {@code ext} (".mp3", ...). */
    static String storagePath(String requested, Map<String, String> replacements, String identifier, String ext,
            ZonedDateTime now) {
        String path = replace(clean(requested), replacements);
        if (path.isEmpty() || path.endsWith("/")) {
            return path + identifier + "-" + TIME.format(now.withZoneSameInstant(ZoneOffset.UTC)) + ext;
        }
        if (path.endsWith(ext)) {
            return path;
        }
        int dot = path.lastIndexOf('.');
        if (dot > -1 && KNOWN_EXTENSIONS.contains(path.substring(dot))) {
            path = path.substring(0, dot);
        }
        return path + ext;
    }

    /** Go's {@code path.Clean}, keeping a trailing slash and dropping leading {@code ../} (output_file.go clean). */
    static String clean(String path) {
        if (path.isEmpty()) {
            return "";
        }
        boolean absolute = path.startsWith("/");
        boolean trailingSlash = path.endsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && absolute)) {
                parts.addLast(part);
            }
        }
        while (!absolute && "..".equals(parts.peekFirst())) {
            parts.removeFirst();
        }
        String cleaned = (absolute ? "/" : "") + String.join("/", parts);
        if (cleaned.isEmpty()) {
            return "";
        }
        return trailingSlash && !cleaned.equals("/") ? cleaned + "/" : cleaned;
    }
}
