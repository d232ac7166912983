package io.livestage.analytics.topology;

import java.time.Duration;

/**
 * The topology's knobs: the reconnect grace of a view, how long after an ended session's last fact its final
 * statistics are recorded, how long its facts stay after that, how often the punctuator looks.
 */
public record AnalyticsSettings(Duration viewGrace, Duration finalDelay, Duration retentionAfterEnd,
        Duration punctuateEvery) {

    public static AnalyticsSettings defaults() {
        return new AnalyticsSettings(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1),
                Duration.ofSeconds(1));
    }
}
