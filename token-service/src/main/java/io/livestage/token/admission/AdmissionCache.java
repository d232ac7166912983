package io.livestage.token.admission;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The admission projection's answers ({@link Admission.Known}) remembered per instance, so that a token request
 * whose (session, caller) was read a moment ago costs no database round trip. Never staler than the projection:
 * every write of the projection ({@link AdmissionProjection}, on whichever instance holds the session's partition)
 * sends a PostgreSQL {@code NOTIFY} on {@value #CHANNEL} in the same statement, so it is delivered when that write
 * commits; every instance {@code LISTEN}s on one connection of its pool and forgets the session (a session event) or
 * the caller in it (a participant event) as the notification arrives. A removal therefore still reaches admission
 * within the projection's lag plus one notification (docs/adr/0019).
 * <p>
 * Safety: the cache answers only while the {@code LISTEN} connection is up; when it closes, everything is forgotten
 * and requests read the projection until it is listening again (it reconnects every second). A read that raced an
 * invalidation is not remembered (every entry is stamped with the invalidation count seen before its read, and put
 * back out when an invalidation of its session came after). Entries also expire after
 * {@code livestage.admission.cache.ttl} (10 s; {@code 0s} turns the cache off), the bound if a notification were
 * ever lost without the connection closing. Counted as {@code livestage.admission.cache{result=hit|miss}}.
 */
@ApplicationScoped
public class AdmissionCache {
    static final String CHANNEL = "livestage_admission";
    private static final Logger LOG = Logger.getLogger(AdmissionCache.class);
    /** The key of the anonymous caller (identities are never empty). */
    private static final String ANONYMOUS = "";

    /** One session's remembered answers, and when it was last invalidated (a value of {@link #invalidations}). */
    private static final class Slot {
        final ConcurrentHashMap<String, Cached> byIdentity = new ConcurrentHashMap<>();
        volatile long invalidatedAt;

        Slot(long at) {
            invalidatedAt = at;
        }
    }

    private record Cached(Admission.Known known, long expiresAt) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final long ttlNanos;
    private final int perSession;
    /** By session id. */
    private final Cache<String, Slot> slots;
    /** Slug to session id, learned from reads by slug. */
    private final Cache<String, String> slugs;
    private final AtomicLong invalidations = new AtomicLong();
    private final Counter hits;
    private final Counter misses;
    private volatile long resetAt;
    private volatile boolean listening;
    private volatile boolean stopped;
    private volatile SqlConnection listener;

    public AdmissionCache(Pool pool, Vertx vertx,
            @ConfigProperty(name = "livestage.admission.cache.ttl", defaultValue = "10s") Duration ttl,
            @ConfigProperty(name = "livestage.admission.cache.sessions", defaultValue = "10000") int sessions,
            @ConfigProperty(name = "livestage.admission.cache.per-session", defaultValue = "50000") int perSession,
            MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.ttlNanos = ttl.toNanos();
        this.perSession = Math.max(1, perSession);
        this.slots = Caffeine.newBuilder().maximumSize(Math.max(1, sessions)).expireAfterAccess(Duration.ofMinutes(10))
                .build();
        this.slugs = Caffeine.newBuilder().maximumSize(Math.max(1, sessions)).build();
        this.hits = Counter.builder("livestage.admission.cache").tag("result", "hit")
                .description("Token requests admitted from the instance's cache of the projection").register(registry);
        this.misses = Counter.builder("livestage.admission.cache").tag("result", "miss")
                .description("Token requests that read the admission projection").register(registry);
    }

    public boolean enabled() {
        return ttlNanos > 0;
    }

    /** The remembered answer for {@code ref} (session id or slug) and {@code identity} (null: anonymous), or null. */
    Admission.Known get(String ref, String identity) {
        if (!listening) {
            return null;
        }
        java.util.UUID uuid = Admission.uuid(ref);
        String id = uuid != null ? uuid.toString() : slugs.getIfPresent(ref);
        Slot slot = id == null ? null : slots.getIfPresent(id);
        Cached cached = slot == null ? null : slot.byIdentity.get(key(identity));
        if (cached == null || cached.expiresAt() - System.nanoTime() <= 0) {
            misses.increment();
            return null;
        }
        hits.increment();
        return cached.known();
    }

    /** What a read must show to {@link #put} what it read: the invalidations so far, or -1 when not listening. */
    long stamp() {
        return listening ? invalidations.get() : -1;
    }

    /** Remembers {@code known}, read for {@code ref} and {@code identity} after {@link #stamp()} gave {@code stamp}. */
    void put(String ref, String identity, Admission.Known known, long stamp) {
        if (stamp < 0 || known == null || !listening) {
            return;
        }
        Slot slot = slots.get(known.id(), id -> new Slot(invalidations.get()));
        if (!fresh(slot, stamp) || slot.byIdentity.size() >= perSession) {
            return;
        }
        String key = key(identity);
        Cached cached = new Cached(known, System.nanoTime() + ttlNanos);
        slot.byIdentity.put(key, cached);
        if (Admission.uuid(ref) == null) {
            slugs.put(ref, known.id());
        }
        // an invalidation between the check above and the put: it may have cleared before the put, so undo it
        if (!fresh(slot, stamp)) {
            slot.byIdentity.remove(key, cached);
        }
    }

    private boolean fresh(Slot slot, long stamp) {
        return listening && slot.invalidatedAt <= stamp && resetAt <= stamp;
    }

    /**
     * Forgets what a projection write changed: {@code payload} is a session id (its session changed: every answer
     * about it) or a session id, a space and an identity (that participant changed).
     */
    void invalidate(String payload) {
        int space = payload.indexOf(' ');
        String id = space < 0 ? payload : payload.substring(0, space);
        long at = invalidations.incrementAndGet();
        Slot slot = slots.getIfPresent(id);
        if (slot != null) {
            slot.invalidatedAt = at;
            if (space < 0) {
                slot.byIdentity.clear();
            } else {
                slot.byIdentity.remove(key(payload.substring(space + 1)));
            }
        }
        if (space < 0) {
            slugs.asMap().values().removeIf(id::equals);
        }
    }

    /** Forgets everything (the notifications may have been missed). */
    private void reset() {
        resetAt = invalidations.incrementAndGet();
        slots.invalidateAll();
        slugs.invalidateAll();
    }

    private static String key(String identity) {
        return identity == null ? ANONYMOUS : identity;
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled()) {
            listen();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        listening = false;
        SqlConnection connection = listener;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    /** Takes one connection of the pool for {@code LISTEN}; answers from the cache once it listens. */
    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().subscribe().with(connection -> {
            PgConnection pg;
            try {
                pg = PgConnection.cast(connection);
            } catch (ClassCastException e) {
                LOG.warnf("admission cache off: the pool's connections are not PostgreSQL's (%s)", e.getMessage());
                connection.closeAndForget();
                return;
            }
            listener = connection;
            pg.notificationHandler(notification -> invalidate(notification.getPayload()));
            pg.closeHandler(() -> lost(connection, "connection closed"));
            pg.exceptionHandler(failure -> lost(connection, failure.toString()));
            pg.query("LISTEN " + CHANNEL).execute().subscribe().with(ignored -> {
                reset();
                listening = true;
                LOG.debugf("admission cache: listening on %s", CHANNEL);
            }, failure -> lost(connection, failure.toString()));
        }, failure -> retry("no connection: " + failure));
    }

    private void lost(SqlConnection connection, String why) {
        if (listener != connection) {
            return;
        }
        listener = null;
        listening = false;
        reset();
        connection.closeAndForget();
        retry(why);
    }

    private void retry(String why) {
        if (stopped) {
            return;
        }
        LOG.warnf("admission cache off until LISTEN %s works again: %s", CHANNEL, why);
        vertx.setTimer(1000, id -> listen());
    }
}
