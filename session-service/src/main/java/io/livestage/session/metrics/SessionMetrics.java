package io.livestage.session.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import io.livestage.events.session.SessionStatus;

/** {@code livestage_sessions{status=...}}: sessions by status, refreshed on a schedule rather than per scrape. */
@ApplicationScoped
public class SessionMetrics {
    private static final Logger LOG = Logger.getLogger(SessionMetrics.class);
    private final AgroalDataSource dataSource;
    private final Map<SessionStatus, AtomicLong> counts = new EnumMap<>(SessionStatus.class);

    public SessionMetrics(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        for (SessionStatus status : SessionStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder("livestage.sessions", count, AtomicLong::get).tag("status", status.name())
                    .description("Sessions by status").register(registry);
        }
    }

    @Scheduled(every = "${livestage.metrics.refresh:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        Map<SessionStatus, Long> fresh = new EnumMap<>(SessionStatus.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select status, count(*) from sessions group by status");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                fresh.put(SessionStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            LOG.debugf("Session gauges not refreshed: %s", e.getMessage());
            return;
        }
        counts.forEach((status, count) -> count.set(fresh.getOrDefault(status, 0L)));
    }
}
