package io.livestage.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/** The most recent sessions the run created (a ring), from which get requests pick their target. */
public final class SessionPool {
    /** A session as the API returned it. */
    public record Created(String id, String slug) {
    }

    private final AtomicReferenceArray<Created> ring;
    private final AtomicLong added = new AtomicLong();

    public SessionPool(int capacity) {
        ring = new AtomicReferenceArray<>(capacity);
    }

    public void add(Created session) {
        long index = added.getAndIncrement();
        ring.set((int) (index % ring.length()), session);
    }

    public long size() {
        return Math.min(added.get(), ring.length());
    }

    /** A random one of the sessions in the ring; the pool must not be empty. */
    public Created pick(RandomGenerator random) {
        long size = size();
        if (size == 0) {
            throw new IllegalStateException("No session created yet");
        }
        Created session;
        do {
            session = ring.get(random.nextInt((int) size));
        } while (session == null);
        return session;
    }
}
