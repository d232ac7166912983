package io.livestage.bench;

import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;

/**
 * The live part's bookkeeping: chat message {@code k} (0-based, in sending order) goes to session {@code k % sessions}
 * as that session's {@code k / sessions + 1}-th message after the subscription began; the first {@code warmup}
 * messages are the warm-up. The sender records each message's send time ({@link #sent}); a server-sent frame whose
 * {@code chat.messages} is {@code n} more than the session's count in its first frame resolves every earlier
 * unresolved message of that session up to the {@code n}-th: latency = frame read − send, in µs.
 */
final class LiveLatency {
    private static final long UNSENT = Long.MIN_VALUE;
    private final int sessions;
    private final long warmup;
    private final long total;
    private final AtomicLongArray sentNanos;
    private final long[] base;
    private final boolean[] subscribed;
    private final long[] resolved; // per session: messages resolved so far (1-based count)
    private final Histogram measured = new Histogram(OpStats.HIGHEST_MICROS, 3);
    private final Histogram warm = new Histogram(OpStats.HIGHEST_MICROS, 3);
    private long frames;
    private long changingFrames;
    private long beyondSent;
    private long measuredResolved;

    LiveLatency(int sessions, long warmup, long measuredMessages) {
        this.sessions = sessions;
        this.warmup = warmup;
        this.total = warmup + measuredMessages;
        this.sentNanos = new AtomicLongArray(Math.toIntExact(total));
        for (int k = 0; k < total; k++) {
            sentNanos.set(k, UNSENT);
        }
        this.base = new long[sessions];
        this.subscribed = new boolean[sessions];
        this.resolved = new long[sessions];
    }

    int sessions() {
        return sessions;
    }

    long total() {
        return total;
    }

    long warmup() {
        return warmup;
    }

    long measuredCount() {
        return total - warmup;
    }

    /** Message {@code k} is being sent now ({@code nanos}, System.nanoTime). */
    void sent(long k, long nanos) {
        sentNanos.set(Math.toIntExact(k), nanos);
    }

    static int sessionOf(long k, int sessions) {
        return (int) (k % sessions);
    }

    /** The global index of session {@code s}'s {@code n}-th message (1-based). */
    private long message(int s, long n) {
        return (n - 1) * sessions + s;
    }

    /**
     * A frame of session {@code s} read at {@code nanos} says {@code messages}; the first one sets the session's
     * base. Returns how many messages it resolved.
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
            long sent = k < total ? sentNanos.get((int) k) : UNSENT;
            if (sent == UNSENT) {
                beyondSent++; // a count the sender has not reached: not ours to time
                break;
            }
            resolved[s]++;
            long micros = Math.max(0, (nanos - sent) / 1_000);
            if (k < warmup) {
                warm.recordValue(Math.min(micros, OpStats.HIGHEST_MICROS));
            } else {
                measured.recordValue(Math.min(micros, OpStats.HIGHEST_MICROS));
                measuredResolved++;
            }
            count++;
        }
        if (count > 0) {
            changingFrames++;
        }
        return count;
    }

    synchronized boolean subscribed(int s) {
        return subscribed[s];
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

    synchronized Histogram measured() {
        return measured.copy();
    }

    synchronized Histogram warm() {
        return warm.copy();
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

    synchronized long measuredResolved() {
        return measuredResolved;
    }

    /** Measured messages sent that no frame resolved. */
    synchronized long measuredLost(long sentMessages) {
        long sentMeasured = Math.max(0, Math.min(sentMessages, total) - warmup);
        return Math.max(0, sentMeasured - measuredResolved);
    }
}
