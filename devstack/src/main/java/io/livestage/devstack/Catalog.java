package io.livestage.devstack;

import java.util.List;
import java.util.Locale;

import io.livestage.events.Topics;

/**
 * What the local stack runs. Adding a service or a topic is one line here (ports and database names follow
 * docs/adr/0001-foundation-decisions.md).
 */
public final class Catalog {

    /**
     * A Quarkus service started from {@code <module>/target/quarkus-app/quarkus-run.jar}; {@code database} is null for
     * a service without one (the gateway); {@code tryPath} (or null) is
     * the authenticated GET the start-up summary shows as a curl example. Every service learns the others' base URLs
     * as {@code <NAME>_URL}, e.g. {@code SESSION_SERVICE_URL}.
     */
    public record ServiceSpec(String name, String module, int defaultPort, String database, String tryPath) {

        /** {@code session-service} -> {@code LIVESTAGE_SESSION_SERVICE_PORT}. */
        public String portEnvVar() {
            return "LIVESTAGE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
        }

        /** {@code session-service} -> {@code SESSION_SERVICE_URL}, how other services find this one. */
        public String urlEnvVar() {
            return name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
        }
    }

    /** A Kafka topic created (if missing) when the broker is up. */
    public record TopicSpec(String name, int partitions) {
    }

    /** Services, in start order. One database per service. */
    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("session-service", "session-service", 8081, "livestage_session", "/api/sessions?host=me"),
            new ServiceSpec("token-service", "token-service", 8082, "livestage_token", null),
            new ServiceSpec("chat-service", "chat-service", 8083, "livestage_chat", null),
            new ServiceSpec("transcription-service", "transcription-service", 8084, "livestage_transcription", null),
            new ServiceSpec("recording-service", "recording-service", 8085, "livestage_recording", null),
            new ServiceSpec("analytics-service", "analytics-service", 8086, "livestage_analytics", "/api/me/analytics"),
            // the edge in front of them (ADR 0001: 8080); no database, started last (its readiness includes the services')
            new ServiceSpec("gateway", "gateway", 8080, null, "/api/sessions?host=me")
    );

    /** The aggregate topics and chat's presence topic, named and sized by the event catalogue ({@link Topics}). */
    public static final List<TopicSpec> TOPICS = Topics.ALL.stream()
            .map(name -> new TopicSpec(name, Topics.PARTITIONS))
            .toList();

    /** The gateway: the stack's one entry point, started once whatever {@code --replicas} says. */
    public static boolean isEdge(ServiceSpec spec) {
        return spec.name().equals("gateway");
    }

    private Catalog() {
    }
}
