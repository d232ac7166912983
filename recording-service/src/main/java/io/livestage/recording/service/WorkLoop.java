package io.livestage.recording.service;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;

/**
 * The thread of a driver that turns stored intents into blocking LiveKit calls: {@link #kick()} asks for rounds soon
 * (after a commit, from a poll), rounds run one at a time on the loop's own thread until nothing more is due (a round
 * that handled a full batch is followed by another), and a kick during a drain is not lost. A failed drain is logged
 * and retried by the next kick.
 */
public final class WorkLoop {
    private static final Logger LOG = Logger.getLogger(WorkLoop.class);

    private final String name;
    private final IntSupplier round;
    private final int batchSize;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    /** {@code round} handles what is due and returns how many it handled (a full {@code batchSize}: more may be due). */
    public WorkLoop(String name, int batchSize, IntSupplier round) {
        this.name = name;
        this.round = round;
        this.batchSize = batchSize;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name));
    }

    /** Asks for a round soon. */
    public void kick() {
        wanted.set(true);
        if (!thread.isShutdown() && running.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                running.set(false);
            }
        }
    }

    /** Asks for a round after {@code delayMillis} (a retry that is due then). */
    public void kickIn(long delayMillis) {
        if (!thread.isShutdown()) {
            try {
                thread.schedule(this::kick, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // stopping
            }
        }
    }

    public void shutdown() {
        thread.shutdownNow();
    }

    private void drain() {
        try {
            while (wanted.getAndSet(false)) {
                int handled;
                do {
                    handled = round.getAsInt();
                } while (handled >= batchSize);
            }
        } catch (RuntimeException e) {
            LOG.warnf("%s round failed, the next one retries: %s", name, e.toString());
        } finally {
            running.set(false);
            if (wanted.get()) {
                kick();
            }
        }
    }
}
