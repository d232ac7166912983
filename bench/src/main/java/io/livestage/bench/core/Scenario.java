package io.livestage.bench.core;

import java.time.Duration;

/**
 * A benchmark on the core: built from its knobs (reading every one of them in its constructor, so that an unknown
 * argument is refused before anything starts), then run once.
 */
public interface Scenario {
    /** Longest the run may take; the watchdog stops everything after it (exit 3). */
    Duration budget();

    /** Runs the benchmark and returns its filled report. */
    Report run(Run run) throws Exception;
}
