package io.livestage.devstack;

import java.sql.Connection;
import java.sql.SQLException;

import io.livestage.infra.postgres.PostgresUrl;

/**
 * A PostgreSQL server given by {@code LIVESTAGE_POSTGRES_URL} (an admin JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). Not started or stopped by the launcher.
 */
public final class ExternalPostgresNode implements PostgresNode {

    private final String hostAndPort;
    private final String adminDatabase;
    private final String username;
    private final String password;
    private String version = "?";

    ExternalPostgresNode(String adminJdbcUrl, String defaultUser, String defaultPassword) {
        PostgresUrl url;
        try {
            url = PostgresUrl.parse(adminJdbcUrl, defaultUser, defaultPassword);
        } catch (IllegalArgumentException e) {
            throw new DevStackException("LIVESTAGE_POSTGRES_URL must be a JDBC URL: jdbc:postgresql://host:port/database",
                    "e.g. LIVESTAGE_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        }
        this.hostAndPort = url.hostAndPort();
        this.adminDatabase = url.adminDatabase();
        this.username = url.username();
        this.password = url.password();
    }

    public static ExternalPostgresNode connect(String adminJdbcUrl, String defaultUser, String defaultPassword) {
        ExternalPostgresNode node = new ExternalPostgresNode(adminJdbcUrl, defaultUser, defaultPassword);
        try (Connection ignored = node.connect(node.adminDatabase)) {
            node.version = node.serverVersion();
            return node;
        } catch (SQLException e) {
            throw new DevStackException("Cannot connect to LIVESTAGE_POSTGRES_URL (" + node.hostAndPort + "): " + e.getMessage(),
                    "Check the URL and credentials (LIVESTAGE_POSTGRES_USER / LIVESTAGE_POSTGRES_PASSWORD),"
                            + " or unset LIVESTAGE_POSTGRES_URL to use the embedded PostgreSQL.", e);
        }
    }

    @Override
    public Connection connect(String database) throws SQLException {
        // "postgres" is the maintenance database of the embedded server; here it is whatever the URL names
        return PostgresNode.super.connect("postgres".equals(database) ? adminDatabase : database);
    }

    @Override
    public String hostAndPort() {
        return hostAndPort;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String description() {
        return "PostgreSQL " + version + " (external)";
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
