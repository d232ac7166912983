package io.livestage.analytics.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

import io.livestage.analytics.topology.AnalyticsSettings;

/** {@code livestage.analytics.*} (application.properties explains each; docs/adr/0016-analytics.md why). */
@ConfigMapping(prefix = "livestage.analytics")
public interface AnalyticsConfig {
    Duration viewGrace();

    Duration finalDelay();

    Duration retentionAfterEnd();

    Duration punctuateEvery();

    Duration livePoll();

    String peerSecret();

    /** How often the Prometheus figures are read from the final statistics. */
    Duration metricsEvery();

    default AnalyticsSettings settings() {
        return new AnalyticsSettings(viewGrace(), finalDelay(), retentionAfterEnd(), punctuateEvery());
    }
}
