package io.livestage.chat.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocked term's rule, written so that the OpenAPI document's {@code pattern} is valid ECMA-262 with the same
 * meaning, accepts and refuses exactly what {@code [^\p{Cntrl}]+} did on the server.
 */
class BlockedTermsPatternTest {
    /** The rule as it was. */
    private static final Pattern BEFORE = Pattern.compile("[^\\p{Cntrl}]+");

    @Test
    void everyCharacterAloneAndAmongOthersIsJudgedAsBefore() {
        Pattern now = Pattern.compile(ChatDtos.NO_CONTROL_CHARACTERS);
        List<String> differing = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String s = Character.toString(c);
            for (String term : List.of(s, "spam" + s, s + "\n", "a" + s + "b")) {
                if (BEFORE.matcher(term).matches() != now.matcher(term).matches()) {
                    differing.add(String.format("U+%04X in %s", c, term.codePoints().mapToObj(Integer::toHexString).toList()));
                }
            }
        }
        assertThat(differing).isEmpty();
        assertThat(now.matcher("").matches()).isEqualTo(BEFORE.matcher("").matches());
    }

    @Test
    void theSettingsRequestIsValidatedAsBefore() {
        try (ValidatorFactory factory = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            Validator validator = factory.getValidator();
            for (String term : List.of("spam*", "Scam", "caf\u00e9", "tab\there", "nul\u0000", "del\u007f", "c1\u0085",
                    "line\n", "\u00A0")) {
                boolean valid = validator.validate(new ChatDtos.SettingsRequest(null, null, null, List.of(term))).isEmpty();
                assertThat(valid).as("term %s", term.chars().mapToObj(Integer::toHexString).toList())
                        .isEqualTo(BEFORE.matcher(term).matches());
            }
        }
    }
}
