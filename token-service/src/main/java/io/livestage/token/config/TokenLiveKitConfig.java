package io.livestage.token.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * token-service's own {@code livekit.*} keys: access token lifetime and room timeouts. The server, key pair and call
 * policy are platform-livekit's {@link io.livestage.platform.livekit.LiveKitConfig}, the same prefix.
 */
@ConfigMapping(prefix = "livekit")
public interface TokenLiveKitConfig {
    /** Lifetime of access tokens (LiveKit's default is 6 h; a join needs it only to connect). */
    @WithDefault("PT6H")
    Duration tokenTtl();

    Rooms rooms();

    interface Rooms {
        /** Seconds an empty room lives before LiveKit closes it. */
        @WithDefault("600")
        int emptyTimeout();

        /** Seconds a room lives after the last participant left. */
        @WithDefault("60")
        int departureTimeout();
    }
}
