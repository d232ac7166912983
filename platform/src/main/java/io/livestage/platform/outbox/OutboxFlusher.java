package io.livestage.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * Moves rows from the outbox to Kafka, one step at a time (the relay thread's, a test's {@link #drain()}, the last
 * one at stop). <b>Pipelined</b>: a step takes Kafka's answers, deletes the acknowledged rows and, as the leader, hands
 * the oldest rows that are not already in flight to the publisher without waiting for Kafka, so a row committed while
 * earlier ones are in flight leaves at once. At least once: a crash between the acknowledgement and the delete
 * republishes the row with the same {@code ce_id}, which consumers deduplicate.
 */
final class OutboxFlusher {
    private static final Logger LOG = Logger.getLogger(OutboxFlusher.class);

    enum Step { IDLE, SENT, MORE }

    /** Serialises the steps of the relay thread, a test's drain and the stop; guards every field below it. */
    private final Object lock = new Object();
    private final RelayConnection connection;
    private final RelayLeadership leadership;
    private final OutboxRows rows;
    private final OutboxPublisher publisher;
    private final RelayMetrics metrics;
    private final int batchSize;
    private final Duration sendTimeout;
    private long acknowledged;

    OutboxFlusher(RelayConnection connection, RelayLeadership leadership, OutboxRows rows, OutboxPublisher publisher,
            RelayMetrics metrics, int batchSize, Duration sendTimeout) {
        this.connection = connection;
        this.leadership = leadership;
        this.rows = rows;
        this.publisher = publisher;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.sendTimeout = sendTimeout;
    }

    /** Steps while each step sent a full window (more rows are probably waiting) and {@code running} holds. */
    void flush(BooleanSupplier running) throws SQLException, OutboxPublishException {
        synchronized (lock) {
            while (running.getAsBoolean() && step() == Step.MORE) {
                // a full window was sent: more rows are probably waiting
            }
        }
    }

    /**
     * Steps until nothing is left to send and every row sent was answered (or the send timeout passed), deleting the
     * acknowledged rows.
     *
     * @return how many rows Kafka acknowledged during the call
     */
    int drain() throws SQLException, OutboxPublishException {
        synchronized (lock) {
            long before = acknowledged;
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            Step step;
            do {
                step = step();
                publisher.awaitAnswers(deadline);
            } while ((step != Step.IDLE || publisher.inFlightCount() > 0) && System.nanoTime() < deadline);
            if (publisher.inFlightCount() > 0) {
                step(); // the deadline passed: take (and delete) what was answered by now
            }
            return (int) (acknowledged - before);
        }
    }

    /** Counts the backlog for the gauges. */
    void refreshBacklog() throws SQLException {
        synchronized (lock) {
            try {
                OutboxRows.Backlog backlog = rows.backlog(connection.get());
                metrics.backlog(backlog.rows(), backlog.oldest(), Instant.now());
            } catch (SQLException | RuntimeException e) {
                connection.discard();
                throw e;
            }
        }
    }

    /**
     * The last step when stopping: what is in flight gets up to the send timeout to be answered, the acknowledged rows
     * are deleted (best effort: a row not deleted is only republished), and the connection (and the lock) let go.
     */
    void stop() {
        synchronized (lock) {
            if (publisher.inFlightCount() > 0) {
                publisher.awaitAnswers(System.nanoTime() + sendTimeout.toNanos());
                try {
                    OutboxPublisher.Answers answers = answers();
                    Connection c = connection.current();
                    if (c != null) {
                        rows.delete(c, answers.okIds());
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debugf("Outbox relay: acknowledged rows not deleted at stop (they will be republished): %s",
                            e.toString());
                }
            }
            publisher.forget();
            connection.discard();
        }
    }

    /**
     * One step: takes Kafka's answers since the last step, deletes the acknowledged rows and, as the leader, sends the
     * oldest pending rows that are not in flight (up to {@code batchSize} in flight in all) — one statement for the
     * delete, the lock and the select. The lock is held while rows are in flight and let go when the relay runs dry;
     * after letting go it looks once more, so a row committed by a replica that found the lock still held is not left
     * for the next poll.
     */
    private Step step() throws SQLException, OutboxPublishException {
        OutboxPublisher.Answers answers = answers();
        Connection c = connection.get();
        boolean wasLeader = leadership.isLeader();
        try {
            if (!answers.failed().isEmpty()) {
                rows.markFailed(c, answers.failed(), answers.error());
            }
            int room = batchSize - publisher.inFlightCount();
            OutboxRows.Batch batch = rows.deleteAndSelect(c, leadership, answers.okIds(), publisher.inFlight(),
                    Math.max(0, room));
            leadership.locked(batch.locked());
            if (answers.error() != null) {
                throw new OutboxPublishException(answers.failed().size() + " events not acknowledged by Kafka: "
                        + answers.error());
            }
            metrics.succeeded();
            if (!batch.locked()) {
                return Step.IDLE; // another replica publishes, ours included
            }
            if (batch.rows().isEmpty()) {
                if (room > 0 && publisher.inFlightCount() == 0) {
                    leadership.release(c);
                    return rows.anyPendingBesides(c, publisher.inFlight()) ? Step.MORE : Step.IDLE;
                }
                return Step.IDLE;
            }
            if (!wasLeader) {
                // The statement that took the lock read the outbox in a snapshot taken before it had the lock: rows
                // the previous leader published and deleted just before letting go can still show in it. Select
                // again, in a snapshot taken while holding the lock, or they would be published a second time (and
                // after their successors).
                return Step.MORE;
            }
            publisher.send(batch.rows());
            return batch.rows().size() == room ? Step.MORE : Step.SENT;
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            throw e;
        }
    }

    /** Kafka's answers since the last step, counted. */
    private OutboxPublisher.Answers answers() {
        OutboxPublisher.Answers answers = publisher.takeAnswers();
        if (!answers.ok().isEmpty() || !answers.failed().isEmpty()) {
            acknowledged += answers.ok().size();
            metrics.answered(answers.ok(), answers.failed().size(), answers.at());
        }
        return answers;
    }
}
