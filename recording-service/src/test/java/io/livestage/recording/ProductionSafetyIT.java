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
    private static final String PROD_STREAM_KEY = "cHJvZC1zdHJlYW0tc2VjcmV0LWtleS0zMi1ieXRlcyE=";

    ProductionSafetyIT() {
        super("recording-service");
    }

    /** A real stream secret key too (the dev one is refused like LiveKit's dev pair). */
    @Override
    protected ServiceProcess.Builder prod(String name, String key, String secret) {
        return super.prod(name, key, secret).env("LIVESTAGE_STREAM_KEYS", "prod1:" + PROD_STREAM_KEY)
                .env("LIVESTAGE_STREAM_CURRENT_KEY", "prod1");
    }

    @Test
    void theDevStreamSecretKeyIsRefusedInProd() {
        ServiceProcess.Builder devKey = super.prod("prod-dev-stream-key", "APIprodKey", "prod-secret-from-a-vault");
        assertThatThrownBy(devKey::start).hasMessageContaining("exited")
                .hasMessageContaining("livestage.recording.streaming.keys");
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
