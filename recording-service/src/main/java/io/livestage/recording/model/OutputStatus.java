package io.livestage.recording.model;

import io.livestage.events.livekit.EgressInfo;

/**
 * The state of one recording output: PENDING until LiveKit accepts its egress, then LiveKit's egress statuses. A
 * status only moves forward ({@link #rank()}); the last four never change.
 */
public enum OutputStatus {
    PENDING(0),
    STARTING(1),
    ACTIVE(2),
    ENDING(3),
    COMPLETE(4),
    FAILED(4),
    ABORTED(4),
    LIMIT_REACHED(4);

    private final int rank;

    OutputStatus(int rank) {
        this.rank = rank;
    }

    /** Order of the lifecycle: a change to a status of the same or a lower rank is stale. */
    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return rank == COMPLETE.rank;
    }

    /** Still to be recorded or being recorded: a recording with such an output is live. */
    public boolean live() {
        return !terminal();
    }

    public static OutputStatus of(EgressInfo.Status status) {
        return switch (status) {
            case EGRESS_STARTING -> STARTING;
            case EGRESS_ACTIVE -> ACTIVE;
            case EGRESS_ENDING -> ENDING;
            case EGRESS_COMPLETE -> COMPLETE;
            case EGRESS_FAILED -> FAILED;
            case EGRESS_ABORTED -> ABORTED;
            case EGRESS_LIMIT_REACHED -> LIMIT_REACHED;
        };
    }
}
