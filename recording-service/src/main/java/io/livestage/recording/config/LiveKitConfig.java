package io.livestage.recording.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code livekit.*}, fed by LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (LiveKit's dev pair by default, as
 * {@code livekit-server --dev} uses; the prod profile refuses it).
 */
@ConfigMapping(prefix = "livekit")
public interface LiveKitConfig {
    /** The server LiveKit clients connect to (ws:// or wss://); its API is the same host over http(s). */
    String url();

    String apiKey();

    String apiSecret();

    Calls calls();

    /** How one Egress API call is retried before the caller decides (a later attempt, a reconcile run). */
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
        String url = url().strip();
        if (url.startsWith("wss://")) {
            return "https://" + url.substring("wss://".length());
        }
        if (url.startsWith("ws://")) {
            return "http://" + url.substring("ws://".length());
        }
        return url;
    }
}
