package io.livestage.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.livestage.testing.postgres.TestDatabase;

/**
 * What a service's database sessions are doing, sampled from {@code pg_stat_activity} every
 * {@value #INTERVAL_MILLIS} ms while running: how many run a statement, how many of those wait for a lock, and which
 * statements wait most. Tells a service that waits on row locks (connections held, nothing to compute) from one that
 * is short of CPU.
 */
final class PgActivitySampler implements AutoCloseable {
    static final long INTERVAL_MILLIS = 250;
    private static final String QUERY = "select state = 'active', coalesce(wait_event_type, ''), "
            + "left(regexp_replace(query, '\\s+', ' ', 'g'), 200) from pg_stat_activity where datname = ? "
            + "and pid <> pg_backend_pid()";

    /** The samples of one phase. */
    record Summary(String phase, int samples, double active, double lockWaiting, double sessions,
            Map<String, Long> lockWaitingQueries) {
        String describe() {
            String top = lockWaitingQueries.entrySet().stream().findFirst()
                    .map(e -> String.format(Locale.ROOT, "; the statement waiting most (%.0f %% of the lock waits): "
                            + "`%s`", 100.0 * e.getValue() / Math.max(1, lockWaitingQueries.values().stream()
                                    .mapToLong(Long::longValue).sum()), e.getKey()))
                    .orElse("");
            return String.format(Locale.ROOT, "%s: %d samples of pg_stat_activity (every %d ms): on average %.1f of "
                    + "%.1f database sessions running a statement, %.1f of them waiting for a lock%s", phase, samples,
                    INTERVAL_MILLIS, active, sessions, lockWaiting, top);
        }
    }

    private final Harness.Postgres postgres;
    private final TestDatabase database;
    private final String phase;
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;
    private long active;
    private long waiting;
    private long sessions;
    private final Map<String, Long> waitingQueries = new LinkedHashMap<>();

    PgActivitySampler(Harness.Postgres postgres, TestDatabase database, String phase) {
        this.postgres = postgres;
        this.database = database;
        this.phase = phase;
        this.thread = Thread.ofPlatform().daemon().name("bench-pg-activity").start(this::run);
    }

    private void run() {
        try (Connection connection = postgres.server().open(database);
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, database.name());
            while (running) {
                int a = 0;
                int w = 0;
                int n = 0;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        n++;
                        if (rows.getBoolean(1)) {
                            a++;
                            if (rows.getString(2).equals("Lock")) {
                                w++;
                                synchronized (this) {
                                    waitingQueries.merge(rows.getString(3), 1L, Long::sum);
                                }
                            }
                        }
                    }
                }
                synchronized (this) {
                    samples++;
                    active += a;
                    waiting += w;
                    sessions += n;
                }
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (SQLException e) {
            Harness.log("pg_stat_activity sampling stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized Summary summary() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        waitingQueries.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        int n = Math.max(1, samples);
        return new Summary(phase, samples, active / (double) n, waiting / (double) n, sessions / (double) n, sorted);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
