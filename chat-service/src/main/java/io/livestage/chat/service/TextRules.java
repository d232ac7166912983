package io.livestage.chat.service;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a chat text may contain, and the blocked-terms check. A text is trimmed, then must hold 1 to
 * {@code maxLength} characters (code points) and no control characters (C0/C1, which includes line breaks) nor
 * bidirectional overrides that would make it render differently from what it says.
 */
public final class TextRules {

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
     * The blocked terms as one PostgreSQL regular expression, matched in the database against the text normalised
     * with {@code normalize(lower(text), NFKC)}: each term (normalised the same way) as a whole word, case and
     * compatibility forms ignored; a term ending or starting with {@code *} also matches longer words ({@code spam*}
     * blocks "spammer"). Empty when there are no terms.
     */
    public static String blockedPattern(List<String> terms) {
        return terms.stream().map(TextRules::termPattern).filter(t -> !t.isEmpty())
                .collect(Collectors.joining("|"));
    }

    private static String termPattern(String term) {
        String normal = normalise(term.strip());
        boolean prefix = normal.endsWith("*");
        boolean suffix = normal.startsWith("*");
        String core = normal.replaceAll("^\\*+|\\*+$", "");
        if (core.isEmpty()) {
            return "";
        }
        StringBuilder quoted = new StringBuilder();
        for (char ch : core.toCharArray()) {
            if ("\\^$.[]|()*+?{}".indexOf(ch) >= 0) {
                quoted.append('\\');
            }
            quoted.append(ch);
        }
        return "(" + (suffix ? "" : "(^|[^[:alnum:]_])") + quoted + (prefix ? "" : "([^[:alnum:]_]|$)") + ")";
    }

    /** A refused text; the message tells the author why. */
    public static final class InvalidText extends RuntimeException {
        public InvalidText(String message) {
            super(message, null, false, false);
        }
    }
}
