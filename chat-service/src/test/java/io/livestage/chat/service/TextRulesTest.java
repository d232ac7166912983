package io.livestage.chat.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.postgres.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextRulesTest {

    @Test
    void textIsTrimmedAndLimitedInCharactersNotUtf16Units() {
        assertThat(TextRules.validate("  hi  ", 500)).isEqualTo("hi");
        String emoji = "\uD83D\uDD25".repeat(500);
        assertThat(TextRules.validate(emoji, 500)).isEqualTo(emoji);
        assertThatThrownBy(() -> TextRules.validate(emoji + "x", 500)).hasMessageContaining("501");
        assertThatThrownBy(() -> TextRules.validate(" \t ", 500)).hasMessageContaining("empty");
        assertThatThrownBy(() -> TextRules.validate(null, 500)).hasMessageContaining("required");
    }

    @Test
    void controlCharactersBidiOverridesAndBrokenSurrogatesAreRefused() {
        assertThatThrownBy(() -> TextRules.validate("a\u0000b", 500)).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> TextRules.validate("a\nb", 500)).hasMessageContaining("control");
        assertThatThrownBy(() -> TextRules.validate("a\u0085b", 500)).hasMessageContaining("U+0085");
        assertThatThrownBy(() -> TextRules.validate("abc\u202Edef", 500)).hasMessageContaining("bidirectional");
        assertThatThrownBy(() -> TextRules.validate("a\uD83Db", 500)).hasMessageContaining("surrogate");
        assertThat(TextRules.validate("family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", 500)).contains("\u200D");
    }

    @Test
    void blockedTermsMatchWholeWordsIgnoringCaseAndCompatibilityFormsInPostgres() throws Exception {
        TestDatabase db = TestPostgres.shared().createDatabase("textrules");
        try (Connection c = TestPostgres.shared().open(db)) {
            String pattern = TextRules.blockedPattern(List.of("spoiler", "scam*", "(b)", "  ", "*"));
            assertThat(matches(c, "no SPOILER please", pattern)).isTrue();
            assertThat(matches(c, "ｓｐｏｉｌｅｒ!", pattern)).as("full-width letters").isTrue();
            assertThat(matches(c, "spoilers ahead", pattern)).as("whole words only").isFalse();
            assertThat(matches(c, "total scammer", pattern)).as("prefix term").isTrue();
            assertThat(matches(c, "all fine", pattern)).isFalse();
            assertThat(matches(c, "a (b) c", pattern)).as("terms are literal").isTrue();
            assertThat(matches(c, "a b c", pattern)).as("regex characters are quoted").isFalse();
        }
        assertThat(TextRules.blockedPattern(List.of())).isEmpty();
    }

    private static boolean matches(Connection c, String text, String pattern) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select normalize(lower(?), NFKC) ~ ?")) {
            s.setString(1, text);
            s.setString(2, pattern);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
