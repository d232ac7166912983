package io.livestage.gateway.ratelimit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import io.livestage.gateway.config.GatewayConfig;
import io.livestage.gateway.config.GatewayConfig.Quota;

/**
 * Rate limits at the edge: a token bucket (bucket4j) per user for signed-in requests and per client IP for the rest,
 * with quotas per route where configured. With {@code livestage.gateway.rate-limit.redis-url} the buckets live in
 * Redis and hold across all gateway replicas; without one — or while that Redis cannot be reached — each replica keeps
 * its own buckets (the same quotas, counted per replica). A request is never refused because the store is down.
 */
@ApplicationScoped
public class RateLimiter {
    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    /** Who a bucket belongs to. */
    public enum Scope {
        USER, IP;

        String label() {
            return this == USER ? "user" : "ip";
        }
    }

    /**
     * The outcome of one request: {@code limit} per {@code period}, {@code remaining} after it, seconds until the bucket
     * is full again ({@code resetSeconds}) and, when refused, until one more request is allowed ({@code retryAfterSeconds}).
     */
    public record Decision(boolean allowed, long limit, Duration period, long remaining, long resetSeconds,
            long retryAfterSeconds, Scope scope) {
        static final Decision UNLIMITED = new Decision(true, 0, Duration.ZERO, 0, 0, 0, null);

        public boolean limited() {
            return limit > 0;
        }
    }

    private final GatewayConfig.RateLimit config;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final Map<String, BucketConfiguration> configurations = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final AtomicLong lastFallbackWarning = new AtomicLong();
    private LocalBuckets local;
    private RedisBuckets redis;
    private Counter fallbacks;
    /** A slow or failing Redis stops being asked for a while: requests count locally instead of waiting its timeout. */
    private final TypedGuard<CompletionStage<ConsumptionProbe>> redisGuard = TypedGuard
            .create(new TypeLiteral<CompletionStage<ConsumptionProbe>>() {
            })
            .withDescription("rate-limit-redis").withThreadOffload(false)
            .withCircuitBreaker().requestVolumeThreshold(20).failureRatio(0.5).delay(5, ChronoUnit.SECONDS).done()
            .build();

    public RateLimiter(GatewayConfig config, MeterRegistry metrics, Vertx vertx) {
        this.config = config.rateLimit();
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        local = new LocalBuckets(config.localBuckets());
        vertx.setPeriodic(30_000, id -> local.sweep());
        fallbacks = metrics.counter("livestage.gateway.ratelimit.fallbacks");
        String url = config.redisUrl().map(String::strip).orElse("");
        if (!config.enabled()) {
            LOG.info("rate limits are off (livestage.gateway.rate-limit.enabled=false)");
        } else if (url.isEmpty()) {
            LOG.infof("rate limits per gateway instance (no livestage.gateway.rate-limit.redis-url): user %s, ip %s",
                    describe(config.user()), describe(config.ip()));
        } else {
            redis = new RedisBuckets(url, config.keyPrefix(), config.redisTimeout(), config.redisRetry(), vertx);
            redis.connect();
            LOG.infof("rate limits through Redis at %s (connecting; per instance until connected): user %s, ip %s", RedisBuckets.redact(url),
                    describe(config.user()), describe(config.ip()));
        }
        metrics.gauge("livestage.gateway.ratelimit.shared", this, limiter -> limiter.shared() ? 1 : 0);
    }

    void stop(@Observes ShutdownEvent event) {
        if (redis != null) {
            redis.close();
        }
    }

    /** True while the buckets are shared through Redis. */
    public boolean shared() {
        return redis != null && redis.connected();
    }

    /** Counts one request of {@code subject} ({@code scope}) on {@code route}; completes on a Lettuce or the caller's thread. */
    public CompletionStage<Decision> check(String route, Scope scope, String subject) {
        if (!config.enabled()) {
            return CompletableFuture.completedFuture(Decision.UNLIMITED);
        }
        Quota routeQuota = config.routes().get(route);
        Quota quota = routeQuota != null ? routeQuota : scope == Scope.USER ? config.user() : config.ip();
        if (quota.limit() <= 0) {
            return CompletableFuture.completedFuture(Decision.UNLIMITED);
        }
        String name = (routeQuota != null ? "route:" + route + ":" : "") + scope.label();
        String key = name + ":" + subject;
        BucketConfiguration bucket = configurations.computeIfAbsent(name, n -> configuration(quota));
        if (redis == null || !redis.connected()) {
            return CompletableFuture.completedFuture(decide(local.consume(key, bucket), quota, scope));
        }
        return redisGuard.get(() -> redis.consume(key, bucket)).handle((probe, failure) -> {
            if (failure == null) {
                return decide(probe, quota, scope);
            }
            fallbacks.increment();
            long now = System.nanoTime();
            long last = lastFallbackWarning.get();
            if (now - last > 30_000_000_000L && lastFallbackWarning.compareAndSet(last, now)) {
                LOG.warnf("Redis for rate limits did not answer (%s); counting on this instance until it does",
                        failure.getClass().getSimpleName());
            }
            return decide(local.consume(key, bucket), quota, scope);
        });
    }

    private Decision decide(ConsumptionProbe probe, Quota quota, Scope scope) {
        long reset = seconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Decision(true, quota.limit(), quota.period(), probe.getRemainingTokens(), reset, 0, scope);
        }
        rejections.computeIfAbsent(scope.label(), s -> metrics.counter("livestage.gateway.ratelimit.rejected", "scope", s))
                .increment();
        return new Decision(false, quota.limit(), quota.period(), 0, reset,
                Math.max(1, seconds(probe.getNanosToWaitForRefill())), scope);
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    static BucketConfiguration configuration(Quota quota) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(quota.limit()).refillGreedy(quota.limit(), quota.period()).build())
                .build();
    }

    private static String describe(Quota quota) {
        return quota.limit() <= 0 ? "unlimited" : quota.limit() + " per " + quota.period().toSeconds() + " s";
    }
}
