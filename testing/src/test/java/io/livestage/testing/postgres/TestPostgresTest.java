package io.livestage.testing.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import io.livestage.infra.postgres.EmbeddedPostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

class TestPostgresTest {

    /** The server the dev/CI machines run; a fresh machine without it gets a throw-away embedded server instead. */
    private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @Test
    void twoDatabasesAreDistinctEmptyAndUsable() throws SQLException {
        TestPostgres postgres = TestPostgres.shared();

        TestDatabase first = postgres.createDatabase("session");
        TestDatabase second = postgres.createDatabase("session");

        assertThat(first.name()).startsWith("session_").isNotEqualTo(second.name());
        assertThat(first.jdbcUrl()).startsWith("jdbc:postgresql://").endsWith("/" + first.name());
        assertThat(first.reactiveUrl()).isEqualTo(first.jdbcUrl().substring("jdbc:".length()));
        try (Connection a = postgres.open(first); Connection b = postgres.open(second)) {
            assertThat(userTables(a)).isZero();
            assertThat(userTables(b)).isZero();

            execute(a, "CREATE TABLE sessions (id uuid PRIMARY KEY, title text NOT NULL)");
            execute(a, "INSERT INTO sessions VALUES ('6f1c2d3e-0000-4000-8000-000000000001', 'Launch')");

            assertThat(single(a, "SELECT title FROM sessions")).isEqualTo("Launch");
            assertThat(single(a, "SELECT current_database()")).isEqualTo(first.name());
            assertThat(single(b, "SELECT current_database()")).isEqualTo(second.name());
            assertThat(single(b, "SELECT to_regclass('public.sessions')::text")).isNull();
        }
    }

    @Test
    void sharedServerIsPublishedForEveryClassloader() {
        TestPostgres postgres = TestPostgres.shared();

        assertThat(TestPostgres.shared()).isSameAs(postgres);
        assertThat(System.getProperty(TestPostgres.URL_PROPERTY)).startsWith("jdbc:postgresql://");
    }

    @Test
    void resourceHandsQuarkusAFreshDatabaseNamedByItsPrefix() throws SQLException {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.PREFIX_ARG, "Chat-Service"));

        Map<String, String> config = resource.start();

        assertThat(config).containsOnlyKeys("quarkus.datasource.jdbc.url", "quarkus.datasource.reactive.url",
                "quarkus.datasource.username", "quarkus.datasource.password");
        String jdbcUrl = config.get("quarkus.datasource.jdbc.url");
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        assertThat(name).matches("chat_service_[0-9a-f]{12}");
        assertThat(config.get("quarkus.datasource.reactive.url")).isEqualTo("postgresql://" + jdbcUrl.substring(
                "jdbc:postgresql://".length()));
        TestDatabase database = new TestDatabase(name, jdbcUrl, config.get("quarkus.datasource.reactive.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
        try (Connection connection = TestPostgres.shared().open(database)) {
            assertThat(userTables(connection)).isZero();
        }
    }

    @Test
    void namesAreValidIdentifiersWhateverThePrefix() {
        assertThat(TestPostgres.uniqueName("Session-Service")).matches("session_service_[0-9a-f]{12}");
        assertThat(TestPostgres.uniqueName("9lives")).matches("db_9lives_[0-9a-f]{12}");
        assertThat(TestPostgres.uniqueName("")).matches("db__[0-9a-f]{12}");
        assertThat(TestPostgres.uniqueName("x".repeat(100))).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void externalServerGivenByUrlWorksTheSameWay() throws SQLException, IOException {
        String url = System.getenv(TestPostgres.URL_ENV) != null ? System.getenv(TestPostgres.URL_ENV) : LOCAL_SERVER;
        TestPostgres external;
        EmbeddedPostgres standIn = null;
        try {
            external = TestPostgres.fromAdminUrl(url, true);
        } catch (IllegalStateException unreachable) {
            // No server at the URL: the external mode is still exercised, against a server started here by URL.
            standIn = EmbeddedPostgresServer.throwAway(Map.of());
            external = TestPostgres.fromAdminUrl(EmbeddedPostgresServer.adminJdbcUrl(standIn), true);
        }
        try {
            TestDatabase database = external.createDatabase("external");

            try (Connection connection = external.open(database)) {
                assertThat(single(connection, "SELECT current_database()")).isEqualTo(database.name());
                assertThat(userTables(connection)).isZero();
            }
        } finally {
            if (standIn != null) {
                standIn.close();
            }
        }
    }

    private static int userTables(Connection connection) throws SQLException {
        return Integer.parseInt(single(connection,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
