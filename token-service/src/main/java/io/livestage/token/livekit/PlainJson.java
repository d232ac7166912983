package io.livestage.token.livekit;

/** For JSON written by hand on the token path: whether a string goes between quotes as it is. */
public final class PlainJson {
    private PlainJson() {
    }

    /** Nothing JSON would escape (quotes, backslashes, control characters, surrogates); false for null. */
    public static boolean plain(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
