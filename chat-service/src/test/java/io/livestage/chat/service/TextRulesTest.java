package io.livestage.chat.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

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
    void blockedTermsMatchWholeWordsIgnoringCaseAndCompatibilityForms() {
        List<String> terms = List.of("spoiler", "scam*");
        assertThat(TextRules.containsBlockedTerm("no SPOILER please", terms)).isTrue();
        assertThat(TextRules.containsBlockedTerm("ｓｐｏｉｌｅｒ!", terms)).as("full-width letters").isTrue();
        assertThat(TextRules.containsBlockedTerm("spoilers ahead", terms)).as("whole words only").isFalse();
        assertThat(TextRules.containsBlockedTerm("total scammer", terms)).as("prefix term").isTrue();
        assertThat(TextRules.containsBlockedTerm("all fine", terms)).isFalse();
        assertThat(TextRules.containsBlockedTerm("anything", List.of())).isFalse();
        assertThat(TextRules.containsBlockedTerm("a (b) c", List.of("(b)"))).as("terms are literal").isTrue();
    }
}
