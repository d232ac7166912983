package io.livestage.deploycheck.k8s;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.events.Topics;

/**
 * The rendered objects of an overlay against the code: one message per disagreement (empty = consistent). Kept apart
 * from the tests so that they can break a rendering on purpose and see the message (K8sConsistencyTest).
 */
final class Consistency {

    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    /** Scaled on Kafka consumer lag (KEDA); every other service on CPU (HPA). docs/operations.md, "Scaling". */
    static final Set<String> EVENT_DRIVEN = Set.of("recording-service", "analytics-service");

    private final List<ObjectNode> objects;
    private final String overlay;
    private final List<String> problems = new ArrayList<>();

    private Consistency(List<ObjectNode> objects, String overlay) {
        this.objects = objects;
        this.overlay = overlay;
    }

    static List<String> check(List<ObjectNode> objects, String overlay) {
        Consistency c = new Consistency(objects, overlay);
        c.services();
        c.topics();
        c.databases();
        c.exposure();
        c.secrets();
        c.keycloak();
        return c.problems;
    }

    private void problem(String message) {
        problems.add("[" + overlay + "] " + message);
    }

    private Optional<ObjectNode> find(String kind, String name) {
        return K8s.find(objects, kind, name);
    }

    /** Every name the container's environment gets: env entries and the keys of its envFrom ConfigMaps. */
    private Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText(null);
            if (name == null) {
                continue;
            }
            Optional<ObjectNode> cm = find("ConfigMap", name);
            if (cm.isEmpty()) {
                problem("container " + container.path("name").asText() + ": envFrom ConfigMap " + name + " is not in the rendering");
                continue;
            }
            cm.get().path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : "<from " + e.path("valueFrom") + ">");
        }
        return env;
    }

    private void services() {
        Map<String, Integer> adr = CodeFacts.adrPorts();
        String bootstrap = kafkaBootstrap();
        for (ServiceSpec spec : CodeFacts.services()) {
            String name = spec.name();
            int port = spec.defaultPort();
            Integer adrPort = adr.get(name);
            if (adrPort == null || adrPort != port || CodeFacts.httpPort(spec.module()) != port) {
                problem(name + ": port " + port + " (Catalog) vs ADR 0001 " + adrPort + " vs quarkus.http.port "
                        + CodeFacts.httpPort(spec.module()));
            }
            Optional<ObjectNode> deployment = find("Deployment", name);
            if (deployment.isEmpty()) {
                problem(name + ": no Deployment");
                continue;
            }
            JsonNode pod = deployment.get().path("spec").path("template").path("spec");
            JsonNode container = null;
            for (JsonNode c : pod.path("containers")) {
                if (name.equals(c.path("name").asText())) {
                    container = c;
                }
            }
            if (container == null) {
                problem(name + ": no container named " + name);
                continue;
            }
            String image = container.path("image").asText();
            if (!image.matches("livestage/" + Pattern.quote(name) + ":[A-Za-z0-9._-]+")) {
                problem(name + ": image " + image + " is not livestage/" + name + ":<version>");
            }
            int containerPort = -1;
            for (JsonNode p : container.path("ports")) {
                if ("http".equals(p.path("name").asText())) {
                    containerPort = p.path("containerPort").asInt();
                }
            }
            if (containerPort != port) {
                problem(name + ": container port http " + containerPort + ", ADR 0001 says " + port);
            }
            probe(name, container, "livenessProbe", LIVE);
            probe(name, container, "readinessProbe", READY);
            probe(name, container, "startupProbe", LIVE);
            JsonNode podSec = pod.path("securityContext");
            JsonNode sec = container.path("securityContext");
            if (!(sec.path("runAsNonRoot").asBoolean(false) || podSec.path("runAsNonRoot").asBoolean(false))) {
                problem(name + ": not runAsNonRoot");
            }
            if (!sec.path("readOnlyRootFilesystem").asBoolean(false)) {
                problem(name + ": root filesystem not read-only");
            }
            if (sec.path("allowPrivilegeEscalation").asBoolean(true)) {
                problem(name + ": allowPrivilegeEscalation is not false");
            }
            tmpIsEmptyDir(name, pod, container);
            JsonNode resources = container.path("resources");
            if (resources.path("requests").path("cpu").isMissingNode() || resources.path("requests").path("memory").isMissingNode()
                    || resources.path("limits").path("memory").isMissingNode()) {
                problem(name + ": resources need requests.cpu, requests.memory and limits.memory");
            }
            Map<String, String> env = environment(container);
            CodeFacts.requiredEnv(spec.module()).forEach((var, why) -> {
                if (!env.containsKey(var)) {
                    problem(name + ": environment lacks " + var + " (" + why + ")");
                }
            });
            if (!bootstrap.equals(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
                problem(name + ": KAFKA_BOOTSTRAP_SERVERS " + env.get("KAFKA_BOOTSTRAP_SERVERS") + ", Strimzi's is " + bootstrap);
            }
            for (ServiceSpec other : CodeFacts.services()) {
                String url = env.get(other.urlEnvVar());
                String expected = "http://" + other.name() + ":" + other.defaultPort();
                if (url != null && !url.equals(expected)) {
                    problem(name + ": " + other.urlEnvVar() + "=" + url + ", the Service is " + expected);
                }
            }
            if (spec.database() != null) {
                String jdbc = env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "");
                String reactive = env.getOrDefault("QUARKUS_DATASOURCE_REACTIVE_URL", "");
                if (!jdbc.matches("jdbc:postgresql://[a-z0-9-]+-rw:5432/" + spec.database())
                        || !reactive.matches("postgresql://[a-z0-9-]+-rw:5432/" + spec.database())) {
                    problem(name + ": datasource URLs " + jdbc + " / " + reactive + " are not the primary's database "
                            + spec.database() + " (Catalog)");
                }
            }
            service(name, port);
            pdb(name);
            networkPolicy(name);
            scaling(spec, deployment.get());
        }
    }

    private void probe(String name, JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        if (!path.equals(get.path("path").asText()) || !"http".equals(get.path("port").asText())) {
            problem(name + ": " + probe + " is " + get + ", expected GET " + path + " on port http");
        }
    }

    private void tmpIsEmptyDir(String name, JsonNode pod, JsonNode container) {
        String volume = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if ("/tmp".equals(m.path("mountPath").asText())) {
                volume = m.path("name").asText();
            }
        }
        boolean ok = false;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume) && v.has("emptyDir")) {
                ok = true;
            }
        }
        if (!ok) {
            problem(name + ": /tmp is not an emptyDir volume (the root filesystem is read-only)");
        }
    }

    private void service(String name, int port) {
        Optional<ObjectNode> svc = find("Service", name);
        if (svc.isEmpty()) {
            problem(name + ": no Service");
            return;
        }
        JsonNode spec = svc.get().path("spec");
        boolean ok = false;
        for (JsonNode p : spec.path("ports")) {
            if (p.path("port").asInt() == port && "http".equals(p.path("targetPort").asText())) {
                ok = true;
            }
        }
        if (!ok) {
            problem(name + ": Service has no port " + port + " -> http");
        }
        if (!name.equals(spec.path("selector").path("app.kubernetes.io/name").asText())) {
            problem(name + ": Service selector " + spec.path("selector") + " does not select the Deployment's pods");
        }
    }

    private void pdb(String name) {
        Optional<ObjectNode> pdb = find("PodDisruptionBudget", name);
        if (pdb.isEmpty() || !name.equals(pdb.get().path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText())) {
            problem(name + ": no PodDisruptionBudget selecting it");
        }
    }

    private void networkPolicy(String name) {
        boolean selected = K8s.all(objects, "NetworkPolicy").stream().anyMatch(np ->
                name.equals(np.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                        && np.path("spec").path("policyTypes").toString().contains("Ingress"));
        if (!selected) {
            problem(name + ": no NetworkPolicy of its own for its ingress");
        }
    }

    private void scaling(ServiceSpec spec, ObjectNode deployment) {
        String name = spec.name();
        Optional<ObjectNode> hpa = find("HorizontalPodAutoscaler", name);
        Optional<ObjectNode> scaled = find("ScaledObject", name);
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        if ("dev".equals(overlay)) {
            if (replicas != 1 || hpa.isPresent() || scaled.isPresent()) {
                problem(name + ": dev runs one replica without autoscaling (replicas " + replicas + ")");
            }
            return;
        }
        if (replicas < 2) {
            problem(name + ": " + replicas + " replica(s); prod needs at least 2");
        }
        if (EVENT_DRIVEN.contains(name)) {
            if (hpa.isPresent() || scaled.isEmpty()) {
                problem(name + ": event-driven, scaled by a KEDA ScaledObject on consumer lag (and no HPA)");
                return;
            }
            keda(spec, scaled.get());
        } else {
            if (scaled.isPresent() || hpa.isEmpty()) {
                problem(name + ": request-driven, scaled by an HPA on CPU (and no ScaledObject)");
                return;
            }
            JsonNode s = hpa.get().path("spec");
            if (!name.equals(s.path("scaleTargetRef").path("name").asText()) || !"Deployment".equals(s.path("scaleTargetRef").path("kind").asText())
                    || !s.path("metrics").toString().contains("\"name\":\"cpu\"")) {
                problem(name + ": the HPA does not scale Deployment " + name + " on CPU");
            }
            if (s.path("minReplicas").asInt(1) < 2) {
                problem(name + ": HPA minReplicas < 2");
            }
        }
    }

    private void keda(ServiceSpec spec, ObjectNode scaled) {
        String name = spec.name();
        JsonNode s = scaled.path("spec");
        if (!name.equals(s.path("scaleTargetRef").path("name").asText())) {
            problem(name + ": ScaledObject targets " + s.path("scaleTargetRef").path("name").asText());
        }
        if (s.path("minReplicaCount").asInt(0) < 2) {
            problem(name + ": ScaledObject minReplicaCount < 2");
        }
        Map<String, Set<String>> groups = CodeFacts.consumerGroups(spec.module());
        Set<String> covered = new HashSet<>();
        int max = s.path("maxReplicaCount").asInt(100);
        for (JsonNode trigger : s.path("triggers")) {
            if (!"kafka".equals(trigger.path("type").asText())) {
                continue;
            }
            JsonNode md = trigger.path("metadata");
            String group = md.path("consumerGroup").asText();
            String topic = md.path("topic").asText();
            if (!groups.containsKey(group)) {
                problem(name + ": KEDA trigger's consumerGroup " + group + " is none of the service's " + groups.keySet());
            } else if (!groups.get(group).contains(topic)) {
                problem(name + ": consumer group " + group + " does not read " + topic + " (it reads " + groups.get(group) + ")");
            }
            covered.add(group + " " + topic);
            if (!kafkaBootstrap().equals(md.path("bootstrapServers").asText())) {
                problem(name + ": KEDA trigger's bootstrapServers " + md.path("bootstrapServers").asText() + " is not " + kafkaBootstrap());
            }
            int partitions = partitionsOf(topic);
            if (max > partitions && !md.path("allowIdleConsumers").asText("false").equals("true")) {
                problem(name + ": maxReplicaCount " + max + " exceeds the " + partitions + " partitions of " + topic
                        + " (replicas beyond them sit idle)");
            }
            Set<String> known = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
                    "offsetResetPolicy", "allowIdleConsumers", "limitToPartitionsWithLag", "scaleToZeroOnInvalidOffset",
                    "excludePersistentLag", "partitionLimitation", "sasl", "tls");
            md.fieldNames().forEachRemaining(k -> {
                if (!known.contains(k)) {
                    problem(name + ": KEDA kafka trigger metadata " + k + " is not a kafka scaler parameter");
                }
            });
        }
        groups.forEach((group, topics) -> topics.forEach(topic -> {
            if (!covered.contains(group + " " + topic)) {
                problem(name + ": no KEDA trigger for the lag of consumer group " + group + " on " + topic);
            }
        }));
    }

    private int partitionsOf(String topic) {
        return K8s.all(objects, "KafkaTopic").stream()
                .filter(t -> topic.equals(t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText())))
                .mapToInt(t -> t.path("spec").path("partitions").asInt()).findFirst().orElse(0);
    }

    /** {@code <kafka>-kafka-bootstrap:<port of the plain listener>}, Strimzi's bootstrap Service. */
    private String kafkaBootstrap() {
        List<ObjectNode> kafkas = K8s.all(objects, "Kafka");
        if (kafkas.size() != 1) {
            return "<" + kafkas.size() + " Kafka clusters>";
        }
        ObjectNode kafka = kafkas.getFirst();
        for (JsonNode l : kafka.path("spec").path("kafka").path("listeners")) {
            if ("internal".equals(l.path("type").asText()) && !l.path("tls").asBoolean()) {
                return kafka.path("metadata").path("name").asText() + "-kafka-bootstrap:" + l.path("port").asInt();
            }
        }
        return "<no plain internal listener>";
    }

    private void topics() {
        Map<String, ObjectNode> declared = new TreeMap<>();
        for (ObjectNode t : K8s.all(objects, "KafkaTopic")) {
            declared.put(t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText()), t);
        }
        if (!declared.keySet().equals(new TreeSet<>(Topics.ALL))) {
            problem("KafkaTopics " + declared.keySet() + " are not io.livestage.events.Topics.ALL " + new TreeSet<>(Topics.ALL));
        }
        String cluster = K8s.all(objects, "Kafka").stream().map(k -> k.path("metadata").path("name").asText()).findFirst().orElse("");
        int brokers = 0;
        for (ObjectNode pool : K8s.all(objects, "KafkaNodePool")) {
            if (!cluster.equals(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                problem(K8s.id(pool) + ": not labelled strimzi.io/cluster=" + cluster);
            }
            if (pool.path("spec").path("roles").toString().contains("broker")) {
                brokers += pool.path("spec").path("replicas").asInt();
            }
        }
        int min = "prod".equals(overlay) ? 3 : 1;
        for (ObjectNode pool : K8s.all(objects, "KafkaNodePool")) {
            JsonNode roles = pool.path("spec").path("roles");
            if (roles.toString().contains("controller") && pool.path("spec").path("replicas").asInt() < min) {
                problem(K8s.id(pool) + ": " + overlay + " needs at least " + min + " KRaft controller(s)");
            }
        }
        for (Map.Entry<String, ObjectNode> e : declared.entrySet()) {
            JsonNode spec = e.getValue().path("spec");
            if (spec.path("partitions").asInt() != Topics.PARTITIONS) {
                problem("KafkaTopic " + e.getKey() + ": " + spec.path("partitions").asInt() + " partitions, Topics.PARTITIONS is " + Topics.PARTITIONS);
            }
            if (!cluster.equals(e.getValue().path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                problem("KafkaTopic " + e.getKey() + ": not labelled strimzi.io/cluster=" + cluster);
            }
            int replicas = spec.path("replicas").asInt();
            if (replicas > brokers || replicas < min) {
                problem("KafkaTopic " + e.getKey() + ": " + replicas + " replicas with " + brokers + " broker(s) (" + overlay + " needs " + min + ")");
            }
            int isr = spec.path("config").path("min.insync.replicas").asInt(1);
            if ("prod".equals(overlay) && isr >= replicas) {
                problem("KafkaTopic " + e.getKey() + ": min.insync.replicas " + isr + " leaves no broker to lose");
            }
        }
    }

    private void databases() {
        List<ObjectNode> clusters = K8s.all(objects, "Cluster");
        if (clusters.size() != 1) {
            problem(clusters.size() + " CloudNativePG clusters; one expected");
            return;
        }
        String cluster = clusters.getFirst().path("metadata").path("name").asText();
        Set<String> roles = new TreeSet<>();
        Map<String, String> roleSecrets = new TreeMap<>();
        for (JsonNode r : clusters.getFirst().path("spec").path("managed").path("roles")) {
            roles.add(r.path("name").asText());
            roleSecrets.put(r.path("name").asText(), r.path("passwordSecret").path("name").asText());
        }
        JsonNode initdb = clusters.getFirst().path("spec").path("bootstrap").path("initdb");
        roles.add(initdb.path("owner").asText());
        roleSecrets.put(initdb.path("owner").asText(), initdb.path("secret").path("name").asText());
        Map<String, ObjectNode> dbs = new TreeMap<>();
        for (ObjectNode d : K8s.all(objects, "Database")) {
            dbs.put(d.path("spec").path("name").asText(), d);
            if (!cluster.equals(d.path("spec").path("cluster").path("name").asText())) {
                problem(K8s.id(d) + ": in cluster " + d.path("spec").path("cluster").path("name").asText() + ", not " + cluster);
            }
            if (!roles.contains(d.path("spec").path("owner").asText())) {
                problem(K8s.id(d) + ": owner " + d.path("spec").path("owner").asText() + " is not a role of " + cluster);
            }
        }
        Set<String> expected = new TreeSet<>(List.of("keycloak"));
        for (ServiceSpec spec : CodeFacts.services()) {
            if (spec.database() == null) {
                continue;
            }
            expected.add(spec.database());
            Optional<ObjectNode> deployment = find("Deployment", spec.name());
            if (deployment.isEmpty()) {
                continue;
            }
            // the service logs in as its database's owner, with the password CloudNativePG set for that role
            String owner = dbs.containsKey(spec.database()) ? dbs.get(spec.database()).path("spec").path("owner").asText() : null;
            for (JsonNode c : deployment.get().path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode e : c.path("env")) {
                    if ("QUARKUS_DATASOURCE_PASSWORD".equals(e.path("name").asText())) {
                        String secret = e.path("valueFrom").path("secretKeyRef").path("name").asText();
                        if (owner == null || !secret.equals(roleSecrets.get(owner))) {
                            problem(spec.name() + ": password from Secret " + secret + ", but role " + owner + " of "
                                    + spec.database() + " gets its password from "
                                    + (owner == null ? "nowhere" : roleSecrets.get(owner)));
                        }
                    }
                }
            }
        }
        if (!dbs.keySet().equals(expected)) {
            problem("Databases " + dbs.keySet() + " are not the Catalog's (+ keycloak) " + expected);
        }
        String pg = clusters.getFirst().path("spec").path("instances").asText();
        if ("prod".equals(overlay) && clusters.getFirst().path("spec").path("instances").asInt() < 3) {
            problem("CloudNativePG cluster " + cluster + ": " + pg + " instance(s); prod needs 3");
        }
    }

    /** Only the gateway (and Keycloak's sign-in pages, LiveKit's signalling) are reachable from outside. */
    private void exposure() {
        if (K8s.all(objects, "NetworkPolicy").stream().noneMatch(np -> np.path("spec").path("podSelector").isEmpty()
                && np.path("spec").path("policyTypes").toString().equals("[\"Ingress\"]") && !np.path("spec").has("ingress"))) {
            problem("no default-deny ingress NetworkPolicy (podSelector {} without rules)");
        }
        Map<String, String> outsideAllowed = Map.of(
                "gateway", "any source: the Ingress controller and LiveKit's webhooks from the host network",
                "keycloak", "the Ingress controller's namespace (browsers sign in)",
                "postgres", "the CloudNativePG operator's namespace (instance status)");
        for (ObjectNode np : K8s.all(objects, "NetworkPolicy")) {
            String name = np.path("metadata").path("name").asText();
            for (JsonNode rule : np.path("spec").path("ingress")) {
                boolean outside = !rule.has("from") || rule.path("from").isEmpty();
                for (JsonNode peer : rule.path("from")) {
                    outside |= peer.has("namespaceSelector") || peer.has("ipBlock");
                }
                if (outside && !outsideAllowed.containsKey(name)) {
                    problem("NetworkPolicy " + name + " lets traffic in from outside the namespace: only " + outsideAllowed.keySet() + " may");
                }
            }
        }
        for (ObjectNode svc : K8s.all(objects, "Service")) {
            String type = svc.path("spec").path("type").asText("ClusterIP");
            if (!"ClusterIP".equals(type)) {
                problem(K8s.id(svc) + ": type " + type + "; only the Ingress exposes the platform");
            }
        }
        Set<String> backends = new TreeSet<>();
        for (ObjectNode ing : K8s.all(objects, "Ingress")) {
            if (ing.path("spec").path("tls").isEmpty()) {
                problem(K8s.id(ing) + ": no TLS");
            }
            Set<String> tlsHosts = new HashSet<>();
            for (JsonNode t : ing.path("spec").path("tls")) {
                t.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
            }
            for (JsonNode rule : ing.path("spec").path("rules")) {
                if (!tlsHosts.contains(rule.path("host").asText())) {
                    problem(K8s.id(ing) + ": host " + rule.path("host").asText() + " is not covered by its TLS section");
                }
                for (JsonNode p : rule.path("http").path("paths")) {
                    backends.add(p.path("backend").path("service").path("name").asText());
                }
            }
        }
        if (!Set.of("gateway", "keycloak", "livekit-server").containsAll(backends) || !backends.contains("gateway")) {
            problem("the Ingresses route to " + backends + ": the gateway, Keycloak's sign-in pages and LiveKit only");
        }
    }

    /** No Secret is committed; every Secret referenced is described in k8s/secrets.example. */
    private void secrets() {
        for (ObjectNode s : K8s.all(objects, "Secret")) {
            problem(K8s.id(s) + ": a Secret in the manifests (secrets are created by the operator, k8s/secrets.example)");
        }
        String doc = K8s.read("k8s/secrets.example");
        Set<String> referenced = new TreeSet<>();
        Pattern refs = Pattern.compile("\"(?:secretKeyRef|passwordSecret|secret|accessKeyId|secretAccessKey)\":\\{[^}]*?\"name\":\"([^\"]+)\"");
        for (ObjectNode o : objects) {
            Matcher m = refs.matcher(o.toString());
            while (m.find()) {
                referenced.add(m.group(1));
            }
            for (JsonNode t : o.path("spec").path("tls")) {
                referenced.add(t.path("secretName").asText());
            }
        }
        for (String name : referenced) {
            if (!Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(doc).find()) {
                problem("Secret " + name + " is referenced but not described in k8s/secrets.example");
            }
        }
    }

    private void keycloak() {
        Optional<ObjectNode> kc = find("Deployment", "keycloak");
        Integer adr = CodeFacts.adrPorts().get("Keycloak");
        if (kc.isEmpty()) {
            problem("no Keycloak Deployment");
            return;
        }
        JsonNode c = kc.get().path("spec").path("template").path("spec").path("containers").get(0);
        String port = null;
        for (JsonNode e : c.path("env")) {
            if ("KC_HTTP_PORT".equals(e.path("name").asText())) {
                port = e.path("value").asText();
            }
        }
        if (adr == null || !String.valueOf(adr).equals(port)) {
            problem("Keycloak listens on " + port + ", ADR 0001 says " + adr);
        }
        boolean realm = K8s.all(objects, "ConfigMap").stream().anyMatch(cm ->
                cm.path("metadata").path("name").asText().startsWith("keycloak-realm")
                        && K8s.read("keycloak/livestage-realm.json").equals(cm.path("data").path("livestage-realm.json").asText()));
        if (!realm) {
            problem("no ConfigMap keycloak-realm with keycloak/livestage-realm.json as it is");
        }
        String oidc = find("ConfigMap", "livestage-env").map(cm -> cm.path("data").path("QUARKUS_OIDC_AUTH_SERVER_URL").asText()).orElse("");
        if (!oidc.startsWith("http://keycloak:" + adr + "/") || !oidc.endsWith("/realms/livestage")) {
            problem("QUARKUS_OIDC_AUTH_SERVER_URL " + oidc + " is not Keycloak's Service (port " + adr + "), realm livestage");
        }
    }
}
