package io.livestage.infra.postgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresUrlTest {

    @Test
    void credentialsComeFromTheParametersElseTheDefaults() {
        PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://db.example:6543/admin?user=ops&password=s%26cret", "x", "y");

        assertThat(url.hostAndPort()).isEqualTo("db.example:6543");
        assertThat(url.adminDatabase()).isEqualTo("admin");
        assertThat(url.username()).isEqualTo("ops");
        assertThat(url.password()).isEqualTo("s&cret");
        assertThat(url.jdbcUrl("livestage_chat")).isEqualTo("jdbc:postgresql://db.example:6543/livestage_chat");
        assertThat(url.reactiveUrl("livestage_chat")).isEqualTo("postgresql://db.example:6543/livestage_chat");

        PostgresUrl defaults = PostgresUrl.parse("jdbc:postgresql://127.0.0.1/", "postgres", "postgres");
        assertThat(defaults.port()).isEqualTo(5432);
        assertThat(defaults.adminDatabase()).isEqualTo("postgres");
        assertThat(defaults.username()).isEqualTo("postgres");
    }

    @Test
    void anythingButAPostgresJdbcUrlIsRefused() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://127.0.0.1:5432/postgres", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
    }
}
