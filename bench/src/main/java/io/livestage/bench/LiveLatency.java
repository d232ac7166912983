package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;

import io.livestage.bench.core.LoadResult;

/**
 * The live part's bookkeeping: chat message {@code k} (0-based, in sending order) goes to session {@code k % sessions}
 * as that session's {@code k / sessions + 1}-th message after the subscription began.
 */
final class LiveLatency {
    private static final long UNSENT = Long.MIN_VALUE;
    private final int sessions;
    private final long capacity;
    private final AtomicLongArray sentNanos;
    private final int[] segmentOf;
    private final long[] base;
    private final boolean[] subscribed;
    private final long[] resolved; // per session: messages resolved so far (1-based count)
    private final List<Histogram> segments = new ArrayList<>();
    private final List<long[]> segmentCounts = new ArrayList<>(); // {sent, resolved}
    private long frames;
    private long changingFrames;
    private long beyondSent;

    LiveLatency(int sessions, long capacity) {
        this.sessions = sessions;
        this.capacity = capacity;
        this.sentNanos = new AtomicLongArray(Math.toIntExact(capacity));
        for (int k = 0; k < capacity; k++) {
            sentNanos.set(k, UNSENT);
        }
        this.segmentOf = new int[Math.toIntExact(capacity)];
        this.base = new long[sessions];
        this.subscribed = new boolean[sessions];
        this.resolved = new long[sessions];
        startSegment();
    }

    long capacity() {
        return capacity;
    }

    /** The messages sent from now on belong to a new segment; its index. */
    synchronized int startSegment() {
        segments.add(LoadResult.histogram());
        segmentCounts.add(new long[2]);
        return segments.size() - 1;
    }

    /** Message {@code k} is being sent now ({@code nanos}, System.nanoTime). */
    synchronized void sent(long k, long nanos) {
        int i = Math.toIntExact(k);
        segmentOf[i] = segments.size() - 1;
        segmentCounts.getLast()[0]++;
        sentNanos.set(i, nanos);
    }

    static int sessionOf(long k, int sessions) {
        return (int) (k % sessions);
    }

    /** The global index of session {@code s}'s {@code n}-th message (1-based). */
    private long message(int s, long n) {
        return (n - 1) * sessions + s;
    }

    /**
     * A frame of session {@code s} read at {@code nanos} says {@code messages}; the first one sets the session's base.
     */
    synchronized int frame(int s, long messages, long nanos) {
        frames++;
        if (!subscribed[s]) {
            subscribed[s] = true;
            base[s] = messages;
            return 0;
        }
        long n = messages - base[s];
        int count = 0;
        while (resolved[s] < n) {
            long k = message(s, resolved[s] + 1);
            long sent = k < capacity ? sentNanos.get((int) k) : UNSENT;
            if (sent == UNSENT) {
                beyondSent++; // a count the sender has not reached: not ours to time
                break;
            }
            resolved[s]++;
            long micros = Math.max(0, (nanos - sent) / 1_000);
            int segment = segmentOf[(int) k];
            segments.get(segment).recordValue(Math.min(micros, LoadResult.HIGHEST_MICROS));
            segmentCounts.get(segment)[1]++;
            count++;
        }
        if (count > 0) {
            changingFrames++;
        }
        return count;
    }

    /** Whether every message up to {@code k} (exclusive) has been resolved. */
    synchronized boolean resolvedUpTo(long k) {
        for (int s = 0; s < sessions; s++) {
            long expected = k / sessions + (s < k % sessions ? 1 : 0);
            if (resolved[s] < expected) {
                return false;
            }
        }
        return true;
    }

    /** Segment {@code i}'s latencies, µs (a copy). */
    synchronized Histogram latencies(int i) {
        return segments.get(i).copy();
    }

    /** Messages of segment {@code i} sent and not (yet) resolved by a frame. */
    synchronized long unresolved(int i) {
        return segmentCounts.get(i)[0] - segmentCounts.get(i)[1];
    }

    synchronized long frames() {
        return frames;
    }

    synchronized long changingFrames() {
        return changingFrames;
    }

    synchronized long beyondSent() {
        return beyondSent;
    }
}
