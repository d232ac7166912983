package io.livestage.analytics.topology;

/**
 * Keys of the facts store: {@code <session>/<kind>[/<id>]}, so one prefix scan reads a session's facts and one kind
 * letter tells them apart. Session ids are UUIDs (no {@code /}).
 */
public final class FactKeys {
    public static final char SESSION = 's';
    public static final char PARTICIPANT = 'p';
    public static final char REQUEST = 'g';
    public static final char CONNECTION = 'c';
    public static final char MESSAGE = 'm';
    public static final char REACTIONS = 'r';

    private FactKeys() {
    }

    public static String prefix(String session) {
        return session + "/";
    }

    public static String session(String session) {
        return session + "/" + SESSION;
    }

    public static String of(String session, char kind, String id) {
        return session + "/" + kind + "/" + id;
    }

    /** The kind letter of a key. */
    public static char kind(String key) {
        return key.charAt(key.indexOf('/') + 1);
    }

    /** The session id of a key. */
    public static String sessionOf(String key) {
        return key.substring(0, key.indexOf('/'));
    }
}
