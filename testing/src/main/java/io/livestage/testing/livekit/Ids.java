package io.livestage.testing.livekit;

import java.security.SecureRandom;

/** LiveKit-shaped identifiers: a prefix and 12 random base62 characters ({@code RM_nHPUfmxXrHry}), like protocol's guid. */
final class Ids {

    static final String ROOM = "RM_";
    static final String PARTICIPANT = "PA_";
    static final String TRACK = "TR_";
    static final String EGRESS = "EG_";
    static final String INGRESS = "IN_";
    static final String RTMP_RESOURCE = "RT_";
    static final String WHIP_RESOURCE = "WH_";
    static final String URL_RESOURCE = "UR_";
    static final String WEBHOOK_EVENT = "EV_";

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** shortuuid's default alphabet, protocol's guid.IDAlphabet (no 0, 1, I, O, l). */
    private static final char[] SHORTUUID = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next(String prefix) {
        return prefix + random(12);
    }

    static String random(int length) {
        return random(ALPHABET, length);
    }

    /** {@code guid.New("")}: 12 characters of the shortuuid alphabet, e.g. an ingress stream key. */
    static String shortUuid() {
        return random(SHORTUUID, 12);
    }

    private static String random(char[] alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(chars);
    }
}
