package io.livestage.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.SseClients;
import io.livestage.bench.core.SseParser;

/**
 * The sse part's subscribers: {@code count} streams of {@code GET path} (no token) on {@link SseClients}, each event
 * read as a {@link StreamStatus} and matched against the {@link QualityChanges} being published.
 */
final class StreamSubscribers implements AutoCloseable {
    static final String EVENT_TYPE = "stream";

    /** How opening went: ready subscribers, failures by cause, time to first event (µs), the initial presets seen. */
    record OpenOutcome(int ready, int failed, int pending, long millis, Histogram firstEventMicros,
            Map<String, Long> failures, Map<String, Long> initialPresets) {
    }

    private final SseClients clients;
    private final QualityChanges.Cursor[] cursors;
    private final String[] initialPresets;
    private volatile QualityChanges changes;
    final LongAdder otherEventTypes = new LongAdder();
    final LongAdder unreadableEvents = new LongAdder();
    final LongAdder eventsBeforeChanges = new LongAdder();

    StreamSubscribers(Vertx vertx, int port, String path, int count, int connectConcurrency, int threads) {
        cursors = new QualityChanges.Cursor[count];
        for (int i = 0; i < count; i++) {
            cursors[i] = new QualityChanges.Cursor();
        }
        initialPresets = new String[count];
        clients = new SseClients(vertx, port, Collections.nCopies(count, path), null, connectConcurrency, threads,
                this::onEvent);
    }

    /** From now on events are matched against {@code changes}; before, every event after the first is counted. */
    void track(QualityChanges changes) {
        this.changes = changes;
    }

    /** Opens every subscriber; returns when each is ready or failed, or after {@code timeout}. */
    OpenOutcome open(Duration timeout) throws InterruptedException {
        SseClients.Opened o = clients.open(timeout);
        Map<String, Long> initial = new LinkedHashMap<>();
        for (int i = 0; i < cursors.length; i++) {
            if (clients.ready(i)) {
                initial.merge(String.valueOf(initialPresets[i]), 1L, Long::sum);
            }
        }
        return new OpenOutcome(o.ready(), o.failed(), o.pending(), o.millis(), o.firstEventMicros(), o.failures(),
                initial);
    }

    /** The Content-Type of the first stream's response (for the report). */
    String contentType() {
        return clients.contentType();
    }

    private boolean onEvent(int i, SseParser.Event event, long receivedNanos, boolean first) {
        if (!EVENT_TYPE.equals(event.type())) {
            otherEventTypes.increment();
            return false;
        }
        StreamStatus status;
        try {
            status = StreamStatus.parse(event.data());
        } catch (IllegalArgumentException e) {
            unreadableEvents.increment();
            return false;
        }
        if (first) {
            initialPresets[i] = status.preset();
            cursors[i].lastVersion = status.version() >= 0 ? status.version() : Long.MIN_VALUE;
            return true;
        }
        QualityChanges tracked = changes;
        if (tracked == null) {
            eventsBeforeChanges.increment();
        } else {
            tracked.onEvent(cursors[i], status, receivedNanos);
        }
        return true;
    }

    /** Subscribers that were ready and are still connected. */
    int connected() {
        int connected = 0;
        for (int i = 0; i < cursors.length; i++) {
            connected += clients.connected(i) ? 1 : 0;
        }
        return connected;
    }

    /** Streams that ended or failed after their first event, by cause. */
    Map<String, Long> dropped() {
        return clients.dropped();
    }

    /** Waits until every connected subscriber has seen change {@code k} (or lost it), or {@code grace} has passed. */
    boolean awaitDelivered(QualityChanges changes, int k, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (!caughtUp(k) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return caughtUp(k);
    }

    private boolean caughtUp(int k) {
        for (int i = 0; i < cursors.length; i++) {
            if (clients.connected(i) && cursors[i].next <= k) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        clients.close();
    }
}
