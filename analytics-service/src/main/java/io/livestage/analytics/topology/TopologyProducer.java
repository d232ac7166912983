package io.livestage.analytics.topology;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.Topology;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.analytics.service.FinalStatsRecorder;

/** The topology quarkus-kafka-streams runs (application id, exactly-once and the rest: application.properties). */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    public Topology topology(AnalyticsConfig config, FinalStatsRecorder recorder, MeterRegistry registry) {
        return AnalyticsTopology.topology(config.settings(), recorder,
                type -> registry.counter("livestage.analytics.events", "type", type == null ? "skipped" : type)
                        .increment());
    }
}
