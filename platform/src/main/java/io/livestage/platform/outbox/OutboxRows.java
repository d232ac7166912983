package io.livestage.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The relay's statements on the outbox table (JDBC, on the relay's connection). */
final class OutboxRows {

    /** The rows of one select, and whether this relay holds the relay lock (if not, it selected nothing). */
    record Batch(boolean locked, List<PendingEvent> rows) {
    }

    /** How many rows are pending, and the oldest one's time (null when none). */
    record Backlog(long rows, Instant oldest) {
    }

    /**
     * Deletes {@code published}, takes the relay lock unless this relay holds it, and selects the oldest pending rows
     * that are neither in flight nor just deleted (the statement's snapshot still shows those), at most {@code limit}:
     * one statement, one round trip. With no room ({@code limit} 0) it only deletes.
     */
    Batch deleteAndSelect(Connection c, RelayLeadership leadership, List<UUID> published, Collection<UUID> inFlight,
            int limit) throws SQLException {
        if (limit == 0) {
            delete(c, published);
            return new Batch(leadership.isLeader(), List.of());
        }
        try (PreparedStatement statement = c.prepareStatement("with d as (delete from outbox where id = any(?)), "
                + "l as (" + leadership.lockQuery() + ") "
                + "select l.locked, o.id, o.aggregate_id, o.sequence, o.event_type, o.topic, o.source, o.data_schema, "
                + "o.payload, o.occurred_at, o.request_id, o.traceparent from l left join lateral ("
                + "select * from outbox where l.locked and id <> all(?) order by position limit ?) o on true")) {
            int i = 1;
            statement.setArray(i++, c.createArrayOf("uuid", published.toArray()));
            i = leadership.bind(statement, i);
            List<UUID> skip = new ArrayList<>(inFlight.size() + published.size());
            skip.addAll(inFlight);
            skip.addAll(published);
            statement.setArray(i++, c.createArrayOf("uuid", skip.toArray()));
            statement.setInt(i, limit);
            boolean locked = false;
            List<PendingEvent> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    locked = rs.getBoolean(1);
                    UUID id = rs.getObject(2, UUID.class);
                    if (id != null) {
                        rows.add(new PendingEvent(id, rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                                rs.getString(11), rs.getString(12)));
                    }
                }
            }
            return new Batch(locked, rows);
        }
    }

    /** Deletes rows Kafka acknowledged. */
    void delete(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement("delete from outbox where id = any(?)")) {
            statement.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            statement.executeUpdate();
        }
    }

    /** Records a failed attempt on rows Kafka did not acknowledge; they stay pending and are sent again. */
    void markFailed(Connection c, List<UUID> ids, String error) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(
                "update outbox set attempts = attempts + 1, last_error = ? where id = any(?)")) {
            statement.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
            statement.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            statement.executeUpdate();
        }
    }

    /** Whether a row that is not in flight is pending (in a new snapshot, so it sees rows committed since the last). */
    boolean anyPendingBesides(Connection c, Collection<UUID> inFlight) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "select exists (select 1 from outbox where id <> all(?))")) {
            statement.setArray(1, c.createArrayOf("uuid", inFlight.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    Backlog backlog(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("select count(*), min(occurred_at) from outbox");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            Timestamp oldest = rs.getTimestamp(2);
            return new Backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
        }
    }
}
