package io.livestage.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the relay reports: the {@code livestage.outbox.*} meters and the state its readiness check shows (backlog,
 * last publication, last error).
 */
final class RelayMetrics {
    private final Counter published;
    private final Counter failures;
    private final Timer lag;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private volatile Instant lastPublishedAt;
    private volatile String lastError;

    RelayMetrics(MeterRegistry registry) {
        this.published = Counter.builder("livestage.outbox.published").description("Events acknowledged by Kafka")
                .register(registry);
        this.failures = Counter.builder("livestage.outbox.failures").description("Events Kafka did not acknowledge")
                .register(registry);
        this.lag = Timer.builder("livestage.outbox.lag").description("Commit of the change to Kafka acknowledgement")
                .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        registry.gauge("livestage.outbox.pending", pending);
        registry.gauge("livestage.outbox.oldest.pending.seconds", oldestPendingSeconds);
    }

    /** Kafka's answers taken at {@code now}: the acknowledged events (their lag ends now) and how many failed. */
    void answered(List<PendingEvent> acknowledged, int failed, Instant now) {
        for (PendingEvent event : acknowledged) {
            lag.record(Duration.between(event.occurredAt(), now));
        }
        published.increment(acknowledged.size());
        failures.increment(failed);
        if (!acknowledged.isEmpty()) {
            lastPublishedAt = now;
        }
    }

    /** The outbox's backlog as counted at {@code now}: its rows and the oldest one's time (null when empty). */
    void backlog(long rows, Instant oldest, Instant now) {
        pending.set(rows);
        oldestPendingSeconds.set(oldest == null ? 0 : Duration.between(oldest, now).toSeconds());
    }

    void failed(String error) {
        lastError = error;
    }

    void succeeded() {
        lastError = null;
    }

    long pending() {
        return pending.get();
    }

    long oldestPendingSeconds() {
        return oldestPendingSeconds.get();
    }

    Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    String lastError() {
        return lastError;
    }
}
