package io.livestage.recording.service;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void startAttemptsWaitDoublingUpToTheMaximum() {
        assertThat(EgressDriver.backoff(INITIAL, MAX, 0)).isEqualTo(INITIAL);
        assertThat(EgressDriver.backoff(INITIAL, MAX, 1)).isEqualTo(INITIAL);
        assertThat(EgressDriver.backoff(INITIAL, MAX, 2)).isEqualTo(Duration.ofMillis(500));
        assertThat(EgressDriver.backoff(INITIAL, MAX, 5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(EgressDriver.backoff(INITIAL, MAX, 6)).isEqualTo(MAX);
        assertThat(EgressDriver.backoff(INITIAL, MAX, 10_000)).as("no overflow after many attempts").isEqualTo(MAX);
    }
}
