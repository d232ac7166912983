package io.livestage.recording.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.livekit.EgressInfo.FileResult;
import io.livestage.events.livekit.EgressInfo.Status;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.model.OutputChange;
import io.livestage.recording.model.OutputKey;
import io.livestage.recording.model.OutputState;
import io.livestage.recording.model.OutputStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The output lifecycle: forward only, each step announced once, every end with a file or a reason. */
class EgressTransitionsTest {
    private static final UUID RECORDING = UUID.fromString("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    private static final UUID SESSION = UUID.fromString("0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00");
    private static final Instant NOW = Instant.parse("2026-11-21T19:00:00Z");
    private static final Instant STARTED = Instant.parse("2026-11-21T18:00:01.900Z");
    private static final Instant ENDED = Instant.parse("2026-11-21T18:59:59Z");

    private static OutputState state(OutputStatus status) {
        return new OutputState(RECORDING, SESSION, RecordingFormat.MP3, RecordingTrigger.AUTO, status,
                status == OutputStatus.PENDING ? null : "EG_1", null, null);
    }

    private static EgressInfo info(Status status, String error, FileResult... files) {
        boolean ended = status.terminal();
        return new EgressInfo("EG_1", "RM_1", SESSION.toString(), status,
                status == Status.EGRESS_STARTING ? null : STARTED, ended ? ENDED : null, NOW, error, 0, null,
                "roomComposite", List.of(), List.of(files));
    }

    private static FileResult file(long size, Duration duration) {
        return new FileResult("/out/a.mp3", "/out/s/a.mp3", size, duration, STARTED.plusMillis(500), ENDED);
    }

    @Test
    void activeIsAnnouncedAsStartedWithLiveKitsTime() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.STARTING), info(Status.EGRESS_ACTIVE, null),
                NOW).orElseThrow();

        assertThat(change.status()).isEqualTo(OutputStatus.ACTIVE);
        assertThat(change.event()).isEqualTo(new RecordingStarted(RECORDING.toString(), SESSION.toString(), "EG_1",
                RecordingFormat.MP3, RecordingTrigger.AUTO, STARTED));
    }

    @Test
    void aStartAcceptedMovesPendingToStartingSilently() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.PENDING), info(Status.EGRESS_STARTING, null),
                NOW).orElseThrow();

        assertThat(change.status()).isEqualTo(OutputStatus.STARTING);
        assertThat(change.egressId()).isEqualTo("EG_1");
        assertThat(change.event()).isNull();
    }

    @Test
    void staleAndRepeatedReportsChangeNothing() {
        assertThat(EgressTransitions.apply(state(OutputStatus.ACTIVE), info(Status.EGRESS_ACTIVE, null), NOW)).isEmpty();
        assertThat(EgressTransitions.apply(state(OutputStatus.ENDING), info(Status.EGRESS_ACTIVE, null), NOW)).isEmpty();
        assertThat(EgressTransitions.apply(state(OutputStatus.ACTIVE), info(Status.EGRESS_STARTING, null), NOW))
                .isEmpty();
        for (OutputStatus terminal : List.of(OutputStatus.COMPLETE, OutputStatus.FAILED, OutputStatus.ABORTED,
                OutputStatus.LIMIT_REACHED)) {
            assertThat(EgressTransitions.apply(state(terminal), info(Status.EGRESS_FAILED, "late"), NOW)).isEmpty();
            assertThat(EgressTransitions.fail(state(terminal), "timeout", NOW)).isEmpty();
        }
    }

    @Test
    void completeCarriesLiveKitsFileResult() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.ENDING),
                info(Status.EGRESS_COMPLETE, null, file(57_600_123, Duration.ofMillis(3_598_500))), NOW).orElseThrow();

        assertThat(change.status()).isEqualTo(OutputStatus.COMPLETE);
        assertThat(change.location()).isEqualTo("/out/s/a.mp3");
        assertThat(change.sizeBytes()).isEqualTo(57_600_123L);
        assertThat(change.durationMillis()).isEqualTo(3_598_500L);
        assertThat(change.event()).isEqualTo(new RecordingCompleted(RECORDING.toString(), SESSION.toString(), "EG_1",
                RecordingFormat.MP3, "audio/mpeg", "/out/s/a.mp3", 57_600_123, 3_598_500, STARTED.plusMillis(500),
                ENDED));
    }

    @Test
    void aLostEndedIsStillCompletedFromAnyEarlierStatusAndTheDurationFallsBackToTheFileTimes() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.STARTING),
                info(Status.EGRESS_COMPLETE, null, file(1000, Duration.ZERO)), NOW).orElseThrow();

        assertThat(change.event()).isInstanceOf(RecordingCompleted.class);
        assertThat(((RecordingCompleted) change.event()).durationMillis())
                .isEqualTo(Duration.between(STARTED.plusMillis(500), ENDED).toMillis());
    }

    @Test
    void completeWithoutAFileIsAFailure() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.ACTIVE), info(Status.EGRESS_COMPLETE, null),
                NOW).orElseThrow();

        assertThat(change.status()).isEqualTo(OutputStatus.FAILED);
        RecordingFailed failed = (RecordingFailed) change.event();
        assertThat(failed.reason()).contains("without a file");
        assertThat(failed.livekitStatus()).isNull();
        assertThat(failed.egressId()).isEqualTo("EG_1");
    }

    @Test
    void failedAbortedAndLimitReachedAreFailuresWithAReasonAndLiveKitsStatus() {
        RecordingFailed failed = (RecordingFailed) EgressTransitions.apply(state(OutputStatus.ACTIVE),
                info(Status.EGRESS_FAILED, "pipeline error"), NOW).orElseThrow().event();
        assertThat(failed.reason()).isEqualTo("pipeline error");
        assertThat(failed.livekitStatus()).isEqualTo("EGRESS_FAILED");
        assertThat(failed.failedAt()).isEqualTo(ENDED);

        RecordingFailed silent = (RecordingFailed) EgressTransitions.apply(state(OutputStatus.ACTIVE),
                info(Status.EGRESS_FAILED, ""), NOW).orElseThrow().event();
        assertThat(silent.reason()).isNotBlank();

        OutputChange aborted = EgressTransitions.apply(new OutputState(RECORDING, SESSION, RecordingFormat.MP3,
                RecordingTrigger.MANUAL, OutputStatus.STARTING, "EG_1", null, "stopped by alice"),
                info(Status.EGRESS_ABORTED, null), NOW).orElseThrow();
        assertThat(aborted.status()).isEqualTo(OutputStatus.ABORTED);
        assertThat(((RecordingFailed) aborted.event()).reason()).contains("stopped by alice");
        assertThat(((RecordingFailed) aborted.event()).livekitStatus()).isEqualTo("EGRESS_ABORTED");

        OutputChange limit = EgressTransitions.apply(state(OutputStatus.ACTIVE),
                info(Status.EGRESS_LIMIT_REACHED, null, file(10, Duration.ofHours(4))), NOW).orElseThrow();
        assertThat(limit.status()).isEqualTo(OutputStatus.LIMIT_REACHED);
        assertThat(limit.location()).as("the partial file is kept").isEqualTo("/out/s/a.mp3");
        assertThat(((RecordingFailed) limit.event()).reason()).contains("duration limit");
    }

    @Test
    void theServicesOwnReasonWinsOverLiveKitsError() {
        OutputState timedOut = new OutputState(RECORDING, SESSION, RecordingFormat.MP3, RecordingTrigger.AUTO,
                OutputStatus.STARTING, "EG_1", "LiveKit did not start recording within 120 s", null);

        RecordingFailed failed = (RecordingFailed) EgressTransitions.apply(timedOut,
                info(Status.EGRESS_ABORTED, "egress aborted"), NOW).orElseThrow().event();

        assertThat(failed.reason()).isEqualTo("LiveKit did not start recording within 120 s");
    }

    @Test
    void endingWithoutAReportedActiveAnnouncesTheStart() {
        OutputChange change = EgressTransitions.apply(state(OutputStatus.STARTING), info(Status.EGRESS_ENDING, null),
                NOW).orElseThrow();
        assertThat(change.status()).isEqualTo(OutputStatus.ENDING);
        assertThat(change.event()).isInstanceOf(RecordingStarted.class);

        OutputChange afterActive = EgressTransitions.apply(state(OutputStatus.ACTIVE),
                info(Status.EGRESS_ENDING, null), NOW).orElseThrow();
        assertThat(afterActive.event()).isNull();
    }

    @Test
    void theServiceFailsAndAbortsWithItsOwnReasonAndNoLiveKitStatus() {
        OutputChange failed = EgressTransitions.fail(state(OutputStatus.STARTING), "LiveKit no longer knows egress EG_1",
                NOW).orElseThrow();
        assertThat(failed.status()).isEqualTo(OutputStatus.FAILED);
        assertThat(failed.event()).isEqualTo(new RecordingFailed(RECORDING.toString(), SESSION.toString(), "EG_1",
                RecordingFormat.MP3, "LiveKit no longer knows egress EG_1", null, NOW));

        OutputState pending = new OutputState(RECORDING, SESSION, RecordingFormat.MP4, RecordingTrigger.AUTO,
                OutputStatus.PENDING, null, null, "the session ended");
        RecordingFailed aborted = (RecordingFailed) EgressTransitions.abortPending(pending, NOW).orElseThrow().event();
        assertThat(aborted.egressId()).isNull();
        assertThat(aborted.reason()).contains("the session ended");
        assertThat(EgressTransitions.abortPending(state(OutputStatus.STARTING), NOW)).as("only PENDING").isEmpty();
    }

    @Test
    void aSpeakerTrackFollowsTheSameLifecycleWithoutRecordingEvents() {
        OutputState track = new OutputState(OutputKey.track(RECORDING, "TR_1"), SESSION, RecordingTrigger.AUTO,
                OutputStatus.ACTIVE, "EG_1", null, null);
        OutputChange completed = EgressTransitions.apply(track,
                info(Status.EGRESS_COMPLETE, null, file(4_000, Duration.ofSeconds(60))), NOW).orElseThrow();
        assertThat(completed.status()).isEqualTo(OutputStatus.COMPLETE);
        assertThat(completed.location()).isEqualTo("/out/s/a.mp3");
        assertThat(completed.sizeBytes()).isEqualTo(4_000);
        assertThat(completed.durationMillis()).isEqualTo(60_000);
        assertThat(completed.event()).as("recording.* events are the composite files").isNull();

        OutputState starting = new OutputState(OutputKey.track(RECORDING, "TR_1"), SESSION, RecordingTrigger.AUTO,
                OutputStatus.STARTING, "EG_1", null, null);
        OutputChange active = EgressTransitions.apply(starting, info(Status.EGRESS_ACTIVE, null), NOW).orElseThrow();
        assertThat(active.status()).isEqualTo(OutputStatus.ACTIVE);
        assertThat(active.event()).isNull();
        assertThat(EgressTransitions.fail(starting, "timeout", NOW).orElseThrow().event()).isNull();
        assertThat(EgressTransitions.apply(track, info(Status.EGRESS_ACTIVE, null), NOW)).as("stale").isEmpty();
    }
}
