package io.livestage.platform.outbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * When the relay works: at once when woken (a commit, a Kafka acknowledgement), else after the poll interval, the
 * safety net for rows committed by other replicas; after failures it pauses, doubling per failure in a row up to a cap.
 */
final class RelaySchedule {
    private final Duration pollInterval;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Semaphore wakeUps = new Semaphore(0);

    RelaySchedule(Duration pollInterval, Duration backoff, Duration maxBackoff) {
        this.pollInterval = pollInterval;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    /** Asks for work now. Cheap; safe from any thread; wake-ups before the next wait count as one. */
    void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Ends the current or next wait, whatever is pending (used when stopping). */
    void endWaiting() {
        wakeUps.release();
    }

    /** Waits for a wake-up or the poll interval, whichever comes first, and forgets the wake-ups it covers. */
    void awaitWork() throws InterruptedException {
        wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
    }

    /** The pause after {@code failuresInARow} (1, 2, ...) failed rounds: the backoff doubled per failure, capped. */
    Duration pauseAfter(int failuresInARow) {
        return Duration.ofMillis(Math.min(maxBackoff.toMillis(),
                backoff.toMillis() << Math.min(failuresInARow - 1, 16)));
    }
}
