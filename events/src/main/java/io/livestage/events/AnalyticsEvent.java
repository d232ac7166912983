package io.livestage.events;

import io.livestage.events.analytics.SessionStatsRecorded;

/** The data of an event on {@link Topics#ANALYTICS}. */
public sealed interface AnalyticsEvent permits SessionStatsRecorded {
}
