package io.livestage.recording;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged service in the prod profile: LiveKit's dev key pair stops it at startup, naming the variables. */
class ProductionSafetyIT {

    private static ServiceProcess.Builder prod(String name, String key, String secret) {
        return ServiceProcess.builder("recording-service").env("QUARKUS_PROFILE", "prod")
                .env("LIVEKIT_API_KEY", key).env("LIVEKIT_API_SECRET", secret)
                .log(Path.of("target", "recording-service-" + name + ".log"));
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
        try (ServiceProcess service = prod("prod-real-pair", "APIprodKey", "prod-secret-from-a-vault").start()) {
            assertThat(service.isAlive()).isTrue();
            assertThat(service.tail(500)).contains("Profile prod activated").doesNotContain("prod-secret-from-a-vault");
        }
    }

    @Test
    void s3StorageWithoutABucketIsRefusedNamingTheKeyNeverTheSecret() {
        ServiceProcess.Builder s3 = prod("prod-s3-no-bucket", "APIprodKey", "prod-secret-from-a-vault")
                .env("LIVESTAGE_RECORDING_STORAGE_TYPE", "s3")
                .env("LIVESTAGE_RECORDING_STORAGE_S3_ACCESS_KEY", "AKIAPRODEXAMPLE")
                .env("LIVESTAGE_RECORDING_STORAGE_S3_SECRET", "s3-secret-never-logged");
        assertThatThrownBy(s3::start).hasMessageContaining("exited")
                .hasMessageContaining("livestage.recording.storage.type=s3 needs livestage.recording.storage.s3.bucket")
                .message().doesNotContain("s3-secret-never-logged").doesNotContain("prod-secret-from-a-vault");
    }
}
