package io.livestage.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.agroal.api.AgroalDataSource;

/**
 * The relay's own connection, kept between steps because it carries the relay lock: autocommit, and its deletes skip
 * the WAL-flush wait ({@code synchronous_commit} off; a delete lost in a database crash only republishes, with the
 * same {@code ce_id}). Opened on first use and after a failure; a failed one is dropped, never pooled.
 */
final class RelayConnection {
    private final AgroalDataSource dataSource;
    private final RelayLeadership leadership;
    private Connection connection;

    RelayConnection(AgroalDataSource dataSource, RelayLeadership leadership) {
        this.dataSource = dataSource;
        this.leadership = leadership;
    }

    /** The connection, opened if there is none. */
    Connection get() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = dataSource.getConnection();
            try (PreparedStatement statement = c.prepareStatement("set synchronous_commit to off")) {
                c.setAutoCommit(true);
                statement.execute();
            } catch (SQLException | RuntimeException e) {
                destroy(c);
                throw e;
            }
            connection = c;
            leadership.sessionEnded();
        }
        return c;
    }

    /** The connection if one is open, else null (opens none). */
    Connection current() {
        return connection;
    }

    /**
     * Closes the connection for good (after a failure, or when stopping): the physical connection is dropped, not
     * pooled, so the relay lock and the session setting go with it. The next {@link #get()} opens a new one.
     */
    void discard() {
        Connection c = connection;
        connection = null;
        leadership.sessionEnded();
        if (c != null) {
            destroy(c);
        }
    }

    private static void destroy(Connection c) {
        try {
            c.abort(Runnable::run); // Agroal drops an aborted connection instead of pooling it
        } catch (SQLException | RuntimeException ignored) {
            // Agroal reports the abort this way; the connection is marked to be dropped
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do
        }
    }
}
