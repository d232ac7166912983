package io.livestage.deploycheck.k8s;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay renders offline with `kubectl kustomize` into the kinds the platform needs, all in one namespace. */
class K8sRenderTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void rendersEveryKind(String overlay) {
        List<ObjectNode> objects = K8s.render(overlay);
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.path("kind").asText()));
        assertThat(kinds).as("kinds rendered by k8s/overlays/%s", overlay).containsAll(List.of("Namespace", "ConfigMap",
                "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "Ingress", "PersistentVolumeClaim",
                "StatefulSet", "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Database"));
        if (overlay.equals("prod")) {
            assertThat(kinds).contains("HorizontalPodAutoscaler", "ScaledObject", "ScheduledBackup", "ObjectStore");
        }
        for (ObjectNode o : objects) {
            if (!o.path("kind").asText().equals("Namespace")) {
                assertThat(o.path("metadata").path("namespace").asText()).as("namespace of %s", K8s.id(o)).isEqualTo("livestage");
            }
        }
        assertThat(objects.stream().map(K8s::id).distinct().count()).as("no object twice").isEqualTo(objects.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"})
    void kustomizationRenders(String dir) {
        assertThat(K8s.parseYaml(K8s.kustomize(K8s.path(dir)))).isNotEmpty();
    }
}
