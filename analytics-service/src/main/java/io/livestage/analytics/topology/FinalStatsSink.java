package io.livestage.analytics.topology;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.livestage.events.analytics.SessionStats;

/**
 * Where the punctuator hands an ended session's statistics: durably, idempotently (the same statistics twice record
 * nothing new), asynchronously (the stream thread does not wait for the database). A failed stage leaves the session
 * pending; a later punctuation tries again.
 */
@FunctionalInterface
public interface FinalStatsSink {

    /** The final statistics, the session's viewer keys (for exact unique viewers across sessions), its cohosts. */
    record FinalStats(SessionStats stats, Set<String> viewerKeys, List<String> cohosts) {
    }

    CompletionStage<Void> record(FinalStats stats);
}
