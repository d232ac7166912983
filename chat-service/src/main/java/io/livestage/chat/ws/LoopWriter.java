package io.livestage.chat.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

/**
 * The fan-out of one event loop: work for the loop's sockets (a frame for a room's sockets on this loop, or an action
 * on one socket) is queued from any thread and carried out on the loop in submission order, in batches. Everything
 * that arrived while the loop was busy is one batch: frames are written without a flush, and each socket written to
 * is flushed once at the end — one system call per socket per batch, however many frames and rooms it carried.
 *
 * <p>One task per loop and batch, never one per socket or per frame; the frames' buffers are shared, never copied.
 */
public final class LoopWriter {
    /** Batches run on event loops. */
    public static final LongAdder BATCHES = new LongAdder();
    /** At most this many works per batch, so that a backlog cannot keep the loop from reading its sockets. */
    static final int MAX_BATCH = 256;
    private static final Logger LOG = Logger.getLogger(LoopWriter.class);

    private final Executor loop;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Batch batch = new Batch();

    /** What a batch does for one submission: its writes go through {@link Batch#write}. */
    @FunctionalInterface
    public interface Work {
        void run(Batch batch);
    }

    /** {@code loop} runs tasks on the event loop this writer serves, one at a time, in order. */
    public LoopWriter(Executor loop) {
        this.loop = loop;
    }

    /** Queues {@code work}, which writes {@code frame} (retained until the work ran) to sockets of this loop. */
    public void write(OutboundFrame frame, Work work) {
        queue.add(new Pending(frame.retain(), work));
        schedule();
    }

    /** Queues {@code action} for a socket of this loop, in order with the frames queued before and after it. */
    public void run(Runnable action) {
        queue.add(new Pending(null, batch -> action.run()));
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        // cleared first: whatever is queued from now on either is taken below or schedules the next batch
        scheduled.set(false);
        BATCHES.increment();
        try {
            Pending next;
            for (int n = 0; n < MAX_BATCH && (next = queue.poll()) != null; n++) {
                try {
                    next.work().run(batch);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "room channel fan-out: a write failed");
                } finally {
                    if (next.frame() != null) {
                        next.frame().release();
                    }
                }
            }
        } finally {
            batch.flush();
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    /** The batch being written: remembers the sockets that wait for their flush. */
    public static final class Batch {
        private final List<SocketWriter> unflushed = new ArrayList<>();

        private Batch() {
        }

        /** Queues {@code frame} for {@code socket}; the batch flushes it at its end. */
        public void write(SocketWriter socket, OutboundFrame frame) {
            if (socket.write(frame)) {
                unflushed.add(socket);
            }
        }

        private void flush() {
            for (int i = 0; i < unflushed.size(); i++) {
                unflushed.get(i).flush();
            }
            unflushed.clear();
        }
    }

    private record Pending(OutboundFrame frame, Work work) {
    }
}
