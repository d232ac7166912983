package io.livestage.recording.storage;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class S3PresignerTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant AT = Instant.parse("2013-05-24T00:00:00Z");

    /** AWS's worked example in "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)". */
    @Test
    void reproducesAwsDocumentedPresignedUrl() {
        S3Presigner presigner = new S3Presigner(URI.create("https://s3.amazonaws.com"), "us-east-1", "examplebucket",
                false, ACCESS_KEY, SECRET);
        URI url = presigner.presignGet("test.txt", AT, Duration.ofSeconds(86400), Map.of());
        assertThat(url.toString()).isEqualTo("https://examplebucket.s3.amazonaws.com/test.txt"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    @Test
    void pathStyleKeepsThePortAndTheBucketInThePath() {
        S3Presigner presigner = new S3Presigner(URI.create("http://minio:9000"), "us-east-1", "recs", true,
                ACCESS_KEY, SECRET);
        URI url = presigner.presignGet("recordings/s/r-1.mp3", AT, Duration.ofMinutes(5),
                Map.of("response-content-disposition", "attachment; filename=\"a b.mp3\""));
        assertThat(url.getHost()).isEqualTo("minio");
        assertThat(url.getPort()).isEqualTo(9000);
        assertThat(url.getRawPath()).isEqualTo("/recs/recordings/s/r-1.mp3");
        assertThat(url.getRawQuery()).contains("X-Amz-Expires=300")
                .contains("response-content-disposition=attachment%3B%20filename%3D%22a%20b.mp3%22")
                .doesNotContain(SECRET).doesNotContain("wJalr");
        // the signature covers the extra parameter: another value gives another signature
        URI other = presigner.presignGet("recordings/s/r-1.mp3", AT, Duration.ofMinutes(5),
                Map.of("response-content-disposition", "inline"));
        assertThat(signature(other)).isNotEqualTo(signature(url)).hasSize(64);
    }

    @Test
    void expiryIsCappedAtSevenDaysAndTheSecretIsNeverShown() {
        S3Presigner presigner = new S3Presigner(URI.create("https://s3.eu-central-1.amazonaws.com"),
                "eu-central-1", "b", false, ACCESS_KEY, SECRET);
        assertThat(presigner.presignGet("k", AT, Duration.ofDays(30), Map.of()).getRawQuery())
                .contains("X-Amz-Expires=604800");
        assertThat(presigner.toString()).doesNotContain(SECRET).doesNotContain(ACCESS_KEY);
    }

    @Test
    void encodesAsSigV4Wants() {
        assertThat(S3Presigner.encode("a b/c~d_e.f-g+h", false)).isEqualTo("a%20b/c~d_e.f-g%2Bh");
        assertThat(S3Presigner.encode("a/b", true)).isEqualTo("a%2Fb");
        assertThat(S3Presigner.encode("é", true)).isEqualTo("%C3%A9");
    }

    private static String signature(URI url) {
        return url.getRawQuery().substring(url.getRawQuery().indexOf("X-Amz-Signature=") + 16);
    }
}
