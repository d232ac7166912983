package io.livestage.chat.service;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a chat text may contain, and the blocked-terms check. A text is trimmed, then must hold 1 to
 * {@code maxLength} characters (code points) and no control characters (C0/C1, which includes line breaks) nor
 * bidirectional overrides that would make it render differently from what it says.
 */
public final class TextRules {
    private static final Map<String, Pattern> TERM_PATTERNS = new ConcurrentHashMap<>();

    private TextRules() {
    }

    /** The trimmed text, or throws {@link InvalidText} saying what is wrong. */
    public static String validate(String text, int maxLength) {
        if (text == null) {
            throw new InvalidText("text is required");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidText("text is empty");
        }
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length > maxLength) {
            throw new InvalidText("text is " + length + " characters; at most " + maxLength + " are allowed");
        }
        for (int i = 0; i < trimmed.length(); ) {
            int cp = trimmed.codePointAt(i);
            if (Character.getType(cp) == Character.CONTROL) {
                throw new InvalidText("text contains a control character (U+" + String.format("%04X", cp) + ")");
            }
            if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
                throw new InvalidText("text contains a bidirectional override (U+" + String.format("%04X", cp) + ")");
            }
            if (Character.isSurrogate(trimmed.charAt(i)) && !Character.isSupplementaryCodePoint(cp)) {
                throw new InvalidText("text contains an unpaired surrogate");
            }
            i += Character.charCount(cp);
        }
        return trimmed;
    }

    /** Normalises a term or text for matching: compatibility forms folded (NFKC), lower case. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * True when {@code text} contains one of {@code terms} as a whole word (case and compatibility forms ignored).
     * A term ending or starting with {@code *} also matches longer words: {@code spam*} blocks "spammer".
     */
    public static boolean containsBlockedTerm(String text, List<String> terms) {
        if (terms.isEmpty()) {
            return false;
        }
        Pattern pattern = TERM_PATTERNS.computeIfAbsent(String.join("\u0000", terms), key -> compile(terms));
        if (TERM_PATTERNS.size() > 10_000) {
            TERM_PATTERNS.clear();
        }
        return pattern.matcher(normalise(text)).find();
    }

    private static Pattern compile(List<String> terms) {
        String alternatives = terms.stream().map(TextRules::termPattern).collect(Collectors.joining("|"));
        return Pattern.compile(alternatives);
    }

    private static String termPattern(String term) {
        String normal = normalise(term.strip());
        boolean prefix = normal.endsWith("*");
        boolean suffix = normal.startsWith("*");
        String core = normal.replaceAll("^\\*+|\\*+$", "");
        return (suffix ? "" : "(?<![\\p{L}\\p{N}])") + Pattern.quote(core) + (prefix ? "" : "(?![\\p{L}\\p{N}])");
    }

    /** A refused text; the message tells the author why. */
    public static final class InvalidText extends RuntimeException {
        public InvalidText(String message) {
            super(message, null, false, false);
        }
    }
}
