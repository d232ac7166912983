package io.livestage.analytics.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.Topology;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.analytics.service.FinalStatsRecorder;

/** The topology quarkus-kafka-streams runs (application id, exactly-once and the rest: application.properties). */
@ApplicationScoped
public class TopologyProducer {
    private static final String SKIPPED = "skipped";

    @Produces
    public Topology topology(AnalyticsConfig config, FinalStatsRecorder recorder, MeterRegistry registry) {
        // one counter per event type, looked up once: the listener runs for every event
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        return AnalyticsTopology.topology(config.settings(), recorder,
                type -> counters.computeIfAbsent(type == null ? SKIPPED : type, name -> Counter
                        .builder("livestage.analytics.events").description("Events the analytics topology took")
                        .tag("type", name).register(registry)).increment());
    }
}
