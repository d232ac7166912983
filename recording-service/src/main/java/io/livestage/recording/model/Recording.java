package io.livestage.recording.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.livestage.events.recording.RecordingTrigger;

/**
 * A recording of a session: one start/stop span, an output per format and, with the session's {@code speakerTracks},
 * a track per speaker microphone. Its state follows the composite outputs; tracks come and go with the speakers.
 */
public record Recording(UUID id, UUID sessionId, RecordingTrigger trigger, String requestedBy, Instant requestedAt,
        Instant stopRequestedAt, String stopReason, List<Output> outputs, List<Track> tracks) {

    /** A recording without speaker tracks. */
    public Recording(UUID id, UUID sessionId, RecordingTrigger trigger, String requestedBy, Instant requestedAt,
            Instant stopRequestedAt, String stopReason, List<Output> outputs) {
        this(id, sessionId, trigger, requestedBy, requestedAt, stopRequestedAt, stopReason, outputs, List.of());
    }

    /** What a client sees of the recording as a whole (its composite outputs; speaker tracks do not count). */
    public enum State {
        /** No output has reached LiveKit's ACTIVE yet. */
        STARTING,
        RECORDING,
        /** A stop was requested; outputs are still ending. */
        STOPPING,
        /** Every output has ended (completed or failed). */
        ENDED
    }

    public State state() {
        if (outputs.stream().allMatch(o -> o.status().terminal())) {
            return State.ENDED;
        }
        if (stopRequestedAt != null) {
            return State.STOPPING;
        }
        return outputs.stream().anyMatch(o -> o.status().rank() >= OutputStatus.ACTIVE.rank())
                ? State.RECORDING : State.STARTING;
    }

    /** Not ended and not asked to stop: a second recording of the session would conflict with this one. */
    public boolean live() {
        State state = state();
        return state == State.STARTING || state == State.RECORDING;
    }
}
