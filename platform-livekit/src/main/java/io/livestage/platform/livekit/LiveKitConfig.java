package io.livestage.platform.livekit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code livekit.*} as every service calling LiveKit's server API reads it, fed by LIVEKIT_URL, LIVEKIT_API_KEY and
 * LIVEKIT_API_SECRET (LiveKit's dev pair by default, as {@code livekit-server --dev} uses; the prod profile refuses
 * it). A service may map more {@code livekit.*} keys of its own in another mapping.
 */
@ConfigMapping(prefix = "livekit")
public interface LiveKitConfig {
    /** The server clients connect to (ws:// or wss://); its API is the same host over http(s). */
    String url();

    String apiKey();

    String apiSecret();

    Calls calls();

    /** How one server API call is retried before the caller decides (a later attempt, the dead-letter topic). */
    interface Calls {
        @WithDefault("3")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("2s")
        Duration maxBackoff();

        /** Timeout of one HTTP call. */
        @WithDefault("5s")
        Duration timeout();
    }

    /** The server API base URL derived from {@link #url()}: ws→http, wss→https. */
    default String apiUrl() {
        return apiUrl(url());
    }

    /** {@code ws://h} → {@code http://h}, {@code wss://h} → {@code https://h}; anything else as it is. */
    static String apiUrl(String url) {
        String stripped = url.strip();
        if (stripped.startsWith("wss://")) {
            return "https://" + stripped.substring("wss://".length());
        }
        if (stripped.startsWith("ws://")) {
            return "http://" + stripped.substring("ws://".length());
        }
        return stripped;
    }
}
