package io.livestage.testing.service;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production-safety checks every service calling LiveKit shares, run against its packaged jar in the prod
 * profile: LiveKit's dev key pair stops it at startup, naming the variables to set; a real pair starts it and is never
 * logged. A service's IT extends this class and names the service.
 */
public abstract class LiveKitProductionSafetyTest {
    private final String service;

    protected LiveKitProductionSafetyTest(String service) {
        this.service = service;
    }

    /** The service in the prod profile with a LiveKit key pair; its log in {@code target/<service>-<name>.log}. */
    protected ServiceProcess.Builder prod(String name, String key, String secret) {
        return ServiceProcess.builder(service).env("QUARKUS_PROFILE", "prod")
                .env("LIVEKIT_API_KEY", key).env("LIVEKIT_API_SECRET", secret)
                .log(Path.of("target", service + "-" + name + ".log"));
    }

    @Test
    void prodRefusesLiveKitsDevPairAndNamesTheVariablesToSet() {
        assertThatThrownBy(() -> prod("prod-dev-pair", "devkey", "secret").start())
                .hasMessageContaining("exited")
                .hasMessageContaining("livekit.api-key has its development default; set LIVEKIT_API_KEY")
                .hasMessageContaining("livekit.api-secret has its development default; set LIVEKIT_API_SECRET");
    }

    @Test
    void prodStartsWithItsOwnPair() {
        try (ServiceProcess process = prod("prod-real-pair", "APIprodKey", "prod-secret-from-a-vault").start()) {
            assertThat(process.isAlive()).isTrue();
            assertThat(process.tail(500)).contains("Profile prod activated").doesNotContain("prod-secret-from-a-vault");
        }
    }
}
