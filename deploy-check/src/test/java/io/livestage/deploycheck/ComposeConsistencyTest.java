package io.livestage.deploycheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.livestage.devstack.Catalog;
import io.livestage.devstack.Catalog.ServiceSpec;
import io.livestage.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml agrees with the code: every service of devstack's Catalog runs there with the image of the
 * `images` profile, its ADR 0001 port, its database, every environment variable its configuration requires, and the
 * topics of {@link Topics}.
 */
class ComposeConsistencyTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final ComposeFile COMPOSE = ComposeFile.load();

    static Stream<ServiceSpec> services() {
        return Catalog.SERVICES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void runsWithTheImageOfTheImagesProfile(ServiceSpec spec) {
        String artifactId = artifactId(spec.module());
        assertThat(COMPOSE.service(spec.name()).path("image").asText())
                .isEqualTo("${LIVESTAGE_IMAGE_REPOSITORY:-livestage}/" + artifactId + ":${LIVESTAGE_VERSION:-"
                        + projectVersion() + "}");
    }

    /** The images size the heap as a share of the container's memory (MaxRAMPercentage): without a limit, of the host's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void hasAMemoryLimitItsHeapFollows(ServiceSpec spec) {
        assertThat(COMPOSE.service(spec.name()).path("mem_limit").asText()).matches("\\d+m");
        assertThat(DeployFiles.read("pom.xml")).containsPattern("<images.jvm-options>[^<]*-XX:MaxRAMPercentage=");
        assertThat(COMPOSE.environment(spec.name())).doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void listensOnItsAdrPortAndIsCheckedOnReadiness(ServiceSpec spec) {
        assertThat(adrPorts()).as("docs/adr/0001 port table").containsEntry(spec.name(), spec.defaultPort());
        assertThat(COMPOSE.environment(spec.name())).containsEntry("QUARKUS_HTTP_PORT", Integer.toString(spec.defaultPort()));
        assertThat(COMPOSE.healthcheck(spec.name()))
                .contains("/dev/tcp/127.0.0.1/" + spec.defaultPort())
                .contains("/q/health/ready");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void usesItsOwnDatabase(ServiceSpec spec) {
        Map<String, String> env = COMPOSE.environment(spec.name());
        if (spec.database() == null) {
            assertThat(env).doesNotContainKeys("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL");
            return;
        }
        assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + spec.database());
        assertThat(env.get("QUARKUS_DATASOURCE_REACTIVE_URL")).isEqualTo("postgresql://postgres:5432/" + spec.database());
        assertThat(COMPOSE.dependsOn(spec.name())).containsEntry("postgres", "service_healthy");
    }

    @Test
    void postgresCreatesEveryServiceDatabase() {
        List<String> created = Arrays.asList(COMPOSE.environment("postgres").get("LIVESTAGE_DATABASES").trim().split("\\s+"));
        List<String> catalogue = Catalog.SERVICES.stream().map(ServiceSpec::database).filter(d -> d != null).toList();
        assertThat(created).containsAll(catalogue).doesNotHaveDuplicates();
        assertThat(COMPOSE.volumes("postgres"))
                .contains("./compose/postgres/init-databases.sh:/docker-entrypoint-initdb.d/10-livestage-databases.sh:ro");
        assertThat(DeployFiles.read("compose/postgres/init-databases.sh")).contains("LIVESTAGE_DATABASES").contains("CREATE DATABASE");
    }

    /** Derived from the service's configuration (ServiceConfig#requiredEnvironment), not listed here. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void setsEveryEnvironmentVariableItsConfigurationRequires(ServiceSpec spec) {
        ServiceConfig config = ServiceConfig.of(spec.module());
        Map<String, String> required = config.requiredEnvironment();
        Map<String, String> env = COMPOSE.environment(spec.name());

        // the derivation itself finds what every service needs in a container
        assertThat(required).containsKey("QUARKUS_OIDC_AUTH_SERVER_URL");
        if (spec.database() != null) {
            assertThat(required).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_PASSWORD");
        }

        List<String> problems = new ArrayList<>();
        required.forEach((name, reason) -> {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                problems.add(name + " (" + reason + ")");
            } else if (value.contains("127.0.0.1") || value.contains("localhost") && !name.startsWith("LIVESTAGE_WEB")) {
                problems.add(name + " points at the container itself: " + value);
            } else if (config.forbiddenValues(name).contains(value)) {
                problems.add(name + " is the development default the prod profile refuses");
            }
        });
        assertThat(problems).as("%s in docker-compose.yml", spec.name()).isEmpty();
    }

    /** No typo'd or stale variable: each one set on a service is read by that service's configuration. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void setsOnlyVariablesItsConfigurationReads(ServiceSpec spec) {
        ServiceConfig config = ServiceConfig.of(spec.module());
        Set<String> quarkusStandard = Set.of("QUARKUS_HTTP_PORT", "QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TOKEN_AUDIENCE",
                "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME",
                "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_PROFILE", "JDK_JAVA_OPTIONS");
        List<String> unknown = COMPOSE.environment(spec.name()).keySet().stream()
                .filter(name -> !quarkusStandard.contains(name) && !config.understands(name))
                .toList();
        assertThat(unknown).as("variables %s does not read", spec.name()).isEmpty();
    }

    @Test
    void theGatewayReachesEveryServiceAndWaitsForIt() {
        Map<String, String> env = COMPOSE.environment("gateway");
        Map<String, String> deps = COMPOSE.dependsOn("gateway");
        for (ServiceSpec spec : Catalog.SERVICES) {
            if (spec.name().equals("gateway")) {
                continue;
            }
            assertThat(env).containsEntry(spec.urlEnvVar(), "http://" + spec.name() + ":" + spec.defaultPort());
            assertThat(deps).containsEntry(spec.name(), "service_healthy");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void startsAfterTopicsAndIdentityProvider(ServiceSpec spec) {
        Map<String, String> deps = COMPOSE.dependsOn(spec.name());
        assertThat(deps).containsEntry("keycloak", "service_healthy");
        if (spec.database() != null) {
            assertThat(deps).containsEntry("kafka-topics", "service_completed_successfully");
        }
    }

    @Test
    void createsTheTopicsOfTheEventCatalogue() {
        Map<String, String> env = COMPOSE.environment("kafka-topics");
        assertThat(env.get("LIVESTAGE_TOPICS").split(",")).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(env.get("LIVESTAGE_TOPIC_PARTITIONS")).isEqualTo(Integer.toString(Topics.PARTITIONS));
        assertThat(COMPOSE.environment("kafka").get("KAFKA_NUM_PARTITIONS")).isEqualTo(Integer.toString(Topics.PARTITIONS));
        assertThat(DeployFiles.read("compose/kafka/create-topics.sh")).contains("LIVESTAGE_TOPICS").contains("--if-not-exists");
    }

    @Test
    void kafkaIsTheVersionTheClientsUse() {
        String kafkaVersion = property(DeployFiles.read("pom.xml"), "kafka.version");
        assertThat(COMPOSE.service("kafka").path("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(COMPOSE.service("kafka-topics").path("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
    }

    @Test
    void keycloakImportsTheRealmAndIsTheVersionOfTheLocalStack() {
        String keycloakVersion = property(DeployFiles.read("infra/pom.xml"), "keycloak.version");
        assertThat(COMPOSE.service("keycloak").path("image").asText()).isEqualTo("quay.io/keycloak/keycloak:" + keycloakVersion);
        assertThat(COMPOSE.volumes("keycloak"))
                .contains("./keycloak/livestage-realm.json:/opt/keycloak/data/import/livestage-realm.json:ro");
        assertThat(COMPOSE.service("keycloak").path("command").toString()).contains("--import-realm");
        // the realm's own placeholders are fed
        Matcher placeholders = Pattern.compile("\\$\\{([A-Z_]+):").matcher(DeployFiles.read("keycloak/livestage-realm.json"));
        while (placeholders.find()) {
            assertThat(COMPOSE.environment("keycloak")).containsKey(placeholders.group(1));
        }
    }

    @Test
    void liveKitSendsWebhooksToTheGatewayRouteOfTokenService() {
        String route = DeployFiles.read("gateway/src/main/java/io/livestage/gateway/route/RouteTable.java");
        Matcher m = Pattern.compile("new Route\\(\"livekit-webhooks\", Pattern.compile\\(\"([^\"]+)\"\\), \"token-service\"").matcher(route);
        assertThat(m.find()).as("gateway RouteTable has the livekit-webhooks route").isTrue();
        String config = COMPOSE.environment("livekit").get("LIVEKIT_CONFIG");
        assertThat(config).contains("- http://gateway:8080" + m.group(1));
        assertThat(config).contains("redis:").contains("address: redis:6379").contains("udp_port: 7882")
                .contains("node_ip: ${LIVESTAGE_PUBLIC_HOST");
    }

    @Test
    void egressAndIngressShareLiveKitsKeysAndRedis() {
        for (String worker : List.of("egress", "ingress")) {
            String body = COMPOSE.environment(worker).get(worker.toUpperCase() + "_CONFIG_BODY");
            assertThat(body).as(worker).contains("api_key: ${LIVEKIT_API_KEY}").contains("api_secret: ${LIVEKIT_API_SECRET}")
                    .contains("ws_url: ws://livekit:7880").contains("address: redis:6379");
            assertThat(COMPOSE.dependsOn(worker)).containsEntry("redis", "service_healthy");
        }
        assertThat(COMPOSE.environment("ingress").get("INGRESS_CONFIG_BODY")).contains("rtmp_port: 1935");
        assertThat(COMPOSE.ports("ingress")).anyMatch(p -> p.endsWith(":1935:1935"));
    }

    /** recording-service serves what egress wrote: the same volume at the folder egress reports (ADR 0013). */
    @Test
    void egressAndRecordingServiceShareTheRecordingsVolume() {
        String directory = COMPOSE.environment("recording-service").get("LIVESTAGE_RECORDING_DIRECTORY");
        assertThat(directory).isEqualTo("/out");
        assertThat(COMPOSE.volumes("egress")).contains("recordings:" + directory);
        assertThat(COMPOSE.volumes("recording-service")).contains("recordings:" + directory);
        assertThat(COMPOSE.root().path("volumes").has("recordings")).isTrue();
    }

    @Test
    void everyPublishedPortBindsTheConfiguredInterface() {
        for (String service : COMPOSE.serviceNames()) {
            assertThat(COMPOSE.ports(service)).as(service).allMatch(p -> p.startsWith("${LIVESTAGE_BIND_ADDRESS:-0.0.0.0}:"));
        }
        // only the edge is published: the gateway, Keycloak for browsers, LiveKit's media and RTMP ingest
        Set<String> published = new LinkedHashSet<>();
        COMPOSE.serviceNames().stream().filter(s -> !COMPOSE.ports(s).isEmpty()).forEach(published::add);
        assertThat(published).containsExactlyInAnyOrder("gateway", "keycloak", "livekit", "ingress");
    }

    @Test
    void everyVariableIsDocumentedInEnvExample() {
        Set<String> documented = new LinkedHashSet<>();
        for (String line : DeployFiles.read(".env.example").split("\n")) {
            if (!line.startsWith("#") && line.contains("=")) {
                documented.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(COMPOSE.text());
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).isNotEmpty();
        assertThat(documented).containsAll(used);
    }

    @Test
    void everyBindMountSourceExists() {
        for (String service : COMPOSE.serviceNames()) {
            for (String volume : COMPOSE.volumes(service)) {
                if (volume.startsWith("./")) {
                    DeployFiles.require(volume.substring(2, volume.indexOf(':')));
                }
            }
        }
    }

    @Test
    void everyServiceHasAHealthCheckOrRunsOnce() {
        Map<String, String> missing = new LinkedHashMap<>();
        for (String service : COMPOSE.serviceNames()) {
            boolean oneShot = "no".equals(COMPOSE.service(service).path("restart").asText());
            if (!oneShot && COMPOSE.healthcheck(service).isEmpty()) {
                missing.put(service, "no healthcheck");
            }
        }
        assertThat(missing).isEmpty();
    }

    private static Map<String, Integer> adrPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| ([a-z-]+)(?: \\(later\\))? \\| (\\d+) \\|")
                .matcher(DeployFiles.read("docs/adr/0001-foundation-decisions.md"));
        while (m.find()) {
            ports.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return ports;
    }

    private static String artifactId(String module) {
        String pom = DeployFiles.read(module + "/pom.xml");
        String withoutParent = pom.substring(pom.indexOf("</parent>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String projectVersion() {
        return property(DeployFiles.read("pom.xml").replaceFirst("(?s)^.*?</modelVersion>", ""), "version");
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertThat(m.find()).as("<%s> in pom", name).isTrue();
        return m.group(1);
    }
}
