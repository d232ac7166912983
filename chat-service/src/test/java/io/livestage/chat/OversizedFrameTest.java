package io.livestage.chat;

import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A frame or message above the channel's limit is refused with close 1009 (Message Too Big) and a reason. */
@QuarkusTest
class OversizedFrameTest extends ChatServiceTestBase {

    @Test
    void aOneMebibyteFrameIsClosedWith1009() {
        try (RoomSocket socket = RoomSocket.open(port, UUID.randomUUID().toString())) {
            socket.send("x".repeat(1 << 20));
            int code = socket.awaitClose();
            assertThat(code).isEqualTo(1009);
            assertThat(socket.closeReason()).isEqualTo("message too big: at most 8192 bytes");
            assertThat(socket.all("error")).extracting(f -> f.path("code").asText()).containsExactly("too_big");
        }
    }

    @Test
    void aMessageOverTheLimitIsClosedWith1009() {
        try (RoomSocket socket = RoomSocket.open(port, UUID.randomUUID().toString())) {
            socket.send("x".repeat(16 * 1024));
            int code = socket.awaitClose();
            assertThat(code).isEqualTo(1009);
            assertThat(socket.closeReason()).isEqualTo("message too big: at most 8192 bytes");
            assertThat(socket.all("error")).extracting(f -> f.path("code").asText()).containsExactly("too_big");
        }
    }
}
