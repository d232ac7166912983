package io.livestage.token.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code livekit.*}, fed by LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (LiveKit's dev pair by default, as
 * {@code livekit-server --dev} uses).
 */
@ConfigMapping(prefix = "livekit")
public interface LiveKitConfig {
    /** What clients connect to (ws:// or wss://); the server API is the same host over http(s). */
    String url();

    String apiKey();

    String apiSecret();

    /** Lifetime of access tokens (LiveKit's default is 6 h; a join needs it only to connect). */
    @WithDefault("PT6H")
    Duration tokenTtl();

    Rooms rooms();

    Enforcement enforcement();

    interface Rooms {
        /** Seconds an empty room lives before LiveKit closes it. */
        @WithDefault("600")
        int emptyTimeout();

        /** Seconds a room lives after the last participant left. */
        @WithDefault("60")
        int departureTimeout();
    }

    interface Enforcement {
        /** Attempts per LiveKit call before the event goes to the dead-letter topic. */
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** Timeout of one LiveKit API call. */
        @WithDefault("5s")
        Duration callTimeout();
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
