package io.livestage.recording.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingTrigger;

import static org.assertj.core.api.Assertions.assertThat;

/** A recording's state follows its outputs; a live one blocks a second recording of the session. */
class RecordingStateTest {
    private static final Instant AT = Instant.parse("2026-11-21T18:00:00Z");

    private static Recording recording(Instant stopRequested, OutputStatus... statuses) {
        List<Output> outputs = new ArrayList<>();
        RecordingFormat[] formats = RecordingFormat.values();
        for (int i = 0; i < statuses.length; i++) {
            outputs.add(new Output(formats[i], statuses[i], null, 0, null, null, null, null, null, null, null));
        }
        return new Recording(UUID.randomUUID(), UUID.randomUUID(), RecordingTrigger.MANUAL, "alice", AT,
                stopRequested, stopRequested == null ? null : "stopped by alice", outputs);
    }

    @Test
    void statesFollowTheOutputs() {
        assertThat(recording(null, OutputStatus.PENDING, OutputStatus.STARTING).state())
                .isEqualTo(Recording.State.STARTING);
        assertThat(recording(null, OutputStatus.ACTIVE, OutputStatus.FAILED).state())
                .isEqualTo(Recording.State.RECORDING);
        assertThat(recording(AT, OutputStatus.ACTIVE, OutputStatus.STARTING).state())
                .isEqualTo(Recording.State.STOPPING);
        assertThat(recording(AT, OutputStatus.COMPLETE, OutputStatus.ABORTED).state())
                .isEqualTo(Recording.State.ENDED);
        assertThat(recording(null, OutputStatus.COMPLETE).state()).isEqualTo(Recording.State.ENDED);
    }

    @Test
    void onlyARecordingNotAskedToStopAndNotEndedIsLive() {
        assertThat(recording(null, OutputStatus.PENDING).live()).isTrue();
        assertThat(recording(null, OutputStatus.ENDING).live()).isTrue();
        assertThat(recording(AT, OutputStatus.ACTIVE).live()).isFalse();
        assertThat(recording(null, OutputStatus.FAILED).live()).isFalse();
    }

    @Test
    void statusesOnlyMoveForward() {
        assertThat(OutputStatus.PENDING.rank()).isLessThan(OutputStatus.STARTING.rank());
        assertThat(OutputStatus.STARTING.rank()).isLessThan(OutputStatus.ACTIVE.rank());
        assertThat(OutputStatus.ACTIVE.rank()).isLessThan(OutputStatus.ENDING.rank());
        for (OutputStatus end : List.of(OutputStatus.COMPLETE, OutputStatus.FAILED, OutputStatus.ABORTED,
                OutputStatus.LIMIT_REACHED)) {
            assertThat(end.terminal()).isTrue();
            assertThat(end.rank()).isGreaterThan(OutputStatus.ENDING.rank());
        }
    }
}
