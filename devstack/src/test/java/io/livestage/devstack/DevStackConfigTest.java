package io.livestage.devstack;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevStackConfigTest {

    private static final Path ROOT = Path.of("/work/repo");

    @Test
    void defaultsFollowAdr0001() {
        DevStackConfig c = DevStackConfig.fromEnvironment(ROOT, Map.of());

        assertThat(c.stateDir()).isEqualTo(ROOT.resolve(".devstack"));
        assertThat(c.postgresPort()).isEqualTo(15432);
        assertThat(c.embeddedPostgres()).isTrue();
        assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.kafkaControllerPort()).isEqualTo(9093);
        assertThat(c.services()).extracting(Catalog.ServiceSpec::name).containsExactly("session-service", "token-service",
                "chat-service", "transcription-service", "recording-service", "analytics-service", "gateway");
        assertThat(c.portOf(c.services().get(6))).isEqualTo(8080);
        assertThat(c.keycloakEnabled()).isTrue();
        assertThat(c.keycloakPort()).isEqualTo(8180);
        assertThat(c.keycloakIssuer()).isEqualTo("http://localhost:8180/realms/livestage");
        assertThat(c.keycloakRealmFile()).isEqualTo(ROOT.resolve("keycloak/livestage-realm.json"));
        assertThat(c.portOf(c.services().get(0))).isEqualTo(8081);
        assertThat(c.portOf(c.services().get(1))).isEqualTo(8082);
        assertThat(c.portOf(c.services().get(2))).isEqualTo(8083);
        assertThat(c.portOf(c.services().get(3))).isEqualTo(8084);
        assertThat(c.portOf(c.services().get(4))).isEqualTo(8085);
        assertThat(c.portOf(c.services().get(5))).isEqualTo(8086);
        assertThat(c.databases()).containsExactly("livestage_session", "livestage_token", "livestage_chat",
                "livestage_transcription", "livestage_recording", "livestage_analytics");
        assertThat(c.topics()).containsExactly(new Catalog.TopicSpec("livestage.session", 6),
                new Catalog.TopicSpec("livestage.livekit", 6), new Catalog.TopicSpec("livestage.chat", 6),
                new Catalog.TopicSpec("livestage.transcript", 6), new Catalog.TopicSpec("livestage.recording", 6),
                new Catalog.TopicSpec("livestage.podcast", 6), new Catalog.TopicSpec("livestage.analytics", 6),
                new Catalog.TopicSpec("livestage.chat.presence", 6));
        assertThat(c.services().get(0).urlEnvVar()).isEqualTo("SESSION_SERVICE_URL");
    }

    @Test
    void environmentMovesPortsStateAndPostgres() {
        DevStackConfig c = DevStackConfig.fromEnvironment(ROOT, Map.of(
                "LIVESTAGE_STATE_DIR", "tmp/stack",
                "LIVESTAGE_POSTGRES_PORT", "25432",
                "LIVESTAGE_KAFKA_PORT", "19092",
                "LIVESTAGE_KAFKA_CONTROLLER_PORT", "19093",
                "LIVESTAGE_SESSION_SERVICE_PORT", "18081",
                "LIVESTAGE_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres",
                "LIVESTAGE_SERVICES", "none",
                "LIVESTAGE_KEYCLOAK", "off",
                "LIVESTAGE_KEYCLOAK_PORT", "18180",
                "LIVESTAGE_KEYCLOAK_CACHE", "/tmp/kc-cache"));

        assertThat(c.stateDir()).isEqualTo(ROOT.resolve("tmp/stack"));
        assertThat(c.postgresPort()).isEqualTo(25432);
        assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(c.kafkaControllerPort()).isEqualTo(19093);
        assertThat(c.portOf(Catalog.SERVICES.get(0))).isEqualTo(18081);
        assertThat(c.embeddedPostgres()).isFalse();
        assertThat(c.services()).isEmpty();
        assertThat(c.keycloakEnabled()).isFalse();
        assertThat(c.keycloakPort()).isEqualTo(18180);
        assertThat(c.keycloakCacheDir()).isEqualTo(Path.of("/tmp/kc-cache"));
    }

    @Test
    void badValuesAreExplained() {
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_KAFKA_PORT", "kafka")))
                .hasMessageContaining("LIVESTAGE_KAFKA_PORT=kafka is not a TCP port");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_SERVICES", "sesion-service")))
                .hasMessageContaining("Unknown service 'sesion-service'")
                .hasMessageContaining("session-service");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_KEYCLOAK", "maybe")))
                .hasMessageContaining("LIVESTAGE_KEYCLOAK=maybe is neither on nor off");
    }

    @Test
    void externalPostgresUrlGivesServiceUrlsPerDatabase() {
        ExternalPostgresNode pg = new ExternalPostgresNode(
                "jdbc:postgresql://db.local:6543/admin?user=root&password=s%3Dcret", "postgres", "postgres");

        assertThat(pg.hostAndPort()).isEqualTo("db.local:6543");
        assertThat(pg.username()).isEqualTo("root");
        assertThat(pg.password()).isEqualTo("s=cret");
        assertThat(pg.jdbcUrl("livestage_session")).isEqualTo("jdbc:postgresql://db.local:6543/livestage_session");
        assertThat(pg.reactiveUrl("livestage_session")).isEqualTo("postgresql://db.local:6543/livestage_session");
    }

    @Test
    void serviceEnvAddsUpLaterWinsAndSurvivesToBuilder() {
        DevStackConfig c = DevStackConfig.builder(ROOT)
                .serviceEnv(Map.of("LIVEKIT_URL", "ws://127.0.0.1:7880", "GLADIA_URL", "http://127.0.0.1:1"))
                .serviceEnv(Map.of("GLADIA_URL", "http://127.0.0.1:2"))
                .build();

        assertThat(c.serviceEnvironment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "LIVEKIT_URL", "ws://127.0.0.1:7880", "GLADIA_URL", "http://127.0.0.1:2"));
        assertThat(c.toBuilder().build().serviceEnvironment()).isEqualTo(c.serviceEnvironment());
        assertThat(DevStackConfig.fromEnvironment(ROOT, Map.of()).serviceEnvironment()).isEmpty();
        assertThatThrownBy(() -> c.serviceEnvironment().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> DevStackConfig.builder(ROOT).serviceEnv(Map.of(" ", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank");
    }

    @Test
    void replicasStartEveryServiceButTheGatewayNTimesOnPortsAThousandApart() {
        DevStackConfig c = DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_REPLICAS", "2",
                "LIVESTAGE_CHAT_SERVICE_PORT", "18083"));

        assertThat(c.instances()).extracting(DevStackConfig.Instance::name).containsExactly("session-service",
                "token-service", "chat-service", "transcription-service", "recording-service", "analytics-service",
                "gateway", "session-service-2", "token-service-2", "chat-service-2", "transcription-service-2",
                "recording-service-2", "analytics-service-2");
        Catalog.ServiceSpec chat = c.services().get(2);
        assertThat(c.instancesOf(chat)).extracting(DevStackConfig.Instance::port).containsExactly(18083, 19083);
        assertThat(c.instancesOf(c.services().get(6))).extracting(DevStackConfig.Instance::port).containsExactly(8080);

        // the gateway balances over every instance; a service calling another uses its first instance
        Map<String, String> gateway = DevStack.serviceUrls(c, c.services().get(6));
        assertThat(gateway).containsEntry("CHAT_SERVICE_URL", "http://127.0.0.1:18083,http://127.0.0.1:19083")
                .containsEntry("SESSION_SERVICE_URL", "http://127.0.0.1:8081,http://127.0.0.1:9081");
        assertThat(DevStack.serviceUrls(c, c.services().get(1))).containsEntry("SESSION_SERVICE_URL", "http://127.0.0.1:8081");

        // a test's explicit port for a further instance wins over the default step
        DevStackConfig explicit = c.toBuilder().servicePort("chat-service-2", 20000).build();
        assertThat(explicit.instancesOf(chat)).extracting(DevStackConfig.Instance::port).containsExactly(18083, 20000);
        assertThat(DevStackConfig.fromEnvironment(ROOT, Map.of()).instances()).hasSize(7);
    }

    @Test
    void aReplicaCountOutsideOneToFourIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_REPLICAS", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LIVESTAGE_REPLICAS=0");
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(ROOT, Map.of("LIVESTAGE_REPLICAS", "two")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-4");
    }
}
