package io.livestage.gateway.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code livestage.gateway.services.<name>}: one base URL or a comma-separated list, each checked. */
class OriginTest {

    @Test
    void oneUrlIsOneOrigin() {
        assertThat(Origin.parseList("session-service", "http://127.0.0.1:8081"))
                .containsExactly(new Origin("http://127.0.0.1:8081", "127.0.0.1", 8081));
        assertThat(Origin.parseList("session-service", "http://session-service:8081/"))
                .containsExactly(new Origin("http://session-service:8081/", "session-service", 8081));
        assertThat(Origin.parseList("session-service", "http://session-service"))
                .containsExactly(new Origin("http://session-service", "session-service", 80));
    }

    @Test
    void aListKeepsItsOrderAndToleratesWhitespace() {
        assertThat(Origin.parseList("chat-service", " http://127.0.0.1:8083 ,\thttp://[::1]:9083,http://chat-2:8083 "))
                .containsExactly(new Origin("http://127.0.0.1:8083", "127.0.0.1", 8083),
                        new Origin("http://[::1]:9083", "::1", 9083), new Origin("http://chat-2:8083", "chat-2", 8083));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "http://127.0.0.1:8083, 127.0.0.1:9083 | '127.0.0.1:9083' is not a base URL of the form http://host[:port]: no http:// in front (did you mean http://127.0.0.1:9083?)",
            "https://chat:8443 | the scheme is not http",
            "ftp://chat:21 | the scheme is not http",
            "/chat | no http:// in front",
            "chat://x:1 | the scheme is not http",
            "http://:8083 | no valid host[:port]",
            "http://chat:eighty | no valid host[:port]",
            "http://chat:70000 | the port is over 65535",
            "http://chat:8083/api | a path is not supported",
            "http://chat:8083?x=1 | query",
            "http://user@chat:8083 | user info",
            "http://a:1,,http://b:2 | has an empty entry (#2 of 3",
            "http://a:1, | has an empty entry (#2 of 2",
            "http://a b:1 | not a URL",
    })
    void aMalformedEntryIsRefusedNamingTheProperty(String value, String reason) {
        assertThatThrownBy(() -> new ServiceOrigins(Map.of("session-service", "http://127.0.0.1:8081",
                "chat-service", value))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("livestage.gateway.services.chat-service")
                .hasMessageContaining(reason);
    }

    @Test
    void servicesAreListedByName() {
        ServiceOrigins origins = new ServiceOrigins(Map.of("token-service", "http://t:1", "chat-service", "http://c:1,http://c:2"));
        assertThat(origins.all().keySet()).containsExactly("chat-service", "token-service");
        assertThat(origins.of("chat-service")).extracting(Origin::port).isEqualTo(List.of(1, 2));
        assertThat(origins.of("session-service")).isNull();
    }
}
