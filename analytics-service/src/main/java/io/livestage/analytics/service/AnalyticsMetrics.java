package io.livestage.analytics.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import org.jboss.logging.Logger;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.analytics.repository.StatsRepository;
import io.livestage.analytics.repository.StatsRepository.Recent;

/**
 * Seed 003's Prometheus figures over the sessions ended in the last 24 hours, read from the final statistics every
 * {@code metrics-every} (the same value on every replica: take any, not the sum).
 */
@ApplicationScoped
public class AnalyticsMetrics {
    private static final Logger LOG = Logger.getLogger(AnalyticsMetrics.class);
    static final Duration WINDOW = Duration.ofHours(24);

    private final StatsRepository repository;
    private final Vertx vertx;
    private final Duration every;
    private final AtomicReference<Recent> recent = new AtomicReference<>(new Recent(0, 0, 0, 0, 0, 0));
    private long timer = -1;

    public AnalyticsMetrics(StatsRepository repository, Vertx vertx, MeterRegistry registry, AnalyticsConfig config) {
        this.repository = repository;
        this.vertx = vertx;
        this.every = config.metricsEvery();
        gauge(registry, "livestage.analytics.sessions.ended", "Sessions ended in the last 24 h",
                () -> recent.get().sessions());
        gauge(registry, "livestage.analytics.session.duration.seconds.avg",
                "Average session duration (s), sessions ended in the last 24 h",
                () -> recent.get().averageDurationSeconds());
        gauge(registry, "livestage.analytics.peak.concurrent.viewers.max",
                "Highest peak concurrent viewers of a session ended in the last 24 h",
                () -> recent.get().maxPeakConcurrent());
        gauge(registry, "livestage.analytics.guest.participation.rate",
                "Guests approved onto the stage per unique viewer, sessions ended in the last 24 h",
                () -> recent.get().guestParticipationRate());
        gauge(registry, "livestage.analytics.chat.messages.per.session",
                "Chat messages per session, sessions ended in the last 24 h",
                () -> recent.get().chatMessagesPerSession());
        gauge(registry, "livestage.analytics.reaction.engagement.rate",
                "Reactions per viewer-minute watched, sessions ended in the last 24 h",
                () -> recent.get().reactionEngagementRate());
    }

    private static void gauge(MeterRegistry registry, String name, String description,
            java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    void start(@Observes StartupEvent event) {
        refresh();
        timer = vertx.setPeriodic(every.toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the figures now (also used by tests through the metrics endpoint after a refresh). */
    public void refresh() {
        repository.recent(Instant.now().minus(WINDOW)).subscribe().with(recent::set,
                failure -> LOG.debugf("Analytics gauges not refreshed: %s", failure.toString()));
    }
}
