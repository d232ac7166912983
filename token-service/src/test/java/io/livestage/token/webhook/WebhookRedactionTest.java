package io.livestage.token.webhook;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Egress and ingress info leave token-service for Kafka without upload credentials or stream keys. */
class WebhookRedactionTest {

    @Test
    void uploadCredentialsAndStreamKeysAreReplacedAndTheRestKept() {
        Map<String, Object> info = Map.of("egressId", "EG_a", "status", "EGRESS_COMPLETE",
                "roomComposite", Map.of("roomName", "r1", "fileOutputs", List.of(Map.of("fileType", "MP3",
                        "filepath", "recordings/r1/x.mp3", "s3", Map.of("accessKey", "AKIA123", "secret", "s3cr3t",
                                "sessionToken", "tok", "bucket", "recs", "region", "eu-central-1"))),
                        "streamOutputs", List.of(Map.of("protocol", "RTMP", "urls",
                                List.of("rtmps://dc4-1.rtmp.t.me/s/1234567:AbCdEfKey", "rtmp://a.example/live/key9")))),
                "fileResults", List.of(Map.of("location", "/out/r1/x.mp3", "size", "57600123")));

        Map<String, Object> out = WebhookRedaction.redact(info);
        String text = out.toString();
        assertThat(text).doesNotContain("AKIA123", "s3cr3t", "tok,", "AbCdEfKey", "key9");
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) out.get("roomComposite");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = ((List<Map<String, Object>>) request.get("fileOutputs")).get(0);
        assertThat(file).containsEntry("fileType", "MP3").containsEntry("filepath", "recordings/r1/x.mp3");
        assertThat(file.get("s3")).isEqualTo(Map.of("accessKey", "[redacted]", "secret", "[redacted]",
                "sessionToken", "[redacted]", "bucket", "recs", "region", "eu-central-1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stream = ((List<Map<String, Object>>) request.get("streamOutputs")).get(0);
        assertThat(stream.get("urls")).isEqualTo(List.of("rtmps://dc4-1.rtmp.t.me/s/[redacted]",
                "rtmp://a.example/live/[redacted]"));
        assertThat(out.get("fileResults")).isEqualTo(info.get("fileResults"));
        assertThat(out).containsEntry("egressId", "EG_a").containsEntry("status", "EGRESS_COMPLETE");
    }

    @Test
    void anIngressKeepsItsUrlButNotItsStreamKey() {
        Map<String, Object> out = WebhookRedaction.redact(Map.of("ingressId", "IN_a", "streamKey", "Vb3kF8sQ2wXz",
                "url", "rtmp://ingress.example.com/x"));
        assertThat(out).containsEntry("streamKey", "[redacted]").containsEntry("url", "rtmp://ingress.example.com/x");
        assertThat(WebhookRedaction.redact(null)).isNull();
    }
}
