package io.livestage.analytics.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import org.jboss.logging.Logger;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.events.analytics.SessionStats;

/**
 * Server-sent statistics: one poller per subscribed session and instance (every {@code live-poll}), shared by its
 * subscribers; each subscriber gets the current statistics at once and then every change.
 */
@ApplicationScoped
public class LiveStatsHub {
    private static final Logger LOG = Logger.getLogger(LiveStatsHub.class);

    private final SessionAnalytics analytics;
    private final AnalyticsConfig config;
    private final Map<String, Multi<SessionStats>> polls = new ConcurrentHashMap<>();

    public LiveStatsHub(SessionAnalytics analytics, AnalyticsConfig config) {
        this.analytics = analytics;
        this.config = config;
    }

    public Multi<SessionStats> subscribe(String sessionId) {
        return polls.computeIfAbsent(sessionId, this::poll).skip().repetitions();
    }

    /** How many sessions this instance polls for subscribers now. */
    public int polledSessions() {
        return polls.size();
    }

    private Multi<SessionStats> poll(String sessionId) {
        Multi<SessionStats>[] self = new Multi[1];
        self[0] = Multi.createFrom().ticks().every(config.livePoll())
                .onOverflow().drop()
                // a session without statistics (yet) maps to null, which emits nothing
                .onItem().transformToUniAndConcatenate(tick -> analytics.answer(sessionId)
                        .map(answer -> answer.map(SessionAnswer::stats).orElse(null))
                        .onFailure().recoverWithItem(failure -> {
                            LOG.debugf("Statistics of session %s not available now: %s", sessionId, failure.toString());
                            return null;
                        }))
                .onCancellation().invoke(() -> polls.remove(sessionId, self[0]))
                .broadcast().withCancellationAfterLastSubscriberDeparture().toAllSubscribers();
        return self[0];
    }
}
