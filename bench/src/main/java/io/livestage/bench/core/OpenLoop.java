package io.livestage.bench.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load: operation {@code i} is due at {@code start + i / rate}; one sender thread issues each at its due time
 * (or at once when behind, counted as a late send), and its latency is measured from the due time to completion, so
 * that a stall is charged to every operation that should have been sent during it.
 */
public final class OpenLoop {

    /** One operation; completes with a label (e.g. "create"; null for none), or exceptionally as an error. */
    @FunctionalInterface
    public interface Op {
        CompletionStage<String> call(long sequence);
    }

    private OpenLoop() {
    }

    public static LoadResult run(String label, double rate, Duration duration, int maxOutstanding, Duration drain, Op op) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        Histogram all = new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3);
        Map<String, Histogram> byLabel = new ConcurrentHashMap<>();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong outstanding = new AtomicLong();
        long late = 0;
        long start = System.nanoTime() + 1_000_000;
        long end = start + duration.toNanos();
        double interval = 1e9 / rate;
        for (long i = 0;; i++) {
            long due = start + Math.round(i * interval);
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            } else if (now - due > 1_000_000) {
                late++;
            }
            if (outstanding.get() >= maxOutstanding) {
                failed.incrementAndGet();
                errors.merge("client: backlog of " + maxOutstanding + " full", 1L, Long::sum);
                continue;
            }
            outstanding.incrementAndGet();
            CompletionStage<String> stage;
            try {
                stage = op.call(i);
            } catch (RuntimeException e) {
                stage = java.util.concurrent.CompletableFuture.failedFuture(e);
            }
            stage.whenComplete((opLabel, error) -> {
                long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                if (error == null) {
                    all.recordValue(Math.min(micros, LoadResult.HIGHEST_MICROS));
                    if (opLabel != null) {
                        byLabel.computeIfAbsent(opLabel, l -> new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3))
                                .recordValue(Math.min(micros, LoadResult.HIGHEST_MICROS));
                    }
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    errors.merge(cause(error), 1L, Long::sum);
                }
                outstanding.decrementAndGet();
            });
        }
        long drainEnd = System.nanoTime() + drain.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < drainEnd) {
            LockSupport.parkNanos(1_000_000);
        }
        long stuck = outstanding.get();
        if (stuck > 0) {
            failed.addAndGet(stuck);
            errors.merge("no answer within " + drain.toMillis() + " ms after the window", stuck, Long::sum);
        }
        double seconds = duration.toNanos() / 1e9;
        Map<String, Histogram> labels = new TreeMap<>();
        byLabel.forEach((k, v) -> labels.put(k, v.copy()));
        return new LoadResult(label, rate, seconds, ok.get(), failed.get(), all.copy(), labels,
                new LinkedHashMap<>(new TreeMap<>(errors)), late);
    }

    /** A short cause for an error: the message of a {@link Failure}, else the exception's class and message. */
    public static String cause(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof Failure) {
            return e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + abbreviate(message));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** An expected kind of failure (a status, a mismatch) whose message is its cause. */
    public static final class Failure extends RuntimeException {
        public Failure(String message) {
            super(message, null, false, false);
        }
    }
}
