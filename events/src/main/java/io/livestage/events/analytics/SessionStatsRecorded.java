package io.livestage.events.analytics;

import io.livestage.events.AnalyticsEvent;

/**
 * {@code analytics.session-stats}: the final statistics of an ended session were recorded (or revised: a late event
 * changed them; keep the highest {@code stats.revision}).
 */
public record SessionStatsRecorded(SessionStats stats) implements AnalyticsEvent {
}
