package io.livestage.platform.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka as CloudEvents (binary mode), then deletes them: Kafka is the log, and a
 * table that holds only what is pending stays small and cheap to poll. Runs on its own platform thread with JDBC, so
 * no event-loop thread ever blocks on it; a commit wakes it, the poll interval is the safety net.
 *
 * <p>Its parts: {@link RelaySchedule} (wake-ups, poll, backoff), {@link OutboxFlusher} (the pipelined steps),
 * {@link RelayLeadership} (the advisory lock: one replica publishes), {@link RelayConnection} (the relay's session),
 * {@link OutboxRows} (the statements), {@link OutboxPublisher} (the producer and what is in flight),
 * {@link OutboxRecordMapper} (row to CloudEvent record) and {@link RelayMetrics}.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(5);

    private final OutboxConfig.Relay config;
    private final RelaySchedule schedule;
    private final RelayMetrics metrics;
    private final OutboxPublisher publisher;
    private final OutboxFlusher flusher;

    private volatile boolean running;
    private volatile Thread worker;
    private Instant nextHousekeeping = Instant.EPOCH;

    public OutboxRelay(AgroalDataSource dataSource, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.config = config.relay();
        this.schedule = new RelaySchedule(this.config.pollInterval(), this.config.backoff(), this.config.maxBackoff());
        this.metrics = new RelayMetrics(registry);
        this.publisher = new OutboxPublisher(kafkaConfig, this.config.sendTimeout(), schedule::wakeUp);
        RelayLeadership leadership = new RelayLeadership();
        this.flusher = new OutboxFlusher(new RelayConnection(dataSource, leadership), leadership, new OutboxRows(),
                publisher, metrics, this.config.batchSize(), this.config.sendTimeout());
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        } else {
            LOG.warn("Outbox relay is disabled (livestage.outbox.relay.enabled=false): events stay in the outbox");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    /** Stops the relay: what is in flight gets up to the send timeout to be acknowledged (and deleted). */
    public synchronized void stop() {
        running = false;
        Thread current = worker;
        if (current != null) {
            schedule.endWaiting();
            try {
                current.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        flusher.stop();
        publisher.close();
    }

    /** Asks the relay to publish now instead of at its next poll. Cheap; safe from any thread. */
    public void wakeUp() {
        schedule.wakeUp();
    }

    /**
     * Publishes everything pending and waits for Kafka: steps until nothing is left to send and every row sent was
     * answered (or the send timeout passed), deleting the acknowledged rows. For tests and tools; the running relay does
     * the same without waiting.
     *
     * @return how many rows Kafka acknowledged during the call (0 when none were pending or another replica publishes)
     */
    public int drainOnce() throws SQLException, OutboxPublishException {
        return flusher.drain();
    }

    public boolean isRunning() {
        return running && worker != null && worker.isAlive();
    }

    public boolean isEnabled() {
        return config.enabled();
    }

    public long pending() {
        return metrics.pending();
    }

    public long oldestPendingSeconds() {
        return metrics.oldestPendingSeconds();
    }

    public String lastError() {
        return metrics.lastError();
    }

    public Instant lastPublishedAt() {
        return metrics.lastPublishedAt();
    }

    private void loop() {
        int failuresInARow = 0;
        while (running) {
            try {
                schedule.awaitWork();
                if (!running) {
                    break;
                }
                flusher.flush(() -> running);
                failuresInARow = 0;
                housekeeping();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failuresInARow++;
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                metrics.failed(error);
                Duration pause = schedule.pauseAfter(failuresInARow);
                LOG.warnf("Outbox relay failed (%d in a row), retrying in %d ms: %s", failuresInARow, pause.toMillis(),
                        error);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Refreshes the backlog gauges every few seconds. */
    private void housekeeping() throws SQLException {
        Instant now = Instant.now();
        if (now.isBefore(nextHousekeeping)) {
            return;
        }
        nextHousekeeping = now.plus(HOUSEKEEPING_INTERVAL);
        flusher.refreshBacklog();
    }
}
