package io.livestage.infra.postgres;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL server given by an admin JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
 * (credentials as {@code user}/{@code password} parameters), and the URLs of its databases.
 */
public record PostgresUrl(String host, int port, String adminDatabase, String username, String password) {

    public static final String JDBC_PREFIX = "jdbc:postgresql://";

    /**
     * Parses {@code adminJdbcUrl}; {@code defaultUser}/{@code defaultPassword} apply when the URL has no such
     * parameter. Fails with {@link IllegalArgumentException} on anything but a single-host PostgreSQL JDBC URL.
     */
    public static PostgresUrl parse(String adminJdbcUrl, String defaultUser, String defaultPassword) {
        if (adminJdbcUrl == null || !adminJdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException("Expected a URL like " + JDBC_PREFIX
                    + "127.0.0.1:5432/postgres?user=postgres, got " + adminJdbcUrl);
        }
        URI uri = URI.create(adminJdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("No single host in " + adminJdbcUrl);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        Map<String, String> parameters = queryParameters(uri.getRawQuery());
        return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path.isEmpty() ? "postgres" : path,
                parameters.getOrDefault("user", defaultUser), parameters.getOrDefault("password", defaultPassword));
    }

    public String hostAndPort() {
        return host + ":" + port;
    }

    /** {@code jdbc:postgresql://host:port/<database>} */
    public String jdbcUrl(String database) {
        return JDBC_PREFIX + hostAndPort() + "/" + database;
    }

    /** The Vert.x reactive client URL Quarkus takes in {@code quarkus.datasource.reactive.url}. */
    public String reactiveUrl(String database) {
        return "postgresql://" + hostAndPort() + "/" + database;
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public String toString() {
        return "PostgresUrl[" + hostAndPort() + "/" + adminDatabase + ", user=" + username + "]";
    }
}
