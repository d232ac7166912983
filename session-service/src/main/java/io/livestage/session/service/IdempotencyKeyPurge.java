package io.livestage.session.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/** Deletes expired Idempotency-Key records (an expired key is already free: a claim replaces it); keeps the table small. */
@ApplicationScoped
public class IdempotencyKeyPurge {
    private static final Logger LOG = Logger.getLogger(IdempotencyKeyPurge.class);
    private final AgroalDataSource dataSource;

    public IdempotencyKeyPurge(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(every = "${livestage.idempotency.purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "delete from idempotency_keys where expires_at <= now()")) {
            int deleted = statement.executeUpdate();
            LOG.debugf("%d expired idempotency keys deleted", deleted);
        } catch (SQLException e) {
            LOG.debugf("Expired idempotency keys not deleted: %s", e.getMessage());
        }
    }
}
