package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.LoadResult;

/**
 * The quality changes of the sse part and what every subscriber saw of them: the planned presets (alternating, the
 * first one differing from the stream's current preset, so each change is a real change), the moment each PUT was sent,
 * and per segment (a warm-up window, a step of the sweep, a round: {@link #startSegment()}) the latencies from that
 * moment to each subscriber's event carrying the preset just set.
 */
final class QualityChanges {
    private final List<String> presets;
    private final long[] sent;
    private final int[] segmentOf;
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicLongArray delivered;
    private final AtomicLongArray versions;
    private final List<ConcurrentHistogram> segments = new CopyOnWriteArrayList<>();
    private final List<LongAdder> segmentDelivered = new CopyOnWriteArrayList<>();
    private final List<Integer> segmentFirst = new CopyOnWriteArrayList<>();
    final LongAdder skipped = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder repeats = new LongAdder();
    final LongAdder inconsistentVersions = new LongAdder();

    /** Room for {@code presets.size()} changes; one segment is open from the start. */
    QualityChanges(List<String> presets) {
        this.presets = List.copyOf(presets);
        int n = presets.size();
        sent = new long[n];
        segmentOf = new int[n];
        delivered = new AtomicLongArray(n);
        versions = new AtomicLongArray(n);
        for (int k = 0; k < n; k++) {
            versions.set(k, -1);
        }
        startSegment();
    }

    /** The changes published from now on belong to a new segment; its index. Call from the sender thread. */
    int startSegment() {
        segments.add(new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3));
        segmentDelivered.add(new LongAdder());
        segmentFirst.add(published.get());
        return segments.size() - 1;
    }

    /** Changes published in segment {@code s}. */
    int segmentSize(int s) {
        int end = s + 1 < segmentFirst.size() ? segmentFirst.get(s + 1) : published.get();
        return end - segmentFirst.get(s);
    }

    /** Segment {@code s}'s (subscriber, change) latencies, µs (a copy). */
    Histogram latencies(int s) {
        return segments.get(s).copy();
    }

    /** Events of segment {@code s}'s changes delivered (each subscriber counts once per change). */
    long segmentDelivered(int s) {
        return segmentDelivered.get(s).sum();
    }

    /**
     * {@code count} presets alternating between 720p and 1080p, starting with the one the stream does not have now
     * (1080p when it is at 720p, 720p when at 1080p, 1080p from anything else).
     */
    static List<String> plan(String current, int count) {
        String first = "1080p".equals(current) ? "720p" : "1080p";
        String second = first.equals("1080p") ? "720p" : "1080p";
        List<String> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(k % 2 == 0 ? first : second);
        }
        return out;
    }

    int size() {
        return presets.size();
    }

    String preset(int k) {
        return presets.get(k);
    }

    /** Marks change {@code k} (the next one) as sent at {@code sentNanos}; call just before sending its PUT. */
    void publish(int k, long sentNanos) {
        if (k != published.get()) {
            throw new IllegalStateException("change " + k + " published out of order (next is " + published.get()
                    + ")");
        }
        sent[k] = sentNanos;
        segmentOf[k] = segments.size() - 1;
        published.set(k + 1);
    }

    int published() {
        return published.get();
    }

    long delivered(int k) {
        return delivered.get(k);
    }

    long version(int k) {
        return versions.get(k);
    }

    /** The index of the earliest sent change at or after {@code next} whose preset is {@code preset}; -1 if none. */
    int match(int next, String preset) {
        if (preset == null) {
            return -1;
        }
        int n = published.get();
        for (int k = next; k < n; k++) {
            if (presets.get(k).equals(preset)) {
                return k;
            }
        }
        return -1;
    }

    /** What one subscriber has seen of the changes; touched only by its connection's event loop. */
    static final class Cursor {
        /** Volatile: the sender thread polls it to know when every subscriber has caught up. */
        volatile int next;
        long lastVersion = Long.MIN_VALUE;
        int skipped;
    }

    /** One stream event of a subscriber (after its first): matches it to a change and times it. */
    int onEvent(Cursor cursor, StreamStatus event, long receivedNanos) {
        if (event.version() >= 0) {
            if (event.version() <= cursor.lastVersion) {
                repeats.increment();
                return -1;
            }
            cursor.lastVersion = event.version();
        }
        int k = match(cursor.next, event.preset());
        if (k < 0) {
            unmatched.increment();
            return -1;
        }
        int missed = k - cursor.next;
        if (missed > 0) {
            cursor.skipped += missed;
            skipped.add(missed);
        }
        cursor.next = k + 1;
        long micros = LoadResult.micros(receivedNanos - sent[k]);
        delivered.incrementAndGet(k);
        segments.get(segmentOf[k]).recordValue(micros);
        segmentDelivered.get(segmentOf[k]).increment();
        if (event.version() >= 0 && !versions.compareAndSet(k, -1, event.version())
                && versions.get(k) != event.version()) {
            inconsistentVersions.increment();
        }
        return k;
    }
}
