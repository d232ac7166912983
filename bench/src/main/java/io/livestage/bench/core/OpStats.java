package io.livestage.bench.core;

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
    private final String name;
    private final Recorder recorder = new Recorder(LoadResult.HIGHEST_MICROS, 3);
    private final Histogram total = LoadResult.histogram();
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorsByCause = new ConcurrentHashMap<>();

    public OpStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void success(long nanos) {
        recorder.recordValue(LoadResult.micros(nanos));
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
