package io.livestage.deploycheck.k8s;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.livestage.devstack.Catalog;
import io.livestage.events.Topics;

import static io.livestage.deploycheck.k8s.K8sSchemaTest.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests agree with the code (Consistency): ports (ADR 0001, Catalog, quarkus.http.port), probe paths, the
 * environment each service's configuration needs, topics and partitions (Topics), databases (Catalog), consumer
 * groups and Kafka Streams application ids in the KEDA triggers, exposure, secrets. Each check is also shown to fail
 * on a rendering broken on purpose.
 */
class K8sConsistencyTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void manifestsAgreeWithTheCode(String overlay) {
        assertThat(Consistency.check(K8s.render(overlay), overlay)).as("k8s/overlays/%s vs the code", overlay).isEmpty();
    }

    @Test
    void codeFactsAreRead() {
        // the facts the checks compare with are really there (a parser that finds nothing would pass everything)
        assertThat(CodeFacts.adrPorts()).containsEntry("gateway", 8080).containsEntry("analytics-service", 8086)
                .containsEntry("Keycloak", 8180);
        assertThat(CodeFacts.requiredEnv("recording-service")).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "LIVEKIT_URL",
                "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "LIVESTAGE_STREAM_KEYS", "QUARKUS_DATASOURCE_PASSWORD",
                "QUARKUS_OIDC_AUTH_SERVER_URL");
        assertThat(CodeFacts.requiredEnv("gateway")).containsKeys("SESSION_SERVICE_URL", "LIVESTAGE_REDIS_URL",
                "LIVESTAGE_WEB_ORIGINS").doesNotContainKey("QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(CodeFacts.requiredEnv("analytics-service")).containsKeys("LIVESTAGE_ANALYTICS_PEER_SECRET",
                "LIVESTAGE_ANALYTICS_ADVERTISED_HOST");
        assertThat(CodeFacts.consumerGroups("analytics-service")).containsKey("analytics-service");
        assertThat(CodeFacts.consumerGroups("analytics-service").get("analytics-service"))
                .containsExactlyInAnyOrder(Topics.SESSION, Topics.CHAT);
        assertThat(CodeFacts.consumerGroups("recording-service").get("recording-service"))
                .containsExactlyInAnyOrder(Topics.SESSION, Topics.LIVEKIT, Topics.TRANSCRIPT);
        assertThat(CodeFacts.consumerGroups("transcription-service")).containsOnlyKeys("transcription-service");
        assertThat(Catalog.SERVICES).hasSize(7);
    }

    @Test
    void wrongPortIsReported() {
        assertBroken(o -> at(o, "Deployment", "chat-service", "/spec/template/spec/containers/0/ports/0").put("containerPort", 8080),
                "chat-service: container port http 8080, ADR 0001 says 8083");
        assertBroken(o -> at(o, "Service", "token-service", "/spec/ports/0").put("port", 80),
                "token-service: Service has no port 8082 -> http");
    }

    @Test
    void wrongProbeOrSecurityIsReported() {
        assertBroken(o -> at(o, "Deployment", "gateway", "/spec/template/spec/containers/0/readinessProbe/httpGet").put("path", "/health"),
                "gateway: readinessProbe is");
        assertBroken(o -> at(o, "Deployment", "session-service", "/spec/template/spec/containers/0/securityContext")
                .put("readOnlyRootFilesystem", false), "session-service: root filesystem not read-only");
        assertBroken(o -> at(o, "Deployment", "token-service", "/spec/template/spec/containers/0").put("image", "token-service:latest"),
                "token-service: image token-service:latest is not livestage/token-service:<version>");
    }

    @Test
    void missingEnvironmentIsReported() {
        assertBroken(o -> at(o, "ConfigMap", "livestage-env", "/data").remove("LIVESTAGE_REDIS_URL"),
                "gateway: environment lacks LIVESTAGE_REDIS_URL");
        assertBroken(o -> removeEnv(o, "recording-service", "LIVESTAGE_STREAM_KEYS"),
                "recording-service: environment lacks LIVESTAGE_STREAM_KEYS (livestage.recording.streaming.keys: the prod profile refuses its default)");
        assertBroken(o -> at(o, "ConfigMap", "livestage-env", "/data").put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                "KAFKA_BOOTSTRAP_SERVERS kafka:9092, Strimzi's is livestage-kafka-bootstrap:9092");
        assertBroken(o -> at(o, "ConfigMap", "analytics-service-env", "/data")
                        .put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://livestage-pg-rw:5432/analytics"),
                "analytics-service: datasource URLs jdbc:postgresql://livestage-pg-rw:5432/analytics");
    }

    @Test
    void wrongTopicsAreReported() {
        assertBroken(o -> at(o, "KafkaTopic", "livestage.podcast", "/spec").put("partitions", 3),
                "KafkaTopic livestage.podcast: 3 partitions, Topics.PARTITIONS is 6");
        assertBroken(o -> o.remove(K8s.find(o, "KafkaTopic", "livestage.chat.presence").orElseThrow()),
                "KafkaTopics [livestage.analytics, livestage.chat, livestage.livekit");
        assertBroken(o -> at(o, "KafkaTopic", "livestage.session", "/spec").put("replicas", 1),
                "KafkaTopic livestage.session: 1 replicas with 3 broker(s) (prod needs 3)");
    }

    @Test
    void wrongScalingIsReported() {
        assertBroken(o -> at(o, "ScaledObject", "analytics-service", "/spec/triggers/0/metadata").put("consumerGroup", "analytics"),
                "analytics-service: KEDA trigger's consumerGroup analytics is none of the service's [analytics-service]");
        assertBroken(o -> at(o, "ScaledObject", "recording-service", "/spec").put("maxReplicaCount", 12),
                "recording-service: maxReplicaCount 12 exceeds the 6 partitions of livestage.session");
        assertBroken(o -> ((ArrayNode) at(o, "ScaledObject", "recording-service", "/spec").get("triggers")).remove(2),
                "recording-service: no KEDA trigger for the lag of consumer group recording-service on livestage.transcript");
        assertBroken(o -> at(o, "ScaledObject", "analytics-service", "/spec/triggers/1/metadata").put("lagTreshold", "5"),
                "analytics-service: KEDA kafka trigger metadata lagTreshold is not a kafka scaler parameter");
        assertBroken(o -> o.remove(K8s.find(o, "HorizontalPodAutoscaler", "token-service").orElseThrow()),
                "token-service: request-driven, scaled by an HPA on CPU");
    }

    @Test
    void wrongDatabasesAreReported() {
        assertBroken(o -> at(o, "Database", "livestage-chat", "/spec").put("name", "chat"),
                "Databases [chat, keycloak, livestage_analytics");
        assertBroken(o -> ((ArrayNode) at(o, "Deployment", "token-service", "/spec/template/spec/containers/0").get("env"))
                        .forEach(e -> { if (e.path("name").asText().equals("QUARKUS_DATASOURCE_PASSWORD")) {
                            ((ObjectNode) e.at("/valueFrom/secretKeyRef")).put("name", "livestage-db-session"); } }),
                "token-service: password from Secret livestage-db-session, but role livestage_token");
    }

    @Test
    void exposureAndSecretsAreChecked() {
        assertBroken(o -> at(o, "Service", "analytics-service", "/spec").put("type", "LoadBalancer"),
                "Service/analytics-service: type LoadBalancer; only the Ingress exposes the platform");
        assertBroken(o -> ((ObjectNode) ((ArrayNode) at(o, "NetworkPolicy", "session-service", "/spec").get("ingress")).get(0)).remove("from"),
                "NetworkPolicy session-service lets traffic in from outside the namespace");
        assertBroken(o -> at(o, "Ingress", "livestage", "/spec").remove("tls"), "Ingress/livestage: no TLS");
        assertBroken(o -> removeEnv(o, "chat-service", null), "chat-service: environment lacks QUARKUS_DATASOURCE_PASSWORD");
        assertBroken(o -> {
            ObjectNode secret = K8s.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
            secret.putObject("metadata").put("name", "oops").put("namespace", "livestage");
            o.add(secret);
        }, "Secret/oops: a Secret in the manifests");
        assertBroken(o -> at(o, "Deployment", "transcription-service", "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef")
                .put("name", "not-documented"), "Secret not-documented is referenced but not described in k8s/secrets.example");
    }

    /** Removes env var name (or every env entry when null) from the service's container. */
    private static void removeEnv(List<ObjectNode> objects, String service, String name) {
        ArrayNode env = (ArrayNode) at(objects, "Deployment", service, "/spec/template/spec/containers/0").get("env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (name == null || name.equals(env.get(i).path("name").asText())) {
                env.remove(i);
            }
        }
    }

    private static void assertBroken(Consumer<List<ObjectNode>> breakIt, String expected) {
        List<ObjectNode> objects = K8s.copy("prod");
        assertThat(Consistency.check(objects, "prod")).as("before breaking it").isEmpty();
        breakIt.accept(objects);
        assertThat(Consistency.check(objects, "prod")).as("problems after breaking it")
                .anySatisfy(p -> assertThat(p).contains(expected));
    }
}
