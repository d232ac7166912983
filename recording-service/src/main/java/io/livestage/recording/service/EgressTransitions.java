package io.livestage.recording.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.recording.model.OutputChange;
import io.livestage.recording.model.OutputState;
import io.livestage.recording.model.OutputStatus;

/**
 * The rules of an output's lifecycle, as pure functions: what LiveKit's view of an egress (a webhook, a StopEgress
 * answer, a ListEgress entry) changes, and which event announces it. Statuses only move forward, so a late or repeated
 * report changes nothing; ACTIVE is announced as {@code recording.started}, COMPLETE with a file as
 * {@code recording.completed}, every other end as {@code recording.failed} with the reason. A speaker track follows the
 * same rules but is not announced: the {@code recording.*} events are the composite files (the podcast library and
 * feeds consume them); tracks are listed with their recording.
 */
public final class EgressTransitions {

    private EgressTransitions() {
    }

    /** The change LiveKit's {@code info} makes to {@code current}, or empty when it is stale or a repetition. */
    public static Optional<OutputChange> apply(OutputState current, EgressInfo info, Instant now) {
        return announced(current, change(current, info, now));
    }

    private static Optional<OutputChange> change(OutputState current, EgressInfo info, Instant now) {
        OutputStatus next = OutputStatus.of(info.status());
        if (current.status().terminal() || next.rank() <= current.status().rank()) {
            return Optional.empty();
        }
        Instant startedAt = info.startedAt() != null ? info.startedAt() : now;
        return Optional.of(switch (next) {
            case PENDING, STARTING -> new OutputChange(next, info.egressId(), null, null, null, null, null, null, null);
            case ACTIVE -> started(current, info, next, startedAt);
            // ENDING without a reported ACTIVE: it was recording, so announce that first
            case ENDING -> current.status().rank() < OutputStatus.ACTIVE.rank() ? started(current, info, next, startedAt)
                    : new OutputChange(next, info.egressId(), startedAt, null, null, null, null, null, null);
            case COMPLETE -> completed(current, info, now);
            case FAILED, ABORTED, LIMIT_REACHED -> ended(current, info, next, now);
        });
    }

    /** An end recording-service decides (a refused start, a timeout, an egress LiveKit no longer knows). */
    public static Optional<OutputChange> fail(OutputState current, String reason, Instant now) {
        if (current.status().terminal()) {
            return Optional.empty();
        }
        return announced(current, Optional.of(new OutputChange(OutputStatus.FAILED, current.egressId(), null, now, null, null, null,
                reason, new RecordingFailed(id(current), session(current), current.egressId(), current.format(),
                        reason, null, now))));
    }

    /** A PENDING output whose recording was stopped before LiveKit accepted its egress. */
    public static Optional<OutputChange> abortPending(OutputState current, Instant now) {
        if (current.status() != OutputStatus.PENDING) {
            return Optional.empty();
        }
        String reason = "stopped before LiveKit started recording"
                + (current.stopReason() == null ? "" : " (" + current.stopReason() + ")");
        return announced(current, Optional.of(new OutputChange(OutputStatus.ABORTED, null, null, now, null, null,
                null, reason, new RecordingFailed(id(current), session(current), null, current.format(), reason, null,
                        now))));
    }

    /** The change as it is written: a speaker track's without its event. */
    private static Optional<OutputChange> announced(OutputState current, Optional<OutputChange> change) {
        if (!current.key().track()) {
            return change;
        }
        return change.map(c -> new OutputChange(c.status(), c.egressId(), c.startedAt(), c.endedAt(), c.location(),
                c.sizeBytes(), c.durationMillis(), c.failureReason(), null));
    }

    private static OutputChange started(OutputState current, EgressInfo info, OutputStatus next, Instant startedAt) {
        return new OutputChange(next, info.egressId(), startedAt, null, null, null, null, null,
                new RecordingStarted(id(current), session(current), info.egressId(), current.format(),
                        current.trigger(), startedAt));
    }

    private static OutputChange completed(OutputState current, EgressInfo info, Instant now) {
        EgressInfo.FileResult file = info.file();
        if (file == null || file.location() == null || file.location().isBlank()) {
            String reason = "LiveKit completed egress " + info.egressId() + " without a file";
            return new OutputChange(OutputStatus.FAILED, info.egressId(), info.startedAt(), ended(info, now), null,
                    null, null, reason, new RecordingFailed(id(current), session(current), info.egressId(),
                            current.format(), reason, null, ended(info, now)));
        }
        Instant startedAt = first(file.startedAt(), info.startedAt(), now);
        Instant endedAt = first(file.endedAt(), info.endedAt(), now);
        long millis = file.duration().isZero() ? Duration.between(startedAt, endedAt).toMillis()
                : file.duration().toMillis();
        long duration = Math.max(0, millis);
        return new OutputChange(OutputStatus.COMPLETE, info.egressId(), startedAt, endedAt, file.location(),
                file.size(), duration, null, new RecordingCompleted(id(current), session(current), info.egressId(),
                        current.format(), current.key().track() ? null : current.format().mimeType(), file.location(),
                        file.size(), duration,
                        startedAt, endedAt));
    }

    private static OutputChange ended(OutputState current, EgressInfo info, OutputStatus next, Instant now) {
        String reason = reason(current, info, next);
        Instant endedAt = ended(info, now);
        EgressInfo.FileResult file = info.file();
        return new OutputChange(next, info.egressId(), info.startedAt(), endedAt,
                file == null ? null : file.location(), file == null ? null : file.size(),
                file == null ? null : file.duration().toMillis(), reason,
                new RecordingFailed(id(current), session(current), info.egressId(), current.format(), reason,
                        info.status().name(), endedAt));
    }

    private static String reason(OutputState current, EgressInfo info, OutputStatus next) {
        if (current.failureReason() != null) {
            return current.failureReason();
        }
        String error = info.error() == null || info.error().isBlank() ? null : info.error();
        return switch (next) {
            case ABORTED -> error != null ? error : "the egress was stopped before it started recording"
                    + (current.stopReason() == null ? "" : " (" + current.stopReason() + ")");
            case LIMIT_REACHED -> "the egress reached LiveKit's duration limit" + (error == null ? "" : ": " + error);
            default -> error != null ? error : "LiveKit reports the egress failed without an error message";
        };
    }

    private static Instant ended(EgressInfo info, Instant now) {
        return info.endedAt() != null ? info.endedAt() : now;
    }

    private static Instant first(Instant a, Instant b, Instant fallback) {
        return a != null ? a : b != null ? b : fallback;
    }

    private static String id(OutputState state) {
        return state.recordingId().toString();
    }

    private static String session(OutputState state) {
        return state.sessionId().toString();
    }
}
