package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The quality changes of the sse part and what every subscriber saw of them: the planned presets (alternating, the
 * first one differing from the stream's current preset, so each change is a real change), the moment each PUT was
 * sent, and per change the latency from that moment to each subscriber's event carrying the preset just set.
 * <p>
 * Matching: a subscriber expects the changes in order; an event carrying preset P is the one of the earliest change
 * not yet seen by this subscriber, already sent, whose preset is P. Earlier changes it skips over are lost for that
 * subscriber; an event matching no sent change (a status change of something else, a repeat) is counted, not timed;
 * an event whose version is not above the subscriber's last one is a repeat. The first subscriber to see a change
 * records its version; any other version for the same change is counted as inconsistent (it would mean events were
 * attributed to the wrong change). The first {@code warmup} changes are timed apart and not reported as measured.
 * <p>
 * Thread-safety: {@link #publish} (one sender thread) writes a change's time before the volatile count that makes it
 * visible; subscribers (client event loops) read the count first. Latencies go to concurrent histograms.
 */
final class QualityChanges {
    private final List<String> presets;
    private final int warmup;
    private final long[] sent;
    private final long[] responded;
    private final int[] status;
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicLongArray delivered;
    private final AtomicLongArray versions;
    private final ConcurrentHistogram[] perChange;
    private final ConcurrentHistogram measured = new ConcurrentHistogram(OpStats.HIGHEST_MICROS, 3);
    private final ConcurrentHistogram warm = new ConcurrentHistogram(OpStats.HIGHEST_MICROS, 3);
    final LongAdder skipped = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder repeats = new LongAdder();
    final LongAdder inconsistentVersions = new LongAdder();

    QualityChanges(List<String> presets, int warmup) {
        if (warmup < 0 || warmup > presets.size()) {
            throw new IllegalArgumentException("warm-up of " + warmup + " changes out of " + presets.size());
        }
        this.presets = List.copyOf(presets);
        this.warmup = warmup;
        int n = presets.size();
        sent = new long[n];
        responded = new long[n];
        status = new int[n];
        delivered = new AtomicLongArray(n);
        versions = new AtomicLongArray(n);
        perChange = new ConcurrentHistogram[n];
        for (int k = 0; k < n; k++) {
            versions.set(k, -1);
            perChange[k] = new ConcurrentHistogram(OpStats.HIGHEST_MICROS, 3);
        }
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

    int warmup() {
        return warmup;
    }

    /** The measured changes (after the warm-up). */
    int measuredCount() {
        return presets.size() - warmup;
    }

    String preset(int k) {
        return presets.get(k);
    }

    boolean isMeasured(int k) {
        return k >= warmup;
    }

    /** Marks change {@code k} (the next one) as sent at {@code sentNanos}; call just before sending its PUT. */
    void publish(int k, long sentNanos) {
        if (k != published.get()) {
            throw new IllegalStateException("change " + k + " published out of order (next is " + published.get()
                    + ")");
        }
        sent[k] = sentNanos;
        published.set(k + 1);
    }

    /** The PUT of change {@code k} answered {@code httpStatus} ({@code 0}: no answer) at {@code nanos}. */
    void responded(int k, int httpStatus, long nanos) {
        status[k] = httpStatus;
        responded[k] = nanos;
    }

    int published() {
        return published.get();
    }

    long sentNanos(int k) {
        return sent[k];
    }

    long respondedNanos(int k) {
        return responded[k];
    }

    int status(int k) {
        return status[k];
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
        int measuredSeen;
        int skipped;
    }

    /**
     * One stream event of a subscriber (after its first): matches it to a change and times it. Returns the change's
     * index, or -1 when the event is a repeat or matches no sent change.
     */
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
        long micros = Math.min(OpStats.HIGHEST_MICROS, Math.max(0, (receivedNanos - sent[k]) / 1_000));
        delivered.incrementAndGet(k);
        if (k < warmup) {
            warm.recordValue(micros);
        } else {
            measured.recordValue(micros);
            perChange[k].recordValue(micros);
            cursor.measuredSeen++;
        }
        if (event.version() >= 0 && !versions.compareAndSet(k, -1, event.version())
                && versions.get(k) != event.version()) {
            inconsistentVersions.increment();
        }
        return k;
    }

    /** Every measured (subscriber, change) latency, µs (a copy). */
    Histogram measured() {
        return measured.copy();
    }

    Histogram warm() {
        return warm.copy();
    }

    /** Change {@code k}'s latencies, µs (a copy). */
    Histogram perChange(int k) {
        return perChange[k].copy();
    }

    /** Measured deliveries in all. */
    long measuredDelivered() {
        long sum = 0;
        for (int k = warmup; k < presets.size(); k++) {
            sum += delivered.get(k);
        }
        return sum;
    }
}
