package io.livestage.analytics;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged analytics-service in the prod profile: the development peer secret stops it, naming what to set. */
class ProductionSafetyIT {

    @BeforeAll
    static void topics() {
        for (String topic : List.of(Topics.SESSION, Topics.CHAT, Topics.ANALYTICS)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
    }

    private static ServiceProcess.Builder prod(String name) {
        return ServiceProcess.builder("analytics-service").env("QUARKUS_PROFILE", "prod")
                .env("LIVESTAGE_ANALYTICS_APPLICATION_ID", "analytics-prod-" + name)
                .log(Path.of("target", "analytics-service-" + name + ".log"));
    }

    @Test
    void theDevelopmentPeerSecretIsRefused() {
        assertThatThrownBy(() -> prod("prod-dev-secret").start()).hasMessageContaining("exited")
                .hasMessageContaining("livestage.analytics.peer-secret");
    }

    @Test
    void prodStartsWithItsOwnSecretAndNeverLogsIt() {
        try (ServiceProcess process = prod("prod-own-secret")
                .env("LIVESTAGE_ANALYTICS_PEER_SECRET", "peer-secret-from-a-vault").start()) {
            assertThat(process.isAlive()).isTrue();
            assertThat(process.tail(500)).contains("Profile prod activated").doesNotContain("peer-secret-from-a-vault");
        }
    }
}
