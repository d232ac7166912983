package io.livestage.bench;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatFanoutTest {
    @Test
    void readsTheSendTimeOfBothProtocols() {
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"chat.message\",\"v\":1,\"message\":{\"id\":\"x\","
                + "\"text\":\"t=123456789 r3\",\"seq\":4}}"))).isEqualTo(123_456_789L);
        assertThat(FanoutClient.sendTime(Buffer.buffer("42[\"chat\",{\"id\":\"1-2\",\"text\":\"t=42 r0\"}]")))
                .isEqualTo(42L);
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"chat.ack\",\"clientMessageId\":\"m1-2\"}")))
                .isZero();
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"presence\",\"text\":\"t=\"}"))).isZero();
        assertThat(FanoutClient.field("{\"type\":\"error\",\"v\":1,\"code\":\"not_found\"}", "code"))
                .isEqualTo("not_found");
        assertThat(FanoutClient.field("{}", "code")).isEqualTo("?");
    }
}
