package io.livestage.deploycheck.k8s;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LiveKit's Helm values (k8s/helm/*.yaml; helm is not installed here, so the values are checked, not rendered) agree
 * with the manifests, and the egress post-renderer mounts the recordings volume where recording-service reads it.
 */
class K8sHelmTest {

    private static final String NS = "livestage.svc.cluster.local";

    @Test
    void postRendererMountsTheRecordingsVolumeOfRecordingService() throws Exception {
        String chart = new String(K8sHelmTest.class.getResourceAsStream("/k8s/egress-chart.yaml").readAllBytes());
        K8s.Result result = K8s.run(K8s.root(), List.of("sh", "k8s/helm/egress-post-renderer/post-render.sh"), chart);
        assertThat(result.exitCode()).as(result.output()).isZero();
        ObjectNode egress = K8s.find(K8s.parseYaml(result.output()), "Deployment", "livekit-egress").orElseThrow();
        List<ObjectNode> objects = K8s.render("prod");
        String claim = K8s.all(objects, "PersistentVolumeClaim").getFirst().path("metadata").path("name").asText();
        assertThat(K8s.all(objects, "PersistentVolumeClaim").getFirst().at("/spec/accessModes").toString()).contains("ReadWriteMany");
        String directory = K8s.find(objects, "ConfigMap", "recording-service-env").orElseThrow()
                .at("/data/LIVESTAGE_RECORDING_DIRECTORY").asText();
        assertThat(mountOf(egress, claim)).as("egress mounts %s", claim).isEqualTo(directory);
        assertThat(mountOf(K8s.find(objects, "Deployment", "recording-service").orElseThrow(), claim))
                .as("recording-service mounts %s", claim).isEqualTo(directory);
    }

    @Test
    void livekitServerValuesPointAtTheClusterServices() {
        JsonNode values = K8s.yamlFile("k8s/helm/livekit-server.yaml");
        List<ObjectNode> objects = K8s.render("prod");
        assertThat(values.at("/livekit/redis/address").asText()).isEqualTo(redis(objects));
        String webhookPath = annotationPath("token-service/src/main/java/io/livestage/token/webhook/LiveKitWebhookResource.java");
        assertThat(values.at("/livekit/webhook/urls/0").asText())
                .isEqualTo("http://gateway." + NS + ":" + port(objects, "gateway") + webhookPath);
        assertThat(values.at("/storeKeysInSecret/existingSecret").asText()).isNotEmpty();
        assertThat(K8s.read("k8s/secrets.example")).contains(values.at("/storeKeysInSecret/existingSecret").asText());
        // the Ingress "livekit" routes to the chart's Service port
        JsonNode backend = K8s.find(objects, "Ingress", "livekit").orElseThrow()
                .at("/spec/rules/0/http/paths/0/backend/service");
        assertThat(backend.path("name").asText()).isEqualTo("livekit-server");
        assertThat(backend.at("/port/number").asInt()).isEqualTo(values.at("/loadBalancer/servicePort").asInt());
    }

    @Test
    void egressAndIngressValuesShareTheServerAndRedis() {
        JsonNode server = K8s.yamlFile("k8s/helm/livekit-server.yaml");
        String wsUrl = "ws://livekit-server." + NS + ":" + server.at("/loadBalancer/servicePort").asInt();
        List<ObjectNode> objects = K8s.render("prod");
        for (String chart : List.of("egress", "ingress")) {
            JsonNode values = K8s.yamlFile("k8s/helm/" + chart + ".yaml").path(chart);
            assertThat(values.path("ws_url").asText()).as("%s ws_url", chart).isEqualTo(wsUrl);
            assertThat(values.at("/redis/address").asText()).as("%s redis", chart).isEqualTo(redis(objects));
        }
        assertThat(K8s.yamlFile("k8s/helm/ingress.yaml").at("/ingress/rtmp_port").asInt()).isEqualTo(1935);
    }

    private static String redis(List<ObjectNode> objects) {
        return "redis." + NS + ":" + port(objects, "redis");
    }

    private static int port(List<ObjectNode> objects, String service) {
        return K8s.find(objects, "Service", service).orElseThrow().at("/spec/ports/0/port").asInt();
    }

    private static String annotationPath(String source) {
        Matcher m = Pattern.compile("@Path\\(\"([^\"]+)\"\\)").matcher(K8s.read(source));
        assertThat(m.find()).as("@Path in %s", source).isTrue();
        return m.group(1);
    }

    /** Where the pod's (first) container mounts the volume backed by claim, or null. */
    private static String mountOf(JsonNode deployment, String claim) {
        JsonNode pod = deployment.at("/spec/template/spec");
        for (JsonNode v : pod.path("volumes")) {
            if (claim.equals(v.at("/persistentVolumeClaim/claimName").asText())) {
                for (JsonNode c : pod.path("containers")) {
                    for (JsonNode m : c.path("volumeMounts")) {
                        if (v.path("name").asText().equals(m.path("name").asText())) {
                            return m.path("mountPath").asText();
                        }
                    }
                }
            }
        }
        return null;
    }
}
