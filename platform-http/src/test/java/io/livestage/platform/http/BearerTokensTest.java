package io.livestage.platform.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokensTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer abc.def.ghi|abc.def.ghi",
            "bearer abc|abc",
            "BEARER abc|abc",
            "bEaReR abc|abc",
            "'Bearer   abc  '|abc",
            "'Bearer abc def'|abc def" })
    void theTokenAfterTheSchemeIsReadWhateverTheSchemesCase(String header, String token) {
        assertThat(BearerTokens.fromAuthorization(header)).contains(token);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearerabc", "Token abc",
            " Bearer abc", "Bear abc" })
    void noTokenWithoutTheBearerSchemeAndSomethingAfterIt(String header) {
        assertThat(BearerTokens.fromAuthorization(header)).isEmpty();
    }
}
