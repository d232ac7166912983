package io.livestage.session;

import java.time.Duration;
import java.time.Instant;

/** A waiting period after LiveKit reports something gone, during which a rejoin undoes it. */
public record Grace(Duration length) {

    /** True once {@code since} lies at least the whole grace before {@code now}; never while nothing is pending. */
    public boolean expired(Instant since, Instant now) {
        return since != null && !now.isBefore(since.plus(length));
    }

    /** Anything pending since before this instant has expired at {@code now}. */
    public Instant cutoff(Instant now) {
        return now.minus(length);
    }
}
