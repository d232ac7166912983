package io.livestage.platform.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The processed-ids log of idempotent consumers: Kafka delivers at least once, so each consumer records the
 * {@code ce_id} of every event it applied, in the same transaction as its effect, and skips ids it has seen.
 */
@ApplicationScoped
public class ProcessedEvents {
    private final AgroalDataSource dataSource;

    public ProcessedEvents(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** For consumers whose effect is outside the database (a call to LiveKit): check before, record after. */
    public boolean alreadyProcessed(String consumer, String eventId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select 1 from processed_events where consumer = ? and event_id = ?")) {
            s.setString(1, consumer);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the processed-events log", e);
        }
    }

    /** Records a processed event outside a transaction (blocking; worker threads only). */
    public void markProcessed(String consumer, String eventId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into processed_events (consumer, event_id) "
                        + "values (?, ?) on conflict do nothing")) {
            s.setString(1, consumer);
            s.setString(2, eventId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the processed-events log", e);
        }
    }

    /**
     * Records that {@code consumer} is applying {@code eventId}, on {@code transaction}: a reactive SQL connection
     * inside the transaction that applies the event.
     *
     * @return true on the first delivery, false for a redelivery that must be skipped
     */
    public Uni<Boolean> firstDelivery(SqlClient transaction, String consumer, String eventId) {
        return transaction.preparedQuery("insert into processed_events (consumer, event_id) values ($1, $2) "
                + "on conflict do nothing")
                .execute(Tuple.of(consumer, eventId))
                .map(rows -> rows.rowCount() == 1);
    }
}
