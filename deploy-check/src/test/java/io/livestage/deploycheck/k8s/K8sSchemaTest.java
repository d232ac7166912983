package io.livestage.deploycheck.k8s;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered object against its schema, strictly (k8s/validate-schemas.mjs): Kubernetes and KEDA kinds with the
 * schemas of kubernetes-models 5.1.0 and @kubernetes-models/keda 2.0.0, Strimzi/CloudNativePG/Barman kinds with the
 * committed minimal schemas k8s/schemas/*.schema.json. Unknown fields are errors.
 */
class K8sSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectMatchesItsSchema(String overlay) {
        K8s.Result result = K8s.validateSchemas(K8s.render(overlay), overlay);
        assertThat(result.exitCode()).as("k8s/overlays/%s against the schemas:\n%s", overlay, result.output()).isZero();
        assertThat(result.output()).contains("validated " + K8s.render(overlay).size() + " object(s) strictly");
    }

    /** The validator itself: each kind of mistake is reported with the object and the field. */
    @Test
    void rejectsUnknownFieldsWrongTypesAndUnknownKinds() {
        List<ObjectNode> objects = K8s.copy("prod");
        at(objects, "Deployment", "gateway", "/spec/template/spec/containers/0").put("imagee", "x");
        at(objects, "Service", "chat-service", "/spec/ports/0").put("port", "eighty");
        at(objects, "ScaledObject", "analytics-service", "/spec").put("maxReplicaCont", 3);
        at(objects, "NetworkPolicy", "gateway", "/spec").put("policyTypes", "Ingress");
        at(objects, "KafkaTopic", "livestage.chat", "/spec").put("partitons", 6);
        at(objects, "Cluster", "livestage-pg", "/spec").put("instances", "3");
        at(objects, "ObjectStore", "livestage-backups", "/spec/configuration").put("destinationPath", "ftp://x");
        ObjectNode unknown = K8s.JSON.createObjectNode().put("apiVersion", "example.com/v1").put("kind", "Widget");
        unknown.putObject("metadata").put("name", "w");
        objects.add(unknown);

        K8s.Result result = K8s.validateSchemas(objects, "broken");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains(
                "Deployment/gateway: /spec/template/spec/containers/0/imagee: unknown field",
                "Service/chat-service: /spec/ports/0/port:",
                "ScaledObject/analytics-service: /spec/maxReplicaCont: unknown field",
                "NetworkPolicy/gateway: /spec/policyTypes: type",
                "KafkaTopic/livestage.chat: /spec/partitons: unknown field",
                "Cluster/livestage-pg: /spec/instances: expected integer",
                "ObjectStore/livestage-backups: /spec/configuration/destinationPath: \"ftp://x\" does not match",
                "Widget/w: no schema for example.com/v1 Widget");
    }

    /** The object node at pointer inside kind/name, to change it. */
    static ObjectNode at(List<ObjectNode> objects, String kind, String name, String pointer) {
        ObjectNode object = K8s.find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
        return (ObjectNode) object.at(pointer);
    }
}
