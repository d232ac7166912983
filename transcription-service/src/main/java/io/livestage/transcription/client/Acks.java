package io.livestage.transcription.client;

/**
 * Reads Gladia's audio acknowledgement without building a JSON tree: {@code {"type":"audio_chunk","acknowledged":true,
 * …,"data":{"byte_range":[a,b],…}}} gives {@code b}. Anything it is not sure about (another type, a refusal, a shape it
 * does not expect) answers -1, and the caller parses the message as JSON, so an odd acknowledgement costs time, never
 * correctness.
 */
final class Acks {
    private static final String TYPE = "\"type\":\"audio_chunk\"";
    private static final String ACKNOWLEDGED = "\"acknowledged\":true";
    private static final String RANGE = "\"byte_range\":[";

    private Acks() {
    }

    /** The exclusive end of the acknowledged byte range, or -1 when {@code text} is not a plain acknowledgement. */
    static long acknowledgedEnd(String text) {
        if (text.indexOf(TYPE) < 0 || text.indexOf(ACKNOWLEDGED) < 0) {
            return -1;
        }
        int range = text.indexOf(RANGE);
        if (range < 0 || text.indexOf(RANGE, range + 1) >= 0) {
            return -1;
        }
        int i = range + RANGE.length();
        long start = 0;
        int digits = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && digits < 18) {
            start = start * 10 + (text.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || i >= text.length() || text.charAt(i++) != ',') {
            return -1;
        }
        long end = 0;
        digits = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && digits < 18) {
            end = end * 10 + (text.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || i >= text.length() || text.charAt(i) != ']' || end < start) {
            return -1;
        }
        return end;
    }
}
