package io.livestage.platform.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the relay works: wake-ups coalesce, the poll is the fallback, failures back off exponentially up to a cap. */
class RelayScheduleTest {

    @Test
    void theBackoffDoublesPerFailureInARowUpToTheCap() {
        RelaySchedule schedule = new RelaySchedule(Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(10));
        assertThat(schedule.pauseAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(schedule.pauseAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(schedule.pauseAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(schedule.pauseAfter(6)).isEqualTo(Duration.ofMillis(6_400));
        assertThat(schedule.pauseAfter(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.pauseAfter(1_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void wakeUpsBeforeAWaitEndItOnceThenThePollIntervalApplies() throws InterruptedException {
        Duration poll = Duration.ofSeconds(1);
        RelaySchedule schedule = new RelaySchedule(poll, Duration.ofMillis(200), Duration.ofSeconds(10));
        schedule.wakeUp();
        schedule.wakeUp();
        schedule.wakeUp();

        long start = System.nanoTime();
        schedule.awaitWork();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken").isLessThan(poll);

        start = System.nanoTime();
        schedule.awaitWork();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the three wake-ups counted once")
                .isGreaterThanOrEqualTo(poll.minusMillis(50));
    }
}
