package io.livestage.recording.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP answer for a stored file, computed from the request's headers and the file's size and modification time
 * (no I/O): 200 with {@code Content-Length} and {@code Accept-Ranges: bytes}; one range as 206 with
 * {@code Content-Range}; 416 with {@code Content-Range: bytes *}{@code /length} (see {@link ByteRanges}); 304 when
 * {@code If-None-Match} names the file's entity tag (or {@code If-Modified-Since} is not older than the file); a
 * {@code Range} with an {@code If-Range} that does not match the file is ignored (200, the whole new file). HEAD gets
 * the GET headers of the whole file and no body. The entity tag is strong, made of the size and the modification time
 * in milliseconds: a file that egress rewrote gets another one.
 */
public final class FileServing {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The request headers that matter (null when absent). */
    public record Request(boolean head, String range, String ifRange, String ifNoneMatch, String ifModifiedSince) {
    }

    /** A regular file's size and last modification. */
    public record Stat(long size, long lastModifiedMillis) {
    }

    /**
     * What to send: {@code status}, {@code headers}, and when {@code body}, {@code length} bytes of the file from
     * {@code offset}.
     */
    public record Answer(int status, Map<String, String> headers, boolean body, long offset, long length) {
    }

    private FileServing() {
    }

    public static Answer answer(Request request, Stat stat, String contentType) {
        String etag = etag(stat);
        String lastModified = httpDate(stat.lastModifiedMillis());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Ranges", "bytes");
        headers.put("ETag", etag);
        headers.put("Last-Modified", lastModified);
        if (notModified(request, etag, stat)) {
            return new Answer(304, headers, false, 0, 0);
        }
        ByteRanges.Outcome outcome = request.head() || request.range() == null
                || !ifRangeMatches(request.ifRange(), etag, lastModified) ? new ByteRanges.Whole()
                        : ByteRanges.parse(request.range(), stat.size());
        return switch (outcome) {
            case ByteRanges.Whole whole -> {
                headers.put("Content-Type", contentType);
                headers.put("Content-Length", Long.toString(stat.size()));
                yield new Answer(200, headers, !request.head(), 0, stat.size());
            }
            case ByteRanges.Partial part -> {
                headers.put("Content-Type", contentType);
                headers.put("Content-Length", Long.toString(part.length()));
                headers.put("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + stat.size());
                yield new Answer(206, headers, true, part.first(), part.length());
            }
            case ByteRanges.Unsatisfiable unsatisfiable -> {
                headers.put("Content-Range", "bytes */" + stat.size());
                headers.put("Content-Length", "0");
                yield new Answer(416, headers, false, 0, 0);
            }
        };
    }

    /** The strong entity tag of a file: {@code "<size hex>-<mtime ms hex>"}. */
    public static String etag(Stat stat) {
        return "\"" + Long.toHexString(stat.size()) + "-" + Long.toHexString(stat.lastModifiedMillis()) + "\"";
    }

    /** An IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), to the second. */
    public static String httpDate(long epochMillis) {
        return HTTP_DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** If-None-Match (weak comparison, {@code *} matches) wins; If-Modified-Since only without it (RFC 9110 §13.2.2). */
    static boolean notModified(Request request, String etag, Stat stat) {
        if (request.ifNoneMatch() != null) {
            String list = request.ifNoneMatch().strip();
            if (list.equals("*")) {
                return true;
            }
            String opaque = opaque(etag);
            for (String tag : list.split(",")) {
                if (opaque(tag.strip()).equals(opaque)) {
                    return true;
                }
            }
            return false;
        }
        if (request.ifModifiedSince() != null) {
            Instant since = parseDate(request.ifModifiedSince());
            return since != null && stat.lastModifiedMillis() / 1000 <= since.getEpochSecond();
        }
        return false;
    }

    /**
     * If-Range: an entity tag matches by strong comparison (a weak tag never does), a date only when it is the file's
     * Last-Modified exactly; absent, it does not restrict the Range.
     */
    static boolean ifRangeMatches(String ifRange, String etag, String lastModified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        Instant date = parseDate(value);
        return date != null && httpDate(date.toEpochMilli()).equals(lastModified);
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static Instant parseDate(String value) {
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.strip()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
