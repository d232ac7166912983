package io.livestage.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Buckets in Redis, shared by every gateway replica: bucket4j's compare-and-swap proxy over one Lettuce connection
 * (non-blocking; Lettuce pipelines the commands of all requests on it). Keys expire once their bucket has refilled.
 * Commands fail fast while the connection is down (Lettuce reconnects by itself), and the first connection is retried
 * every {@code retry} until Redis answers — the gateway starts and serves without it.
 */
final class RedisBuckets {
    private static final Logger LOG = Logger.getLogger(RedisBuckets.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final RedisURI uri;
    private final String redactedUrl;
    private final String prefix;
    private final Duration retry;
    private final Vertx vertx;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> buckets;
    private volatile boolean closed;
    private long failedAttempts;

    RedisBuckets(String url, String prefix, Duration timeout, Duration retry, Vertx vertx) {
        this.uri = RedisURI.create(url);
        // the handshake of a new connection may take longer than a command (a cold JVM, TLS)
        this.uri.setTimeout(CONNECT_TIMEOUT.compareTo(timeout) > 0 ? CONNECT_TIMEOUT : timeout);
        this.redactedUrl = redact(url);
        this.prefix = prefix;
        this.retry = retry;
        this.vertx = vertx;
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
    }

    void connect() {
        if (closed) {
            return;
        }
        client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri).whenComplete((c, failure) -> {
            if (failure != null) {
                // the first failure, then once a minute: an operator sees it without a line every few seconds
                Logger.Level level = failedAttempts++ % Math.max(1, 60 / Math.max(1, retry.toSeconds())) == 0
                        ? Logger.Level.WARN : Logger.Level.DEBUG;
                LOG.logf(level, "Redis for rate limits at %s cannot be reached (%s); limits are per instance until it can, "
                        + "next try in %d s", redactedUrl, rootMessage(failure), retry.toSeconds());
                vertx.setTimer(retry.toMillis(), id -> connect());
                return;
            }
            if (closed) {
                c.closeAsync();
                return;
            }
            buckets = Bucket4jLettuce.casBasedBuilder(c)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build().asAsync();
            connection = c;
            failedAttempts = 0;
            LOG.infof("rate limits are shared through Redis at %s", redactedUrl);
        });
    }

    boolean connected() {
        StatefulRedisConnection<String, byte[]> c = connection;
        return c != null && c.isOpen();
    }

    CompletionStage<ConsumptionProbe> consume(String key, BucketConfiguration configuration) {
        AsyncProxyManager<String> manager = buckets;
        if (manager == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        try {
            return manager.builder().build(prefix + key, () -> CompletableFuture.completedFuture(configuration))
                    .tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    void close() {
        closed = true;
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** The URL without its password. */
    static String redact(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
