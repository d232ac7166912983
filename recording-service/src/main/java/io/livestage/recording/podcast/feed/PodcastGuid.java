package io.livestage.recording.podcast.feed;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The Podcasting 2.0 {@code <podcast:guid>} of a feed: a UUIDv5 (RFC 9562, SHA-1) in the namespace
 * {@value #NAMESPACE_TEXT} over the feed URL without its scheme and trailing slashes. The JDK has no v5 helper
 * ({@code UUID.nameUUIDFromBytes} is v3, MD5).
 */
public final class PodcastGuid {
    public static final String NAMESPACE_TEXT = "ead4c236-bf58-58c6-a2c6-a6b28d128cb6";
    public static final UUID NAMESPACE = UUID.fromString(NAMESPACE_TEXT);

    private PodcastGuid() {
    }

    /** The guid of the feed at {@code feedUrl} (e.g. {@code https://podnews.net/rss/}, scheme and slashes dropped). */
    public static UUID of(String feedUrl) {
        return uuid5(NAMESPACE, normalise(feedUrl));
    }

    /** {@code feedUrl} without its scheme ({@code https://}) and trailing slashes. */
    public static String normalise(String feedUrl) {
        String url = feedUrl.strip().replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "");
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    /** A name-based UUID, version 5: SHA-1 of the namespace's 16 bytes and the name's UTF-8 bytes. */
    public static UUID uuid5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
