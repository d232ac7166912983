package io.livestage.gateway.ratelimit;

import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import org.junit.jupiter.api.Test;

import io.livestage.gateway.config.GatewayConfig.Quota;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBucketsTest {

    private static Quota quota(int limit, Duration period) {
        return new Quota() {
            @Override
            public int limit() {
                return limit;
            }

            @Override
            public Duration period() {
                return period;
            }
        };
    }

    @Test
    void aBucketAllowsItsLimitThenRefusesWithTheWaitUntilTheNextToken() {
        LocalBuckets buckets = new LocalBuckets(100);
        BucketConfiguration three = RateLimiter.configuration(quota(3, Duration.ofSeconds(60)));
        for (int i = 0; i < 3; i++) {
            ConsumptionProbe probe = buckets.consume("user:alice", three);
            assertThat(probe.isConsumed()).isTrue();
            assertThat(probe.getRemainingTokens()).isEqualTo(2 - i);
        }
        ConsumptionProbe refused = buckets.consume("user:alice", three);
        assertThat(refused.isConsumed()).isFalse();
        // one token every 20 s
        assertThat(Duration.ofNanos(refused.getNanosToWaitForRefill())).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
        assertThat(buckets.consume("user:bob", three).isConsumed()).as("another key, another bucket").isTrue();
    }

    @Test
    void fullBucketsAreSweptAndTheBoundHolds() throws Exception {
        LocalBuckets buckets = new LocalBuckets(10);
        BucketConfiguration fast = RateLimiter.configuration(quota(1, Duration.ofMillis(50)));
        buckets.consume("ip:a", fast);
        buckets.consume("ip:b", fast);
        assertThat(buckets.size()).isEqualTo(2);
        Thread.sleep(120);
        buckets.sweep();
        assertThat(buckets.size()).as("refilled buckets are dropped").isZero();

        BucketConfiguration slow = RateLimiter.configuration(quota(5, Duration.ofMinutes(1)));
        for (int i = 0; i < 25; i++) {
            buckets.consume("ip:flood-" + i, slow);
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(10);
    }
}
