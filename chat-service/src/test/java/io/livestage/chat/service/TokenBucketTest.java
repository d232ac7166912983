package io.livestage.chat.service;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    @Test
    void aBurstIsAllowedThenTokensComeBackAtTheRefillRate() {
        long t = 0;
        TokenBucket bucket = new TokenBucket(3, 2, t);
        assertThat(bucket.tryTake(t)).isTrue();
        assertThat(bucket.tryTake(t)).isTrue();
        assertThat(bucket.tryTake(t)).isTrue();
        assertThat(bucket.tryTake(t)).isFalse();
        assertThat(bucket.nanosUntilToken(t)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        t += TimeUnit.MILLISECONDS.toNanos(500);
        assertThat(bucket.tryTake(t)).isTrue();
        assertThat(bucket.tryTake(t)).isFalse();
        t += TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(t)).isTrue();
        }
        assertThat(bucket.tryTake(t)).as("never more than the capacity").isFalse();
    }
}
