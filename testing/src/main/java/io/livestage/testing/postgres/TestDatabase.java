package io.livestage.testing.postgres;

/**
 * A fresh, empty PostgreSQL database made for one test run, with the coordinates both Quarkus datasource kinds need.
 *
 * @param name        database name, unique per call
 * @param jdbcUrl     {@code jdbc:postgresql://host:port/name} (no credentials in it)
 * @param reactiveUrl {@code postgresql://host:port/name} for the Vert.x reactive client
 * @param username    role that owns the database
 * @param password    that role's password; empty when the server trusts local connections
 */
public record TestDatabase(String name, String jdbcUrl, String reactiveUrl, String username, String password) {

    /** Hides the password so that the record can be logged. */
    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + ", user=" + username + "]";
    }
}
