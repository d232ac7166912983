package io.livestage.platform.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.outbox.*}: how the relay publishes outbox rows to Kafka. */
@ConfigMapping(prefix = "livestage.outbox")
public interface OutboxConfig {

    /** ce_source of every event this service publishes, e.g. {@code /livestage/session-service}. */
    String source();

    /** Aggregate type recorded with each row (the producer owns this aggregate). */
    @WithDefault("session")
    String aggregateType();

    Relay relay();

    interface Relay {
        /** Start the relay with the application. Off only for tests that prove crash recovery. */
        @WithDefault("true")
        boolean enabled();

        /** Safety net poll: a commit wakes the relay at once; this catches rows committed by other replicas. */
        @WithDefault("500ms")
        Duration pollInterval();

        @WithDefault("500")
        int batchSize();

        /** How long to wait for Kafka to acknowledge a batch before retrying it. */
        @WithDefault("10s")
        Duration sendTimeout();

        /** Pause after a failed batch, doubled per consecutive failure up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration backoff();

        @WithDefault("10s")
        Duration maxBackoff();
    }
}
