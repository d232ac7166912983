package io.livestage.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.Driver;

import io.livestage.infra.postgres.EmbeddedPostgresServer;
import io.livestage.infra.postgres.PostgresUrl;
import io.livestage.testing.JvmWide;

/**
 * One real PostgreSQL server per test JVM, on which every test run gets its own fresh database.
 * <p>
 * Resolution order: {@value #URL_ENV} (a JDBC URL of a server where we may {@code CREATE DATABASE}, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) → an embedded PostgreSQL 17 from Maven Central
 * binaries. The admin URL is published in the system property {@value #URL_PROPERTY}, so a second copy of this class
 * in another classloader reuses the server instead of starting another one.
 */
public final class TestPostgres {

    /** Environment variable naming an external server; user and password travel as URL parameters. */
    public static final String URL_ENV = "LIVESTAGE_TEST_POSTGRES_URL";
    /** JVM-wide publication of the shared server's admin JDBC URL; system properties reach every classloader. */
    public static final String URL_PROPERTY = "livestage.test.postgres.url";
    /** "true" when this JVM runs the embedded server: its databases vanish with it, no drop needed. */
    static final String EMBEDDED_PROPERTY = "livestage.test.postgres.embedded";

    private static final System.Logger LOG = System.getLogger(TestPostgres.class.getName());
    private static final int MAX_PREFIX_LENGTH = 40;
    private static final JvmWide<TestPostgres> SHARED = new JvmWide<>(URL_PROPERTY,
            published -> fromAdminUrl(published, !Boolean.getBoolean(EMBEDDED_PROPERTY)), TestPostgres::resolve,
            server -> server.adminJdbcUrl);

    private final String adminJdbcUrl;
    private final String hostAndPort;
    private final String username;
    private final String password;
    private final boolean dropOnExit;
    private final List<String> createdDatabases = new ArrayList<>();
    private boolean cleanupRegistered;

    private TestPostgres(String adminJdbcUrl, String hostAndPort, String username, String password,
            boolean dropOnExit) {
        this.adminJdbcUrl = adminJdbcUrl;
        this.hostAndPort = hostAndPort;
        this.username = username;
        this.password = password;
        this.dropOnExit = dropOnExit;
    }

    /** The server of this JVM, resolved (and for the embedded one started) on first use. */
    public static TestPostgres shared() {
        return SHARED.get();
    }

    private static TestPostgres resolve() {
        String external = System.getenv(URL_ENV);
        if (external != null && !external.isBlank()) {
            TestPostgres server = fromAdminUrl(external.trim(), true);
            LOG.log(Level.INFO, "PostgreSQL for tests: external server {0} (from {1})", server.hostAndPort, URL_ENV);
            return server;
        }
        TestPostgres server = fromAdminUrl(startEmbedded(), false);
        System.setProperty(EMBEDDED_PROPERTY, "true");
        LOG.log(Level.INFO, "PostgreSQL for tests: embedded server at {0}", server.hostAndPort);
        return server;
    }

    private static String startEmbedded() {
        try {
            // Durability settings off: a test database is thrown away, speed matters more.
            EmbeddedPostgres postgres = EmbeddedPostgresServer.throwAway(Map.of("fsync", "off", "synchronous_commit", "off",
                    "full_page_writes", "off", "max_connections", "200"));
            // EmbeddedPostgres registers its own shutdown hook that stops the server and deletes its data directory.
            return EmbeddedPostgresServer.adminJdbcUrl(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL; set " + URL_ENV
                    + " to use an existing server", e);
        }
    }

    /** A server given by its admin JDBC URL; visible to tests of this package to exercise the external mode. */
    static TestPostgres fromAdminUrl(String adminJdbcUrl, boolean dropOnExit) {
        // Same default user as the JDBC driver, so the role we report is the role that really connects.
        PostgresUrl url = PostgresUrl.parse(adminJdbcUrl, System.getProperty("user.name"), "");
        TestPostgres server = new TestPostgres(adminJdbcUrl, url.hostAndPort(), url.username(), url.password(), dropOnExit);
        server.verifyReachable();
        return server;
    }

    private void verifyReachable() {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + hostAndPort + " as " + username
                    + " (check " + URL_ENV + "): " + e.getMessage(), e);
        }
    }

    /**
     * Creates an empty database named {@code <prefix>_<random>} from {@code template0} (UTF-8, C collation, so
     * nothing installed in {@code template1} leaks in and sorting does not depend on the server's locale).
     */
    public TestDatabase createDatabase(String prefix) {
        String name = uniqueName(prefix);
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + quoted(name)
                    + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + hostAndPort
                    + ": " + e.getMessage(), e);
        }
        if (dropOnExit) {
            dropAtExit(name);
        }
        return new TestDatabase(name, PostgresUrl.JDBC_PREFIX + hostAndPort + "/" + name, "postgresql://" + hostAndPort + "/" + name,
                username, password);
    }

    /** Opens a connection to one database, e.g. to check what a service wrote; the caller closes it. */
    public Connection open(TestDatabase database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.username());
        if (!database.password().isEmpty()) {
            properties.setProperty("password", database.password());
        }
        return openConnection(database.jdbcUrl(), properties);
    }

    static String uniqueName(String prefix) {
        String clean = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.isEmpty() || !(Character.isLetter(clean.charAt(0)) || clean.charAt(0) == '_')) {
            clean = "db_" + clean;
        }
        if (clean.length() > MAX_PREFIX_LENGTH) {
            clean = clean.substring(0, MAX_PREFIX_LENGTH);
        }
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return clean + "_" + HexFormat.of().formatHex(random);
    }

    private Connection adminConnection() throws SQLException {
        return openConnection(adminJdbcUrl, new Properties());
    }

    /** Uses the driver directly: DriverManager refuses drivers registered by another (Quarkus) classloader. */
    private static Connection openConnection(String url, Properties properties) throws SQLException {
        Connection connection = new Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept " + url);
        }
        return connection;
    }

    private synchronized void dropAtExit(String name) {
        createdDatabases.add(name);
        if (!cleanupRegistered) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreatedDatabases, "livestage-postgres-cleanup"));
            cleanupRegistered = true;
        }
    }

    /** Best effort: a database left behind by a killed JVM is harmless, its name is never reused. */
    private void dropCreatedDatabases() {
        List<String> names;
        synchronized (this) {
            names = List.copyOf(createdDatabases);
        }
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            for (String name : names) {
                drop(statement, name);
            }
        } catch (Throwable ignored) {
            // The server may be gone already; nothing to clean up then.
        }
    }

    private static void drop(Statement statement, String name) {
        try {
            // FORCE (PostgreSQL 13+) ends connections a still-running application pool may hold.
            statement.execute("DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
        } catch (SQLException forceUnsupported) {
            try {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + name + "'");
                statement.execute("DROP DATABASE IF EXISTS " + quoted(name));
            } catch (SQLException ignored) {
                // Left for a human; its unique name cannot collide with a later run.
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return "TestPostgres[" + hostAndPort + ", user=" + username + (dropOnExit ? ", external" : ", embedded") + "]";
    }
}
