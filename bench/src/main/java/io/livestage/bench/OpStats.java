package io.livestage.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency (microseconds, HdrHistogram) of the successful (2xx) requests of one operation, and the count of failed ones
 * by cause: the HTTP status, or {@code timeout} / {@code io} when no response came.
 */
public final class OpStats {
    /** One minute in microseconds; anything slower is clamped (and would be a failure by the request timeout). */
    static final long HIGHEST_MICROS = 60_000_000L;

    private final String name;
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorsByCause = new ConcurrentHashMap<>();

    public OpStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void success(long nanos) {
        recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
    }

    public void failure(String cause) {
        errors.increment();
        errorsByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    public long errors() {
        return errors.sum();
    }

    /** Errors by cause, sorted by cause. */
    public Map<String, Long> errorsByCause() {
        Map<String, Long> copy = new TreeMap<>();
        errorsByCause.forEach((cause, count) -> copy.put(cause, count.sum()));
        return copy;
    }

    /** Every success recorded so far (a copy). */
    public synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }
}
