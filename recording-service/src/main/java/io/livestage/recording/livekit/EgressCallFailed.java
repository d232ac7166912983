package io.livestage.recording.livekit;

/** An Egress call that did not succeed within the retry policy, or that LiveKit refused outright. */
public class EgressCallFailed extends Exception {
    private final boolean transientFailure;

    public EgressCallFailed(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** True when another attempt later may succeed (LiveKit unreachable or overloaded); false for a refusal. */
    public boolean isTransient() {
        return transientFailure;
    }
}
