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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * <p>Runs on its own platform thread with JDBC, so no event-loop thread ever blocks on it. One replica per service
 * database is the <b>leader</b>: it holds a session-level advisory lock on a connection it keeps, and only the leader
 * publishes, which keeps each aggregate's events in commit order. When its connection or its process goes, the lock
 * goes with it and another replica takes over at its next poll.
 *
 * <p>Publishing is <b>pipelined</b>: the leader selects the oldest rows that are not already on their way, hands them
 * to the idempotent producer (which keeps their order per partition) and selects the next ones without waiting for
 * Kafka; acknowledgements come back on the producer's thread, wake the relay, and the acknowledged rows are deleted.
 * So a row committed while earlier ones are in flight leaves at once instead of after their round trip. Delivery is
 * at least once: a crash between the Kafka acknowledgement and the delete republishes the row with the same
 * {@code ce_id}, which consumers deduplicate. The deletes do not wait for the WAL flush (the relay's session turns
 * {@code synchronous_commit} off): a delete lost in a database crash only republishes, the rows themselves were
 * committed durably by the services' own transactions.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock key: one relay per service database publishes at a time. */
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
    /** Serialises the relay thread's steps and a test's {@link #drainOnce()}; guards the fields below it. */
    private final Object drainLock = new Object();
    /** Rows handed to Kafka and not acknowledged yet, in the order they were sent. */
    private final Map<UUID, PendingEvent> inFlight = new LinkedHashMap<>();
    /** Kafka's answers, from the producer's thread. */
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private Connection connection;
    private boolean leader;
    private long acknowledged;

    private volatile boolean running;
    private volatile Thread worker;
    private volatile KafkaProducer<String, byte[]> producer;
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

    /** Stops the relay: what is in flight gets up to the send timeout to be acknowledged (and deleted). */
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
            if (!inFlight.isEmpty()) {
                awaitAcks(System.nanoTime() + config.sendTimeout().toNanos());
                try {
                    Answers answers = takeAcks();
                    if (connection != null) {
                        markPublished(connection, answers.ok());
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debugf("Outbox relay: acknowledged rows not deleted at stop (they will be republished): %s",
                            e.toString());
                }
            }
            inFlight.clear();
            acks.clear();
            discardConnection();
        }
        KafkaProducer<String, byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to publish now instead of at its next poll. Cheap; safe from any thread. */
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
                synchronized (drainLock) {
                    while (running && step() == Step.MORE) {
                        // a full window was sent: more rows are probably waiting
                    }
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

    private enum Step { IDLE, SENT, MORE }

    /**
     * Publishes everything pending and waits for Kafka: steps until nothing is left to send and every row sent was
     * answered (or the send timeout passed), deleting the acknowledged rows. For tests and tools; the running relay does
     * the same without waiting.
     *
     * @return how many rows Kafka acknowledged during the call (0 when none were pending or another replica publishes)
     */
    public int drainOnce() throws SQLException, OutboxPublishException {
        synchronized (drainLock) {
            long before = acknowledged;
            long deadline = System.nanoTime() + config.sendTimeout().toNanos();
            Step step;
            do {
                step = step();
                awaitAcks(deadline);
            } while ((step != Step.IDLE || !inFlight.isEmpty()) && System.nanoTime() < deadline);
            if (!inFlight.isEmpty()) {
                step(); // the deadline passed: take (and delete) what was answered by now
            }
            return (int) (acknowledged - before);
        }
    }

    /** Waits until every row in flight was answered, or {@code deadline} (System.nanoTime) passed. */
    private void awaitAcks(long deadline) {
        while (!inFlight.isEmpty() && acks.size() < inFlight.size() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One step: takes Kafka's answers since the last step, deletes the acknowledged rows and, as the leader, sends the
     * oldest pending rows that are not in flight (up to {@code batchSize} in flight in all) — one statement for the
     * delete, the lock and the select. The lock is held while rows are in flight and let go when the relay runs dry, so
     * a replica whose own commit woke it takes over at once when this one is idle; after letting go it looks once more,
     * so a row committed by a replica that found the lock still held is not left for the next poll.
     */
    private Step step() throws SQLException, OutboxPublishException {
        Answers answers = takeAcks();
        Connection c = connection();
        try {
            if (!answers.failed().isEmpty()) {
                markFailed(c, answers.failed(), answers.error());
            }
            int room = config.batchSize() - inFlight.size();
            Batch batch = deleteAndSelect(c, answers.ok(), Math.max(0, room));
            leader = batch.locked();
            if (answers.error() != null) {
                throw new OutboxPublishException(answers.failed().size() + " events not acknowledged by Kafka: "
                        + answers.error());
            }
            lastError = null;
            if (!batch.locked()) {
                return Step.IDLE; // another replica publishes, ours included
            }
            if (batch.rows().isEmpty()) {
                if (room > 0 && inFlight.isEmpty()) {
                    release(c);
                    return anyPending(c) ? Step.MORE : Step.IDLE;
                }
                return Step.IDLE;
            }
            send(batch.rows());
            return batch.rows().size() == room ? Step.MORE : Step.SENT;
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    private void send(List<PendingEvent> rows) {
        KafkaProducer<String, byte[]> kafka = producer();
        for (PendingEvent event : rows) {
            inFlight.put(event.id(), event);
            try {
                kafka.send(toRecord(event), (metadata, failure) -> {
                    acks.add(new Ack(event, failure));
                    wakeUp();
                });
            } catch (RuntimeException e) {
                // refused before it was sent (no metadata within max.block.ms, producer closed, ...): sent again later
                acks.add(new Ack(event, e));
            }
        }
    }

    /** Kafka's answers since the last call: the acknowledged ids, the failed ones (sent again later) and the error. */
    private record Answers(List<UUID> ok, List<UUID> failed, String error) {
    }

    private Answers takeAcks() {
        if (acks.isEmpty()) {
            return new Answers(List.of(), List.of(), null);
        }
        List<UUID> ok = new ArrayList<>();
        List<UUID> failed = new ArrayList<>();
        String error = null;
        Instant now = Instant.now();
        Ack ack;
        while ((ack = acks.poll()) != null) {
            if (inFlight.remove(ack.event().id()) == null) {
                continue;
            }
            if (ack.failure() == null) {
                ok.add(ack.event().id());
                lag.record(Duration.between(ack.event().occurredAt(), now));
            } else {
                failed.add(ack.event().id());
                error = ack.failure().toString();
            }
        }
        acknowledged += ok.size();
        published.increment(ok.size());
        failures.increment(failed.size());
        if (!ok.isEmpty()) {
            lastPublishedAt = now;
        }
        return new Answers(ok, failed, error);
    }

    /** The rows of one select, and whether this relay holds the relay lock (if not, it sent nothing). */
    private record Batch(boolean locked, List<PendingEvent> rows) {
    }

    /**
     * Deletes {@code published}, takes the relay lock unless this relay holds it, and selects the oldest pending rows
     * that are neither in flight nor just deleted (the statement's snapshot still shows those), at most {@code limit}.
     */
    private Batch deleteAndSelect(Connection c, List<UUID> published, int limit) throws SQLException {
        if (limit == 0) {
            markPublished(c, published);
            return new Batch(leader, List.of());
        }
        String lock = leader ? "select true as locked" : "select pg_try_advisory_lock(?) as locked";
        try (PreparedStatement statement = c.prepareStatement("with d as (delete from outbox where id = any(?)), "
                + "l as (" + lock + ") "
                + "select l.locked, o.id, o.aggregate_id, o.sequence, o.event_type, o.topic, o.source, o.data_schema, "
                + "o.payload, o.occurred_at, o.request_id from l left join lateral ("
                + "select * from outbox where l.locked and id <> all(?) order by position limit ?) o on true")) {
            int i = 1;
            statement.setArray(i++, c.createArrayOf("uuid", published.toArray()));
            if (!leader) {
                statement.setLong(i++, RELAY_LOCK);
            }
            List<UUID> skip = new ArrayList<>(inFlight.size() + published.size());
            skip.addAll(inFlight.keySet());
            skip.addAll(published);
            statement.setArray(i++, c.createArrayOf("uuid", skip.toArray()));
            statement.setInt(i, limit);
            boolean locked = false;
            List<PendingEvent> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    locked = rs.getBoolean(1);
                    UUID id = rs.getObject(2, UUID.class);
                    if (id != null) {
                        rows.add(new PendingEvent(id, rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                                rs.getString(11)));
                    }
                }
            }
            return new Batch(locked, rows);
        }
    }

    /** Lets go of the relay lock (every level this session took). */
    private void release(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("select pg_advisory_unlock_all()")) {
            statement.execute();
        }
        leader = false;
    }

    /** Whether a row that is not in flight is pending (read after letting go of the lock, in a new snapshot). */
    private boolean anyPending(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "select exists (select 1 from outbox where id <> all(?))")) {
            statement.setArray(1, c.createArrayOf("uuid", inFlight.keySet().toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The relay's own connection (autocommit, no flush wait for its deletes), opened on first use and after a failure. */
    private Connection connection() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = dataSource.getConnection();
            try (PreparedStatement statement = c.prepareStatement("set synchronous_commit to off")) {
                c.setAutoCommit(true);
                statement.execute();
            } catch (SQLException | RuntimeException e) {
                destroy(c);
                throw e;
            }
            connection = c;
            leader = false;
        }
        return c;
    }

    /**
     * Closes the relay's connection for good (after a failure, or when stopping): the physical connection is dropped,
     * not pooled, so the relay lock and the session setting go with it. The next step opens a new one.
     */
    private void discardConnection() {
        Connection c = connection;
        connection = null;
        leader = false;
        if (c != null) {
            destroy(c);
        }
    }

    private static void destroy(Connection c) {
        try {
            c.abort(Runnable::run); // Agroal drops an aborted connection instead of pooling it
        } catch (SQLException | RuntimeException ignored) {
            // Agroal reports the abort this way; the connection is marked to be dropped
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do
        }
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
        nextHousekeeping = now.plus(HOUSEKEEPING_INTERVAL);
        synchronized (drainLock) {
            Connection c = connection();
            try (PreparedStatement statement = c.prepareStatement("select count(*), min(occurred_at) from outbox");
                    ResultSet rs = statement.executeQuery()) {
                rs.next();
                pending.set(rs.getLong(1));
                Timestamp oldest = rs.getTimestamp(2);
                oldestPendingSeconds.set(oldest == null ? 0 : Duration.between(oldest.toInstant(), now).toSeconds());
            } catch (SQLException | RuntimeException e) {
                discardConnection();
                throw e;
            }
        }
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

    /** Kafka's answer for one row: {@code failure} null when acknowledged. */
    private record Ack(PendingEvent event, Exception failure) {
    }
}
