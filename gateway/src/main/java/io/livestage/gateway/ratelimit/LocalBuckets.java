package io.livestage.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * This instance's own buckets (bucket4j, lock-free), used when no Redis is configured and while it is unreachable.
 * Bounded by a Caffeine cache: a flood of fresh addresses evicts the least used buckets (those callers start with a
 * full bucket again) instead of growing the heap; a full bucket is the same as no bucket, so {@link #sweep()} drops
 * full ones early.
 */
final class LocalBuckets {
    private final Cache<String, Entry> buckets;

    private record Entry(Bucket bucket, long capacity) {
    }

    LocalBuckets(int max) {
        this.buckets = Caffeine.newBuilder().maximumSize(max).build();
    }

    ConsumptionProbe consume(String key, BucketConfiguration configuration) {
        return buckets.get(key, k -> create(configuration)).bucket().tryConsumeAndReturnRemaining(1);
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
        buckets.asMap().entrySet().removeIf(e -> e.getValue().bucket().getAvailableTokens() >= e.getValue().capacity());
    }

    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
