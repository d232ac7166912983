package io.livestage.chat.config;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.chat.*}: the rules of the room channel. Environment: {@code LIVESTAGE_CHAT_RATE_LIMIT_MESSAGES} etc. */
@ConfigMapping(prefix = "livestage.chat")
public interface ChatConfig {

    /** How long a new socket may take to send its {@code auth} frame. */
    @WithDefault("10s")
    Duration authTimeout();

    /** How long a socket waits for a session (or a private session's participant) that the projection has not seen yet. */
    @WithDefault("3s")
    Duration admissionWait();

    @WithDefault("500")
    int maxTextLength();

    /** Messages replayed on {@code resume} at most; older ones are paged through the history API. */
    @WithDefault("500")
    int resumeLimit();

    RateLimit rateLimit();

    Flood flood();

    Reactions reactions();

    Presence presence();

    interface RateLimit {
        /** Messages a user may send per {@link #window()} in one room (every instance counts on its own). */
        @WithDefault("20")
        int messages();

        @WithDefault("30s")
        Duration window();
    }

    interface Flood {
        /** Frames of any type a connection may send per second, sustained. */
        @WithDefault("20")
        int framesPerSecond();

        /** Frames a connection may send in a burst. */
        @WithDefault("40")
        int burst();
    }

    interface Reactions {
        /** The reactions a room accepts. */
        @WithDefault("heart,fire,clap,laugh,wow")
        List<String> names();

        /** Reactions are counted per room for this long, then sent as one aggregated burst. */
        @WithDefault("500ms")
        Duration window();
    }

    interface Presence {
        /** Each instance republishes its connection counts this often (and at once, throttled, when they change). */
        @WithDefault("5s")
        Duration heartbeat();

        /** An instance whose counts are older than this is considered gone. */
        @WithDefault("15s")
        Duration expiry();

        /** At most one presence frame per room per this interval. */
        @WithDefault("1s")
        Duration throttle();

        /** Request headers a trusted edge sets with the viewer's ISO country (first present wins). */
        @WithDefault("CF-IPCountry,CloudFront-Viewer-Country,X-Country-Code")
        List<String> regionHeaders();
    }
}
