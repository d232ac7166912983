package io.livestage.chat.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceTypesTest {

    @Test
    void userAgentsMapToCoarseDeviceTypes() {
        assertThat(DeviceTypes.of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")).isEqualTo("desktop");
        assertThat(DeviceTypes.of("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15")).isEqualTo("desktop");
        assertThat(DeviceTypes.of("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")).isEqualTo("mobile");
        assertThat(DeviceTypes.of("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")).isEqualTo("mobile");
        assertThat(DeviceTypes.of("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1")).isEqualTo("tablet");
        assertThat(DeviceTypes.of("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")).isEqualTo("tablet");
        assertThat(DeviceTypes.of("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36")).isEqualTo("tv");
        assertThat(DeviceTypes.of("Googlebot/2.1 (+http://www.google.com/bot.html)")).isEqualTo("bot");
        assertThat(DeviceTypes.of(null)).isEqualTo("unknown");
        assertThat(DeviceTypes.of("curl/8.5")).isEqualTo("unknown");
    }
}
