package io.livestage.transcription;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.livestage.testing.gladia.GladiaStub;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.service.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame or message above the speaker channel's limit is refused with close 1009 (Message Too Big), an error frame
 * and a reason naming the limit, before or after {@code start}; transcription-service runs as a process, a real
 * client sends the frames.
 */
class OversizedFrameIT {
    private static final String REASON = "message too big: at most 262144 bytes";

    private static GladiaStub gladia;
    private static ServiceProcess transcription;

    @BeforeAll
    static void start() {
        KafkaBroker.shared().createTopic("livestage.session", 6);
        KafkaBroker.shared().createTopic("livestage.transcript", 6);
        gladia = GladiaStub.start();
        transcription = ServiceProcess.builder("transcription-service").env(Map.of("GLADIA_URL", gladia.baseUrl(),
                "GLADIA_API_KEY", gladia.apiKey(),
                "MP_MESSAGING_INCOMING_SESSION_PROJECTION_GROUP_ID", "transcription-service-oversized"))
                .log(Path.of("target", "transcription-service-oversized.log")).start();
    }

    @AfterAll
    static void stop() {
        if (transcription != null) {
            transcription.close();
        }
        if (gladia != null) {
            gladia.close();
        }
    }

    private static SpeakerSocket speaker() throws Exception {
        return SpeakerSocket.connect(transcription, UUID.randomUUID().toString());
    }

    @Test
    void aOneMebibyteBinaryFrameIsClosedWith1009() throws Exception {
        SpeakerSocket s = speaker();
        s.sendRefusable(s.socket.sendBinary(ByteBuffer.wrap(new byte[1 << 20]), true));
        assertThat(s.closeCode()).isEqualTo(1009);
        assertThat(s.closeReason).isEqualTo(REASON);
        assertThat(s.await("error").path("code").asText()).isEqualTo("too_big");
        assertThat(s.await("error").path("message").asText()).isEqualTo(REASON);
    }

    @Test
    void aOneMebibyteTextFrameIsClosedWith1009() throws Exception {
        SpeakerSocket s = speaker();
        s.sendRefusable(s.socket.sendText("x".repeat(1 << 20), true));
        assertThat(s.closeCode()).isEqualTo(1009);
        assertThat(s.closeReason).isEqualTo(REASON);
        assertThat(s.await("error").path("code").asText()).isEqualTo("too_big");
    }

    @Test
    void aMessageOverTheLimitInFramesUnderItIsClosedWith1009() throws Exception {
        SpeakerSocket s = speaker();
        for (int i = 0; i < 5; i++) { // 5 × 64 KiB continuation frames: 320 KiB
            s.sendRefusable(s.socket.sendBinary(ByteBuffer.wrap(new byte[64 * 1024]), i == 4));
        }
        assertThat(s.closeCode()).isEqualTo(1009);
        assertThat(s.closeReason).isEqualTo(REASON);
        assertThat(s.await("error").path("code").asText()).isEqualTo("too_big");
    }
}
