package io.livestage.platform.livekit;

/** A LiveKit server API call that did not succeed within the retry policy ({@link #isTransient()}) or was refused. */
public class LiveKitCallFailed extends Exception {
    private final boolean transientFailure;

    public LiveKitCallFailed(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** True when LiveKit was unreachable or overloaded: worth another attempt later; false for a refusal. */
    public boolean isTransient() {
        return transientFailure;
    }
}
