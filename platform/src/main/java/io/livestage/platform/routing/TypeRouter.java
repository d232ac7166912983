package io.livestage.platform.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.jboss.logging.Logger;

import io.livestage.events.TypeTopics;
import io.livestage.platform.kafka.TopicProvisioner;

/**
 * Runs the {@link TypeRouting} topology for the aggregate topics this service owns ({@code livestage.type-router.topics}),
 * exactly-once (Kafka Streams {@code exactly_once_v2}). Every replica of the service joins the same application id, so
 * the partitions are split between them and a replica that dies hands its partitions (and its store, from the
 * changelog) to the others.
 */
@ApplicationScoped
public class TypeRouter {
    private static final Logger LOG = Logger.getLogger(TypeRouter.class);
    private static final Duration PROVISION_TIMEOUT = Duration.ofSeconds(10);

    private final TypeRouterConfig config;
    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry registry;
    private volatile KafkaStreams streams;
    private volatile Thread starter;
    private volatile String lastError;
    private volatile boolean stopping;
    private Path stateDir;

    public TypeRouter(TypeRouterConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry registry) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        if (isEnabled()) {
            starter = Thread.ofPlatform().name("type-router-start").daemon().start(this::provisionAndStart);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public boolean isEnabled() {
        return config.topics().map(t -> !t.isEmpty()).orElse(false);
    }

    /** Aggregate topics routed by this service. */
    public List<String> aggregateTopics() {
        return config.topics().orElse(List.of());
    }

    /** Kafka Streams' state, or {@code STARTING} while the topics are being created. */
    public String state() {
        KafkaStreams current = streams;
        return current == null ? "STARTING" : current.state().name();
    }

    public boolean isHealthy() {
        KafkaStreams current = streams;
        if (current == null) {
            return lastError == null;
        }
        KafkaStreams.State state = current.state();
        return state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED;
    }

    public String lastError() {
        return lastError;
    }

    /** The application id every replica of this service shares (one per set of aggregate topics). */
    public String applicationId() {
        return "livestage-type-router-" + String.join("-", aggregateTopics());
    }

    private void provisionAndStart() {
        List<String> topics = new ArrayList<>(aggregateTopics());
        aggregateTopics().forEach(topic -> topics.addAll(TypeTopics.routedFrom(topic)));
        long pause = 200;
        while (!stopping) {
            try {
                List<String> created = TopicProvisioner.ensure(kafkaConfig, topics, PROVISION_TIMEOUT);
                if (!created.isEmpty()) {
                    LOG.infof("Created topics %s", created);
                }
                lastError = null;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                lastError = "topics not created: " + e;
                LOG.warnf("Type router: could not create its topics (%s); retrying in %d ms", e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = Math.min(pause * 2, 10_000);
            }
        }
        synchronized (this) {
            if (stopping) {
                return;
            }
            KafkaStreams created = new KafkaStreams(TypeRouting.topology(aggregateTopics(), config.dedupeRetention(),
                    this::count), streamsConfig());
            created.setUncaughtExceptionHandler(e -> {
                lastError = e.toString();
                LOG.errorf("Type router thread failed, replacing it: %s", e.toString());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            created.start();
            streams = created;
            LOG.infof("Type router %s routes %s to their type topics", applicationId(), aggregateTopics());
        }
    }

    private void count(TypeRouting.Outcome outcome, String type) {
        registry.counter("livestage.type.router.events", "outcome", outcome.name().toLowerCase(), "type", type)
                .increment();
    }

    private Properties streamsConfig() {
        Properties props = new Properties();
        Map<String, Object> shared = new HashMap<>(kafkaConfig);
        shared.keySet().retainAll(List.of("bootstrap.servers", "security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password", "ssl.keystore.location",
                "ssl.keystore.password"));
        props.putAll(shared);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1); // the broker's default
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }

    /** In-memory store, but Kafka Streams still locks a directory per task: one private one per process. */
    private Path stateDir() {
        try {
            stateDir = Files.createTempDirectory("livestage-type-router-");
            return stateDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        stopping = true;
        Thread current = starter;
        if (current != null) {
            current.interrupt();
        }
        KafkaStreams running = streams;
        streams = null;
        if (running != null) {
            running.close(Duration.ofSeconds(10));
        }
        if (stateDir != null) {
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.debugf("Type router state directory %s not deleted: %s", stateDir, e.toString());
            }
        }
    }
}
