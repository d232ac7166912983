package io.livestage.session;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GraceTest {
    private static final Instant LEFT = Instant.parse("2026-11-21T18:00:00Z");
    private final Grace grace = new Grace(Duration.ofSeconds(30));

    @Test
    void notExpiredWithinTheGrace() {
        assertThat(grace.expired(LEFT, LEFT)).isFalse();
        assertThat(grace.expired(LEFT, LEFT.plusSeconds(29))).isFalse();
    }

    @Test
    void expiredOnceTheWholeGraceHasPassed() {
        assertThat(grace.expired(LEFT, LEFT.plusSeconds(30))).isTrue();
        assertThat(grace.expired(LEFT, LEFT.plusSeconds(300))).isTrue();
    }

    @Test
    void nothingPendingNeverExpires() {
        assertThat(grace.expired(null, LEFT.plusSeconds(300))).isFalse();
    }

    @Test
    void theCutoffIsTheOldestStartThatHasNotExpired() {
        Instant now = LEFT.plusSeconds(45);
        assertThat(grace.cutoff(now)).isEqualTo(LEFT.plusSeconds(15));
        assertThat(grace.expired(grace.cutoff(now), now)).isTrue();
        assertThat(grace.expired(grace.cutoff(now).plusNanos(1000), now)).isFalse();
    }
}
