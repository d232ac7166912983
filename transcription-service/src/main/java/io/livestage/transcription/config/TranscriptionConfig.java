package io.livestage.transcription.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.transcription.*}. */
@ConfigMapping(prefix = "livestage.transcription")
public interface TranscriptionConfig {

    /** How long a new speaker socket may take to send its {@code start} frame. */
    @WithDefault("10s")
    Duration authTimeout();

    /**
     * How long a speaker's admission waits for the session projection to catch up (a guest approved a moment ago may
     * connect before the approval reached this service).
     */
    @WithDefault("3s")
    Duration admissionWait();

    /** Language hints a speaker may not exceed. */
    @WithDefault("5")
    int maxLanguages();

    Gladia gladia();

    /** Gladia v2 live. */
    interface Gladia {
        /** {@code GLADIA_API_KEY}; without it speakers are told transcription is not configured. */
        Optional<String> apiKey();

        /** Base URL of the API ({@code https://api.gladia.io}; a contract stub in tests). */
        @WithDefault("https://api.gladia.io")
        String url();

        /** {@code eu-west} or {@code us-west}; unset: Gladia's default. */
        Optional<String> region();

        /** {@code solaria-1}; unset: Gladia's default. */
        Optional<String> model();

        /** Seconds of silence that end an utterance (Gladia: 0.01–10, default 0.05). */
        Optional<Double> endpointing();

        /** Reconnect attempts after an abnormal close of the Gladia socket (as Gladia's SDK: 5). */
        @WithDefault("5")
        int reconnectAttempts();

        /** Backoff between attempts: min(initial × 2^(n−1), max) (Gladia's SDK: 0.3 s, 2 s). */
        @WithDefault("300ms")
        Duration reconnectInitialBackoff();

        @WithDefault("2s")
        Duration reconnectMaxBackoff();

        /** Unacknowledged audio kept for a resend; beyond it the oldest is dropped (and counted). */
        @WithDefault("60s")
        Duration maxUnacknowledgedAudio();

        /** Largest binary frame sent to Gladia (its SDK: 512 KiB, under the server's 1 MiB limit). */
        @WithDefault("524288")
        int maxFrameBytes();

        /** How long a stopping stream waits for Gladia's last transcripts and close before it gives up. */
        @WithDefault("15s")
        Duration stopTimeout();

        /** Connect timeout of the Gladia WebSocket (a new stream and every reconnect). */
        @WithDefault("10s")
        Duration requestTimeout();

        /** The init call's timeout, retries and circuit breaker. */
        Init init();

        /** The languages Gladia is asked for when a speaker gives no hint; empty: Gladia detects. */
        Optional<List<String>> defaultLanguages();
    }

    /**
     * Gladia's init call under SmallRye Fault Tolerance: a timeout per attempt, retries of transient failures only (5xx,
     * 429, unreachable, timed out; never another 4xx such as a refused key), and a circuit breaker.
     */
    interface Init {
        /** One attempt: connect, request and answer. */
        @WithDefault("5s")
        Duration attemptTimeout();

        /** Attempts after the first, for transient failures only. */
        @WithDefault("3")
        int maxRetries();

        /** Backoff before retry n: min(initial × 2^(n−1), max). */
        @WithDefault("250ms")
        Duration initialBackoff();

        @WithDefault("2s")
        Duration maxBackoff();

        /** The circuit breaker looks at this many recent attempts ... */
        @WithDefault("20")
        int breakerWindow();

        /** ... opens when this share of them failed transiently ... */
        @WithDefault("0.5")
        double breakerFailureRatio();

        /** ... and refuses speakers at once for this long before it lets a trial call through. */
        @WithDefault("10s")
        Duration breakerDelay();
    }
}
