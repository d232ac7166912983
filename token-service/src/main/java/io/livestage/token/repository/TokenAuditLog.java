package io.livestage.token.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The audit of minted tokens ({@code issued_tokens}), kept out of the request path: {@link #record} only queues the
 * row; a flush every {@code livestage.token.audit.flush-every} (200 ms), or as soon as
 * {@code livestage.token.audit.batch-size} rows wait, writes them with one batched INSERT. A failed write is retried
 * at the next flush. Bounded: beyond {@code livestage.token.audit.max-pending} waiting rows (a database outage) new
 * rows are dropped and counted ({@code livestage.token.audit{result=dropped}}), never holding a token back. What a
 * crash loses is at most the rows of the last flush interval; a graceful stop writes what waits.
 */
@ApplicationScoped
public class TokenAuditLog {
    private static final Logger LOG = Logger.getLogger(TokenAuditLog.class);
    /** A whole batch in one statement (one parse, bind and plan for the batch instead of one per row). */
    private static final String INSERT = "insert into issued_tokens (id, session_id, identity, user_id, role, grants,"
            + " issued_at, expires_at) select * from unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[],"
            + " $5::varchar[], $6::text[], $7::timestamptz[], $8::timestamptz[]) on conflict (id) do nothing";

    /** One minted token, as audited: the token itself is never stored. */
    public record Entry(UUID sessionId, String identity, String userId, String role, String grants, Instant issuedAt,
            Instant expiresAt) {
    }

    private record Row(UUID id, Entry entry) {
    }

    private final Pool pool;
    private final Duration flushEvery;
    private final int batchSize;
    private final int maxPending;
    private final ConcurrentLinkedQueue<Row> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Counter written;
    private final Counter dropped;
    private final Counter failedWrites;
    private long timer = -1;

    public TokenAuditLog(Pool pool,
            @ConfigProperty(name = "livestage.token.audit.flush-every", defaultValue = "200ms") Duration flushEvery,
            @ConfigProperty(name = "livestage.token.audit.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "livestage.token.audit.max-pending", defaultValue = "100000") int maxPending,
            MeterRegistry registry) {
        this.pool = pool;
        this.flushEvery = flushEvery;
        this.batchSize = Math.max(1, batchSize);
        this.maxPending = Math.max(this.batchSize, maxPending);
        this.written = Counter.builder("livestage.token.audit").tag("result", "written")
                .description("Issued-token audit rows written").register(registry);
        this.dropped = Counter.builder("livestage.token.audit").tag("result", "dropped")
                .description("Issued-token audit rows dropped because too many were waiting (database unavailable)")
                .register(registry);
        this.failedWrites = Counter.builder("livestage.token.audit.write.failures")
                .description("Batched audit writes that failed (retried at the next flush)").register(registry);
        Gauge.builder("livestage.token.audit.pending", size, AtomicInteger::get)
                .description("Issued-token audit rows waiting to be written").register(registry);
    }

    /** Queues the audit row of a minted token; returns at once. */
    public void record(Entry entry) {
        if (size.incrementAndGet() > maxPending) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        pending.add(new Row(UUID.randomUUID(), entry));
        if (size.get() >= batchSize) {
            flush().subscribe().with(ignored -> {
            }, failure -> LOG.debugf("token audit flush: %s", failure.toString()));
        }
    }

    /** Rows waiting to be written. */
    public int pending() {
        return size.get();
    }

    /** Starts the periodic flush (a Vert.x timer: no scheduler extension for one timer). */
    void onStart(@Observes StartupEvent event, Vertx vertx) {
        timer = vertx.setPeriodic(flushEvery.toMillis(), id -> flush().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("token audit flush: %s", failure.toString())));
    }

    /** Writes what waits, a batch at a time; one flush at a time (a concurrent call returns at once). */
    public Uni<Void> flush() {
        if (pending.isEmpty() || !flushing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return writeBatches().eventually(() -> flushing.set(false));
    }

    private Uni<Void> writeBatches() {
        List<Row> batch = new ArrayList<>(Math.min(batchSize, size.get()));
        Row row;
        while (batch.size() < batchSize && (row = pending.poll()) != null) {
            batch.add(row);
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] sessions = new UUID[n];
        String[] identities = new String[n];
        String[] users = new String[n];
        String[] roles = new String[n];
        String[] grants = new String[n];
        OffsetDateTime[] issued = new OffsetDateTime[n];
        OffsetDateTime[] expires = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Row r = batch.get(i);
            Entry e = r.entry();
            ids[i] = r.id();
            sessions[i] = e.sessionId();
            identities[i] = e.identity();
            users[i] = e.userId();
            roles[i] = e.role();
            grants[i] = e.grants();
            issued[i] = e.issuedAt().atOffset(ZoneOffset.UTC);
            expires[i] = e.expiresAt().atOffset(ZoneOffset.UTC);
        }
        Tuple rows = Tuple.tuple().addArrayOfUUID(ids).addArrayOfUUID(sessions).addArrayOfString(identities)
                .addArrayOfString(users).addArrayOfString(roles).addArrayOfString(grants)
                .addArrayOfOffsetDateTime(issued).addArrayOfOffsetDateTime(expires);
        return pool.preparedQuery(INSERT).execute(rows).onItemOrFailure().transformToUni((ignored, failure) -> {
            if (failure != null) {
                // back in the queue (ahead of nothing: order does not matter for an audit), tried at the next flush
                pending.addAll(batch);
                failedWrites.increment();
                LOG.warnf("could not write %d token audit rows (retried): %s", batch.size(), failure.getMessage());
                return Uni.createFrom().voidItem();
            }
            size.addAndGet(-batch.size());
            written.increment(batch.size());
            return writeBatches();
        });
    }

    /** A graceful stop writes what waits (up to 10 s). */
    void onStop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            flush().await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("%d token audit rows not written at shutdown: %s", size.get(), e.getMessage());
        }
    }
}
