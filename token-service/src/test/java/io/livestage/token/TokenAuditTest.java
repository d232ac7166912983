package io.livestage.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

import io.livestage.token.repository.TokenAuditLog;

import static io.livestage.token.Sessions.live;
import static io.livestage.token.Sessions.tokenRequest;
import static io.livestage.token.Sessions.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit of minted tokens leaves the request path: the token answers at once, its row is written by the next
 * batched flush; with the database gone, rows wait (bounded) and the surplus is dropped and counted, tokens still mint.
 */
@QuarkusTest
class TokenAuditTest {

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry registry;

    @Test
    void everyMintedTokenIsAuditedByTheNextFlush() throws InterruptedException {
        String host = user("audit-host");
        String id = live(host, Map.of("title", "Audited", "kind", "AUDIO")).path("id");
        String viewer = user("audit-viewer");
        for (String who : new String[] { host, viewer, viewer }) {
            tokenRequest(who).body(Map.of("session", id)).post("/api/tokens").then().statusCode(200);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long rows;
        do {
            rows = pool.preparedQuery("select count(*) from issued_tokens where session_id = $1")
                    .execute(Tuple.of(UUID.fromString(id))).await().indefinitely().iterator().next().getLong(0);
            if (rows < 3) {
                Thread.sleep(100);
            }
        } while (rows < 3 && System.nanoTime() < deadline);
        assertThat(rows).as("audit rows of the session's 3 tokens").isEqualTo(3);
        assertThat(pool.preparedQuery("select role, user_id from issued_tokens where session_id = $1 and identity = $2")
                .execute(Tuple.of(UUID.fromString(id), host)).await().indefinitely().iterator().next().getString("role"))
                .isEqualTo("HOST");
        assertThat(registry.get("livestage.token.audit").tag("result", "written").counter().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withTheDatabaseGoneRowsWaitBoundedAndTheSurplusIsDroppedAndCounted() throws InterruptedException {
        // a pool to a port where nothing listens: every write fails
        Pool nowhere = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1)
                .setDatabase("x").setUser("x").setConnectTimeout(200)).using(vertx).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TokenAuditLog log = new TokenAuditLog(nowhere, Duration.ofSeconds(60), 2, 5, meters);
        try {
            for (int i = 0; i < 12; i++) {
                log.record(new TokenAuditLog.Entry(UUID.randomUUID(), "anon-" + i, null, "VIEWER", "{}", Instant.now(),
                        Instant.now().plusSeconds(600)));
            }
            // a flush the records started may still be running (a second one then returns at once): wait for a
            // failed write, then flush again
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (meters.get("livestage.token.audit.write.failures").counter().count() == 0
                    && System.nanoTime() < deadline) {
                log.flush().await().atMost(Duration.ofSeconds(10));
                Thread.sleep(50);
            }
            assertThat(meters.get("livestage.token.audit.write.failures").counter().count()).isPositive();
            assertThat(log.pending()).as("waiting rows, bounded").isEqualTo(5);
            assertThat(meters.get("livestage.token.audit").tag("result", "dropped").counter().count()).isEqualTo(7);
        } finally {
            nowhere.closeAndAwait();
        }
    }
}
