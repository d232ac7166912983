package io.livestage.platform.security;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bearer tokens this instance has verified, so a client's next requests with the same token skip the signature check
 * and claim parsing (an RSA verification and a JSON parse per request otherwise). Keyed by the whole token: a changed
 * byte is another key. Bounded ({@code livestage.auth.token-cache.size}, least recently used evicted first) and
 * short-lived: an entry is used until {@code livestage.auth.token-cache.ttl} after its verification and never after
 * the token's own {@code exp}. {@code ttl=0s} turns the cache off. Counted as
 * {@code livestage.auth.token_cache{result=hit|miss}}.
 */
@ApplicationScoped
public class VerifiedTokenCache {

    /** A verified identity and the instant it stops being usable (the earlier of the TTL and the token's expiry). */
    record Entry(SecurityIdentity identity, Instant usableUntil) {
    }

    private final Duration ttl;
    private final Cache<String, Entry> entries;
    private final Counter hits;
    private final Counter misses;

    public VerifiedTokenCache(@ConfigProperty(name = "livestage.auth.token-cache.ttl", defaultValue = "60s") Duration ttl,
            @ConfigProperty(name = "livestage.auth.token-cache.size", defaultValue = "10000") int size,
            MeterRegistry registry) {
        this.ttl = ttl;
        this.entries = Caffeine.newBuilder().maximumSize(Math.max(1, size)).expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl)
                .build();
        this.hits = Counter.builder("livestage.auth.token_cache").tag("result", "hit")
                .description("Requests whose bearer token was verified before (not verified again)").register(registry);
        this.misses = Counter.builder("livestage.auth.token_cache").tag("result", "miss")
                .description("Requests whose bearer token was verified (first use, expired entry, or unknown)")
                .register(registry);
    }

    public boolean enabled() {
        return !ttl.isZero();
    }

    /** The identity verified for {@code token}, or null (counted as a miss) when there is none usable now. */
    public SecurityIdentity lookup(String token, Instant now) {
        if (!enabled()) {
            return null;
        }
        Entry entry = entries.getIfPresent(token);
        if (entry == null || !entry.usableUntil().isAfter(now)) {
            if (entry != null) {
                entries.invalidate(token);
            }
            misses.increment();
            return null;
        }
        hits.increment();
        return entry.identity();
    }

    /**
     * Remembers an identity just verified for {@code token}, unless one is remembered already (so a token in use is
     * still verified again once per TTL); {@code expiresAt} is the token's {@code exp}, null when it has none.
     */
    public void remember(String token, SecurityIdentity identity, Instant expiresAt, Instant now) {
        if (!enabled()) {
            return;
        }
        Instant until = now.plus(ttl);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (until.isAfter(now)) {
            entries.asMap().putIfAbsent(token, new Entry(identity, until));
        }
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
