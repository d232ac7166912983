package io.livestage.testing.livekit;

import java.security.SecureRandom;

/** LiveKit-shaped identifiers: a prefix and 12 random base62 characters ({@code RM_nHPUfmxXrHry}), like protocol's guid. */
final class Ids {

    static final String ROOM = "RM_";
    static final String PARTICIPANT = "PA_";
    static final String TRACK = "TR_";
    static final String EGRESS = "EG_";
    static final String WEBHOOK_EVENT = "EV_";

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next(String prefix) {
        return prefix + random(12);
    }

    static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
