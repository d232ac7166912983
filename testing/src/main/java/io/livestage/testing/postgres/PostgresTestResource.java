package io.livestage.testing.postgres;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test application its own fresh database on the JVM's shared {@link TestPostgres}, for both the
 * JDBC and the reactive datasource.
 * <p>
 * Optional init arg {@code prefix} (default {@code test}) starts the database name, e.g. the service name, so a
 * leftover database on a shared server says where it came from.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg naming the start of the database name. */
    public static final String PREFIX_ARG = "prefix";
    private static final String DEFAULT_PREFIX = "test";

    private String prefix = DEFAULT_PREFIX;

    /** Reads the optional {@code prefix}; the annotation's init args arrive before {@link #start()}. */
    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs.get(PREFIX_ARG);
        if (value != null && !value.isBlank()) {
            prefix = value.trim();
        }
    }

    /** A new database per application start, so no test run sees another's rows. */
    @Override
    public Map<String, String> start() {
        TestDatabase database = TestPostgres.shared().createDatabase(prefix);
        // The password is empty for the embedded server, which trusts local connections.
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password());
    }

    /** The database is dropped at JVM exit (external server) or vanishes with the embedded server. */
    @Override
    public void stop() {
    }
}
