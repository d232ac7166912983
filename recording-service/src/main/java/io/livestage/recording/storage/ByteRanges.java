package io.livestage.recording.storage;

/**
 * Reads a {@code Range} header of a GET for a representation of {@code length} bytes (RFC 9110 §14.1-14.2). Only the
 * {@code bytes} unit is known; a header with another unit is ignored (the whole file is served). A single range
 * {@code a-b}, {@code a-} or {@code -n} is served as 206; several ranges (syntactically valid, at least one
 * satisfiable) are answered with the whole file (200), which RFC 9110 allows and saves multipart/byteranges bodies.
 * A {@code bytes=} header that does not parse (letters, {@code b < a}, empty ranges) or whose ranges are all
 * unsatisfiable (first byte at or past the end, {@code -0}, any range of an empty file) is answered 416 with
 * {@code Content-Range: bytes *}{@code /length}: RFC 9110 would also allow ignoring an invalid header, the project
 * answers 416 so that clients notice the mistake.
 */
public final class ByteRanges {

    /** What a Range header asks for. */
    public sealed interface Outcome permits Whole, Partial, Unsatisfiable {
    }

    /** No usable Range: serve the whole file (no header, another unit, several ranges). */
    public record Whole() implements Outcome {
    }

    /** One range, {@code first} to {@code last} inclusive, already clamped to the file. */
    public record Partial(long first, long last) implements Outcome {
        public long length() {
            return last - first + 1;
        }
    }

    /** A malformed {@code bytes=} header or one no byte of the file satisfies: 416. */
    public record Unsatisfiable(String reason) implements Outcome {
    }

    private static final Whole WHOLE = new Whole();
    private static final String UNIT = "bytes=";

    private ByteRanges() {
    }

    public static Outcome parse(String header, long length) {
        if (header == null) {
            return WHOLE;
        }
        String value = header.strip();
        if (value.isEmpty()) {
            return WHOLE;
        }
        int equals = value.indexOf('=');
        if (equals < 0) {
            return new Unsatisfiable("a Range header is bytes=first-last");
        }
        if (!value.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
            // another unit (or a malformed one): RFC 9110 says to ignore a Range with a unit the server does not know
            return value.substring(0, equals).strip().chars().allMatch(ByteRanges::tchar) && equals > 0 ? WHOLE
                    : new Unsatisfiable("a Range header is bytes=first-last");
        }
        String[] specs = value.substring(UNIT.length()).split(",", -1);
        Partial satisfiable = null;
        int satisfiableCount = 0;
        for (String raw : specs) {
            String spec = raw.strip();
            Outcome one = one(spec, length);
            if (one == null) {
                return new Unsatisfiable("'" + clip(spec) + "' is not a byte range (first-last, first- or -suffix)");
            }
            if (one instanceof Partial p) {
                satisfiable = p;
                satisfiableCount++;
            }
        }
        if (satisfiableCount == 0) {
            return new Unsatisfiable("no range starts inside the file of " + length + " bytes");
        }
        return specs.length == 1 ? satisfiable : WHOLE;
    }

    /** One range-spec: a Partial, an Unsatisfiable (valid but past the end), or null when it does not parse. */
    private static Outcome one(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0 || dash != spec.lastIndexOf('-')) {
            return null;
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (first.isEmpty()) {
            long suffix = number(last);
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0 || length == 0) {
                return new Unsatisfiable("empty suffix");
            }
            return new Partial(Math.max(0, length - suffix), length - 1);
        }
        long from = number(first);
        if (from < 0) {
            return null;
        }
        long to;
        if (last.isEmpty()) {
            to = Long.MAX_VALUE;
        } else {
            to = number(last);
            if (to < 0 || to < from) {
                return null;
            }
        }
        if (from >= length) {
            return new Unsatisfiable("starts past the end");
        }
        return new Partial(from, Math.min(to, length - 1));
    }

    /** A non-negative decimal (saturating at Long.MAX_VALUE), or -1 when {@code digits} is not one. */
    private static long number(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
                value = Long.MAX_VALUE;
            } else if (value != Long.MAX_VALUE) {
                value = value * 10 + (c - '0');
            }
        }
        return value;
    }

    private static boolean tchar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
