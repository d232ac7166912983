package io.livestage.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.livestage.events.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Publishes committed outbox rows to Kafka as CloudEvents (binary mode), then deletes them: Kafka is the log, and a
 * table that holds only what is pending stays small and cheap to poll, whatever the planner's statistics say.
 *
 * <p>Runs on its own platform thread with JDBC, so no event-loop thread ever blocks on it. A transaction-scoped
 * advisory lock lets exactly one replica drain at a time, which keeps each aggregate's events in commit order.
 * Delivery is at least once: a crash between the Kafka acknowledgement and the commit of the delete republishes the
 * row with the same {@code ce_id}, which consumers deduplicate.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key: one relay per service database drains at a time. */
    private static final long RELAY_LOCK = 0x6c73_6f75_7462_6f78L;
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofSeconds(5);

    private final AgroalDataSource dataSource;
    private final OutboxConfig.Relay config;
    private final Map<String, Object> kafkaConfig;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Counter published;
    private final Counter failures;
    private final Timer lag;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    private volatile boolean running;
    private volatile Thread worker;
    private volatile KafkaProducer<String, byte[]> producer;
    /** Serialises drains (the relay thread's and a test's {@link #drainOnce()}) on the one connection. */
    private final Object drainLock = new Object();
    /** The relay's connection; see {@link #connection()}. */
    private volatile Connection connection;
    private volatile String lastError;
    private volatile Instant lastPublishedAt;
    private Instant nextHousekeeping = Instant.EPOCH;

    public OutboxRelay(AgroalDataSource dataSource, OutboxConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config.relay();
        this.kafkaConfig = kafkaConfig;
        this.published = Counter.builder("livestage.outbox.published").description("Events acknowledged by Kafka")
                .register(registry);
        this.failures = Counter.builder("livestage.outbox.failures").description("Events Kafka did not acknowledge")
                .register(registry);
        this.lag = Timer.builder("livestage.outbox.lag").description("Commit of the change to Kafka acknowledgement")
                .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        registry.gauge("livestage.outbox.pending", pending);
        registry.gauge("livestage.outbox.oldest.pending.seconds", oldestPendingSeconds);
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

    public synchronized void stop() {
        running = false;
        Thread current = worker;
        if (current != null) {
            wakeUps.release();
            try {
                current.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        synchronized (drainLock) {
            discardConnection();
        }
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to drain now instead of at its next poll. Cheap; safe from any thread. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    public boolean isRunning() {
        return running && worker != null && worker.isAlive();
    }

    public boolean isEnabled() {
        return config.enabled();
    }

    public long pending() {
        return pending.get();
    }

    public long oldestPendingSeconds() {
        return oldestPendingSeconds.get();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    private void loop() {
        int consecutiveFailures = 0;
        while (running) {
            try {
                wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                if (!running) {
                    break;
                }
                while (running && drainOnce() >= config.batchSize()) {
                    // a full batch: more rows are probably waiting
                }
                consecutiveFailures = 0;
                housekeeping();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                consecutiveFailures++;
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                long pause = Math.min(config.maxBackoff().toMillis(),
                        config.backoff().toMillis() << Math.min(consecutiveFailures - 1, 16));
                LOG.warnf("Outbox relay failed (%d in a row), retrying in %d ms: %s", consecutiveFailures, pause,
                        lastError);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Publishes one batch of pending rows and deletes the acknowledged ones.
     *
     * <p>Three round trips to PostgreSQL per batch, on a connection the relay keeps: one statement takes the relay
     * lock (transaction-scoped: released at the commit, so another replica can take over at any batch boundary), turns
     * off the wait for the WAL flush for this transaction only and selects the batch; then the delete; then the commit.
     * Not waiting for the flush is safe here: a delete lost in a database crash only republishes rows Kafka already
     * has, with the same {@code ce_id}, which consumers deduplicate; the rows themselves were committed durably by
     * the services' own transactions.
     *
     * @return how many rows were published (0 when none were pending or another replica holds the relay lock)
     */
    public int drainOnce() throws SQLException, OutboxPublishException {
        synchronized (drainLock) {
            return drain();
        }
    }

    private int drain() throws SQLException, OutboxPublishException {
        Connection connection = connection();
        try {
            List<PendingEvent> batch = selectPending(connection);
            if (batch.isEmpty()) {
                connection.commit();
                return 0;
            }
            Outcome outcome = publish(batch);
            markPublished(connection, outcome.published());
            markFailed(connection, outcome.failed(), outcome.error());
            connection.commit();
            if (outcome.error() != null) {
                throw new OutboxPublishException(outcome.failed().size() + " of " + batch.size()
                        + " events not acknowledged by Kafka: " + outcome.error());
            }
            lastError = null;
            return outcome.published().size();
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    /** The relay's own connection (autocommit off), opened on first use and after a failure. Under the drain lock. */
    private Connection connection() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            connection = c;
        }
        return c;
    }

    /** Rolls back and closes the relay's connection (after a failure, or when stopping); the next drain opens one. */
    private void discardConnection() {
        Connection c = connection;
        connection = null;
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the connection is gone anyway
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do
        }
    }

    /**
     * The next batch, in commit order, locked against other drains; empty when there is none or another replica holds
     * the relay lock (the one-time filter is evaluated before any row is read).
     */
    private List<PendingEvent> selectPending(Connection connection) throws SQLException {
        List<PendingEvent> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select id, aggregate_id, sequence, event_type, topic, source, data_schema, payload, occurred_at,
                    request_id
                from outbox
                where (select pg_try_advisory_xact_lock(?) and set_config('synchronous_commit', 'off', true) = 'off')
                order by position limit ? for update skip locked""")) {
            statement.setLong(1, RELAY_LOCK);
            statement.setInt(2, config.batchSize());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new PendingEvent(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getTimestamp(9).toInstant(), rs.getString(10)));
                }
            }
        }
        return rows;
    }

    private Outcome publish(List<PendingEvent> batch) {
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (PendingEvent event : batch) {
            acks.add(kafka.send(toRecord(event)));
        }
        List<UUID> ok = new ArrayList<>(batch.size());
        List<UUID> failed = new ArrayList<>();
        String error = null;
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (int i = 0; i < batch.size(); i++) {
            PendingEvent event = batch.get(i);
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ok.add(event.id());
                lag.record(Duration.between(event.occurredAt(), Instant.now()));
            } catch (ExecutionException | TimeoutException e) {
                failed.add(event.id());
                error = (e instanceof ExecutionException ? e.getCause() : e).toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(event.id());
                error = "interrupted";
            }
        }
        published.increment(ok.size());
        failures.increment(failed.size());
        if (!ok.isEmpty()) {
            lastPublishedAt = Instant.now();
        }
        return new Outcome(ok, failed, error);
    }

    static ProducerRecord<String, byte[]> toRecord(PendingEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(headers, CloudEventHeaders.ID, event.id().toString());
        header(headers, CloudEventHeaders.TYPE, event.eventType());
        header(headers, CloudEventHeaders.SOURCE, event.source());
        header(headers, CloudEventHeaders.SUBJECT, event.aggregateId());
        header(headers, CloudEventHeaders.TIME, event.occurredAt().toString());
        header(headers, CloudEventHeaders.SEQUENCE, Long.toString(event.sequence()));
        if (event.dataSchema() != null) {
            header(headers, CloudEventHeaders.DATA_SCHEMA, event.dataSchema());
        }
        if (event.requestId() != null) {
            header(headers, CloudEventHeaders.REQUEST_ID, event.requestId());
        }
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return new ProducerRecord<>(event.topic(), null, null, event.aggregateId(),
                event.payload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void markPublished(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("delete from outbox where id = any(?)")) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            statement.executeUpdate();
        }
    }

    private void markFailed(Connection connection, List<UUID> ids, String error) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "update outbox set attempts = attempts + 1, last_error = ? where id = any(?)")) {
            statement.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            statement.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            statement.executeUpdate();
        }
    }

    /** Refreshes the backlog gauges. */
    private void housekeeping() throws SQLException {
        Instant now = Instant.now();
        if (now.isBefore(nextHousekeeping)) {
            return;
        }
        synchronized (drainLock) {
            refreshGauges(now);
        }
    }

    private void refreshGauges(Instant now) throws SQLException {
        nextHousekeeping = now.plus(HOUSEKEEPING_INTERVAL);
        Connection connection = connection();
        try (PreparedStatement statement = connection.prepareStatement("select count(*), min(occurred_at) from outbox");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            pending.set(rs.getLong(1));
            Timestamp oldest = rs.getTimestamp(2);
            oldestPendingSeconds.set(oldest == null ? 0 : Duration.between(oldest.toInstant(), now).toSeconds());
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
        connection.commit();
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.sendTimeout().toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(config.sendTimeout().toMillis(), 5_000L));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return props;
    }

    record PendingEvent(UUID id, String aggregateId, long sequence, String eventType, String topic, String source,
            String dataSchema, String payload, Instant occurredAt, String requestId) {
    }

    private record Outcome(List<UUID> published, List<UUID> failed, String error) {
    }
}
