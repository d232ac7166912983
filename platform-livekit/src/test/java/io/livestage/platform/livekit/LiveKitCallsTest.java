package io.livestage.platform.livekit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveKitCallsTest {

    @Test
    void readsTheTwirpCodeOfAnErrorBody() {
        assertThat(LiveKitCalls.twirpCode("{\"code\":\"not_found\",\"msg\":\"room not found\"}")).isEqualTo("not_found");
        assertThat(LiveKitCalls.twirpCode("{\"msg\":\"x\", \"code\" : \"failed_precondition\"}"))
                .isEqualTo("failed_precondition");
        assertThat(LiveKitCalls.twirpCode("upstream connect error")).isNull();
        assertThat(LiveKitCalls.twirpCode(null)).isNull();
    }

    @Test
    void derivesTheApiUrlFromTheWebSocketUrl() {
        assertThat(LiveKitConfig.apiUrl("wss://lk.example.com")).isEqualTo("https://lk.example.com");
        assertThat(LiveKitConfig.apiUrl(" ws://127.0.0.1:7880 ")).isEqualTo("http://127.0.0.1:7880");
        assertThat(LiveKitConfig.apiUrl("https://lk.example.com")).isEqualTo("https://lk.example.com");
    }
}
