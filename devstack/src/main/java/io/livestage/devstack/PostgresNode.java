package io.livestage.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The PostgreSQL server of the stack: embedded ({@link EmbeddedPostgresNode}) or given by URL ({@link ExternalPostgresNode}). */
public interface PostgresNode extends AutoCloseable {

    /** {@code host:port} the services connect to. */
    String hostAndPort();

    String username();

    String password();

    /** Human description for the console, e.g. {@code "PostgreSQL 17.7 (embedded)"}. */
    String description();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostAndPort() + "/" + database;
    }

    /** The Vert.x reactive client URL Quarkus takes in {@code QUARKUS_DATASOURCE_REACTIVE_URL}. */
    default String reactiveUrl(String database) {
        return "postgresql://" + hostAndPort() + "/" + database;
    }

    default Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username());
        props.setProperty("password", password());
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates the databases that do not exist yet; returns the ones it created. */
    default List<String> ensureDatabases(List<String> databases) throws SQLException {
        List<String> created = new ArrayList<>();
        try (Connection c = connect("postgres")) {
            for (String db : databases) {
                if (!db.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("Not a plain database name: " + db);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    ps.setString(1, db);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + db);
                    created.add(db);
                }
            }
        }
        return created;
    }

    default String serverVersion() {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            return "?";
        }
    }

    @Override
    void close();
}
