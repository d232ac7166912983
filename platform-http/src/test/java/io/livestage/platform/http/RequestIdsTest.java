package io.livestage.platform.http;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = { "test-request-0001", "12345678", "a.b_c:d-e", "0f8fad5b-d9cb-469f-a165-70867728950e" })
    void aSaneIdIsKept(String presented) {
        assertThat(RequestIds.of(presented)).isEqualTo(presented);
    }

    @Test
    void theLengthLimitsAreInclusive() {
        assertThat(RequestIds.of("x".repeat(8))).isEqualTo("x".repeat(8));
        assertThat(RequestIds.of("x".repeat(128))).isEqualTo("x".repeat(128));
        assertThat(RequestIds.of("x".repeat(7))).isNotEqualTo("x".repeat(7));
        assertThat(RequestIds.of("x".repeat(129))).isNotEqualTo("x".repeat(129));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "short", "bad id with spaces", "id/with/slashes", "id\r\nX-Injected: 1",
            "ünïcödé-request", "quote\"d-request" })
    void anythingElseIsReplacedByANewUuid(String presented) {
        String id = RequestIds.of(presented);
        assertThat(id).isNotEqualTo(presented).hasSize(36);
        assertThat(UUID.fromString(id)).hasToString(id);
    }

    @Test
    void eachReplacementIsNew() {
        assertThat(RequestIds.of(null)).isNotEqualTo(RequestIds.of(null));
    }
}
