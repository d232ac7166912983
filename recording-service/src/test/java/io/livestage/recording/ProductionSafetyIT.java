package io.livestage.recording;

import org.junit.jupiter.api.Test;

import io.livestage.testing.service.LiveKitProductionSafetyTest;
import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged recording-service in the prod profile: LiveKit's dev key pair stops it at startup, naming the
 * variables; so does S3 storage without a bucket, naming the key and never a secret.
 */
class ProductionSafetyIT extends LiveKitProductionSafetyTest {
    ProductionSafetyIT() {
        super("recording-service");
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
