package io.livestage.analytics.service;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.livestage.analytics.config.AnalyticsConfig;
import io.livestage.analytics.stats.SessionFacts;
import io.livestage.analytics.stats.StatsCalculator;
import io.livestage.analytics.topology.AnalyticsTopology;
import io.livestage.analytics.topology.Fact;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

/**
 * A session's statistics from the Kafka Streams stores (interactive queries): computed here when this instance owns
 * the session's partition, else asked of the instance that does ({@code application.server}, the peer endpoint).
 * Blocking; call it from a worker thread.
 */
@ApplicationScoped
public class LiveStats {
    public static final String PEER_HEADER = "X-Livestage-Peer";
    private static final Logger LOG = Logger.getLogger(LiveStats.class);
    private static final int ATTEMPTS = 20;
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final KafkaStreams streams;
    private final AnalyticsConfig config;
    private final String self;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LiveStats(KafkaStreams streams, AnalyticsConfig config, ObjectMapper json,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") String self) {
        this.streams = streams;
        this.config = config;
        this.json = json;
        this.self = self;
    }

    /** The session's statistics now, or empty when no instance holds facts of it. */
    public Optional<SessionAnswer> find(String sessionId) {
        for (int attempt = 1; ; attempt++) {
            try {
                KeyQueryMetadata owner = owner(sessionId);
                if (owner == null) {
                    throw new InvalidStateStoreException("no owner for the session's partition yet");
                }
                return mine(owner) ? local(sessionId, owner.partition()) : remote(address(owner), sessionId);
            } catch (InvalidStateStoreException e) {
                if (attempt >= ATTEMPTS) {
                    throw new ProblemException(ProblemType.UNAVAILABLE,
                            "Analytics is rebalancing its partitions; try again in a few seconds");
                }
                sleep();
            }
        }
    }

    /** This instance's own answer (the peer endpoint): empty when it does not own the session's partition. */
    public Optional<SessionAnswer> localOnly(String sessionId) {
        KeyQueryMetadata owner = owner(sessionId);
        return mine(owner) ? local(sessionId, owner.partition()) : Optional.empty();
    }

    /** Whether this instance owns the session's partition now. */
    public boolean ownsLocally(String sessionId) {
        return mine(owner(sessionId));
    }

    /** The instance that owns the session's partition now, or null while that is not known. */
    private KeyQueryMetadata owner(String sessionId) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(AnalyticsTopology.FACTS_STORE, sessionId,
                Serdes.String().serializer());
        return owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner) ? null : owner;
    }

    private boolean mine(KeyQueryMetadata owner) {
        return owner != null && self.equals(address(owner));
    }

    private static String address(KeyQueryMetadata owner) {
        return owner.activeHost().host() + ":" + owner.activeHost().port();
    }

    private Optional<SessionAnswer> local(String sessionId, int partition) {
        ReadOnlyKeyValueStore<String, Fact> store = streams.store(StoreQueryParameters
                .fromNameAndType(AnalyticsTopology.FACTS_STORE, QueryableStoreTypes.<String, Fact>keyValueStore())
                .withPartition(partition));
        return SessionFacts.load(store, sessionId).map(facts -> {
            StatsCalculator.Computed computed = StatsCalculator.computeWithViewers(facts, Instant.now(),
                    config.viewGrace(), 0);
            return new SessionAnswer(computed.stats(), computed.cohosts(), false);
        });
    }

    private Optional<SessionAnswer> remote(String host, String sessionId) {
        URI uri = URI.create("http://" + host + "/internal/analytics/sessions/"
                + URLEncoder.encode(sessionId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3))
                .header(PEER_HEADER, config.peerSecret()).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> Optional.of(json.readValue(response.body(), SessionAnswer.class));
                case 404 -> Optional.empty();
                // the peer does not own the partition (any more): the assignment moved, ask again
                case 421 -> throw new InvalidStateStoreException("the partition moved");
                default -> throw new IllegalStateException("HTTP " + response.statusCode());
            };
        } catch (InvalidStateStoreException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            LOG.warnf("Analytics instance %s did not answer for session %s: %s", host, sessionId, e.toString());
            throw new InvalidStateStoreException("instance " + host + " unreachable");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
