package io.livestage.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * This instance's own buckets (bucket4j, lock-free), used when no Redis is configured and while it is unreachable.
 * Bounded: a full bucket is the same as no bucket, so {@link #sweep()} drops full ones; past the bound, everything is
 * dropped (a flood of fresh addresses must not grow the heap — those callers start with a full bucket again).
 */
final class LocalBuckets {
    private final int max;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    private record Entry(Bucket bucket, long capacity) {
    }

    LocalBuckets(int max) {
        this.max = max;
    }

    ConsumptionProbe consume(String key, BucketConfiguration configuration) {
        Entry entry = buckets.get(key);
        if (entry == null) {
            if (buckets.size() >= max) {
                sweep();
                if (buckets.size() >= max) {
                    buckets.clear();
                }
            }
            entry = buckets.computeIfAbsent(key, k -> create(configuration));
        }
        return entry.bucket().tryConsumeAndReturnRemaining(1);
    }

    private static Entry create(BucketConfiguration configuration) {
        LocalBucketBuilder builder = Bucket.builder();
        long capacity = Long.MAX_VALUE;
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
            capacity = Math.min(capacity, bandwidth.getCapacity());
        }
        return new Entry(builder.build(), capacity);
    }

    /** Drops the buckets that have refilled completely. */
    void sweep() {
        buckets.entrySet().removeIf(e -> e.getValue().bucket().getAvailableTokens() >= e.getValue().capacity());
    }

    int size() {
        return buckets.size();
    }
}
