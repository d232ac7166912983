package io.livestage.recording.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.livestage.recording.podcast.feed.FeedVersion;

/**
 * Rendered feeds kept in memory by feed (host or space), each valid for the {@link FeedVersion} it was rendered from;
 * bounded by their total size, least recently used first out. Thread-safe (one short lock per get or put).
 */
final class FeedCache {
    private record Entry(FeedVersion version, RenderedFeed feed) {
    }

    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    FeedCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The feed rendered for exactly {@code version}, or null. */
    synchronized RenderedFeed get(String key, FeedVersion version) {
        Entry entry = entries.get(key);
        return entry != null && entry.version().equals(version) ? entry.feed() : null;
    }

    /** Keeps {@code feed} as the feed {@code key} at {@code version} (replacing an older one). */
    synchronized void put(String key, FeedVersion version, RenderedFeed feed) {
        if (feed.body().length > maxBytes) {
            return;
        }
        Entry previous = entries.put(key, new Entry(version, feed));
        bytes += feed.body().length - (previous == null ? 0 : previous.feed().body().length);
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, Entry> e = eldest.next();
            if (!e.getKey().equals(key)) {
                bytes -= e.getValue().feed().body().length;
                eldest.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }
}
