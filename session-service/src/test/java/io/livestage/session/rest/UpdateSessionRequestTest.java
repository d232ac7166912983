package io.livestage.session.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The title rule of a PATCH, written without the inline flag {@code (?s)} so that the OpenAPI document's
 * {@code pattern} is a valid ECMA-262 expression, accepts and refuses exactly what {@code (?s).*\S.*} did.
 */
class UpdateSessionRequestTest {
    /** The rule as it was; the server's behaviour must not change. */
    private static final Pattern BEFORE = Pattern.compile("(?s).*\\S.*");
    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.byProvider(HibernateValidator.class).configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void thePatternHasNoInlineFlag() {
        assertThat(UpdateSessionRequest.NOT_BLANK).doesNotContain("(?");
    }

    @Test
    void everySingleCharacterIsJudgedAsBefore() {
        Pattern now = Pattern.compile(UpdateSessionRequest.NOT_BLANK);
        List<String> differing = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String s = Character.toString(c);
            for (String text : List.of(s, "\r\n" + s + "\t")) {
                if (BEFORE.matcher(text).matches() != now.matcher(text).matches()) {
                    differing.add(String.format("U+%04X in %s", c, text.codePoints().mapToObj(Integer::toHexString).toList()));
                }
            }
        }
        assertThat(differing).isEmpty();
    }

    @Test
    void theValidatedRecordAcceptsAndRefusesAsBefore() {
        List<String> titles = new ArrayList<>(List.of("", " ", "\t\n\u000B\f\r ", "x", " Friday AMA ", "line\nbreak",
                "\n\nx\n\n", "\u0085", "\u2028", "\u00A0", "\u2003", "\u3000", "\u0000", "\uD83C\uDF99"));
        // whitespace-heavy random strings, where the two expressions could part ways
        char[] alphabet = { ' ', '\t', '\n', '\u000B', '\f', '\r', '\u0085', '\u2028', '\u2029', '\u00A0', '\u1680',
            '\u2007', '\u200B', '\u3000', '\u001C', 'a', '.' };
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder title = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                title.append(alphabet[random.nextInt(alphabet.length)]);
            }
            titles.add(title.toString());
        }
        for (String title : titles) {
            Set<ConstraintViolation<UpdateSessionRequest>> violations = validator
                    .validate(new UpdateSessionRequest(title, null, null, null));
            assertThat(violations.isEmpty()).as("title %s", title.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(BEFORE.matcher(title).matches());
        }
        assertThat(validator.validate(new UpdateSessionRequest(null, null, null, null))).as("absent: unchanged").isEmpty();
    }
}
