package io.livestage.platform.routing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.type-router.*}: which aggregate topics this service routes to per-type topics. */
@ConfigMapping(prefix = "livestage.type-router")
public interface TypeRouterConfig {

    /** The aggregate topics this service owns and routes (e.g. {@code livestage.session}); none: the router is off. */
    Optional<List<String>> topics();

    /**
     * How long a session's last routed sequence is kept after its last event. A relay republishes within seconds of
     * its restart; an entry older than this is pruned so the store holds only active sessions.
     */
    @WithDefault("7d")
    Duration dedupeRetention();

    /** Kafka Streams commit interval: how long a routed event may wait before consumers (read_committed) see it. */
    @WithDefault("100ms")
    Duration commitInterval();
}
