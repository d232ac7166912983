package io.livestage.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Which replica publishes: the one whose relay connection holds a session-level advisory lock. One publisher per
 * service database keeps each aggregate's events in commit order; the lock goes with the connection or the process,
 * and another replica takes it at its next step. The relay lets go when it runs dry, so a replica whose own commit
 * woke it takes over at once.
 */
final class RelayLeadership {
    /** Advisory lock key: one relay per service database publishes at a time. */
    static final long RELAY_LOCK = 0x6c73_6f75_7462_6f78L;

    private boolean leader;

    boolean isLeader() {
        return leader;
    }

    /**
     * A query returning one row with a column {@code locked}: true when this relay holds the lock, taking it if it is
     * free. Bind its parameters with {@link #bind(PreparedStatement, int)}.
     */
    String lockQuery() {
        return leader ? "select true as locked" : "select pg_try_advisory_lock(?) as locked";
    }

    /** Binds {@link #lockQuery()}'s parameters from {@code index} on; returns the next free index. */
    int bind(PreparedStatement statement, int index) throws SQLException {
        if (leader) {
            return index;
        }
        statement.setLong(index, RELAY_LOCK);
        return index + 1;
    }

    /** What {@link #lockQuery()} answered. */
    void locked(boolean locked) {
        leader = locked;
    }

    /** Lets go of the lock (every level this session took). */
    void release(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock_all()")) {
            statement.execute();
        }
        leader = false;
    }

    /** The relay's connection closed or is new: a session-level lock does not outlive its session. */
    void sessionEnded() {
        leader = false;
    }
}
