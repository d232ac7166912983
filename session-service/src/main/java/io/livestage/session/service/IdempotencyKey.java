package io.livestage.session.service;

import java.time.Duration;

import io.livestage.platform.problem.ProblemException;

/**
 * The client's {@code Idempotency-Key} for a create (as Stripe's API takes it): a retry with the same key and body
 * answers the session the first request created instead of creating another. Scoped to the caller; kept for
 * {@link #LIFETIME}.
 */
public record IdempotencyKey(String value) {
    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;
    public static final Duration LIFETIME = Duration.ofHours(24);

    /** The header's key, null when the header is absent; 400 naming the header when it is empty, too long or not visible ASCII. */
    public static IdempotencyKey parse(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty()) {
            throw ProblemException.invalid(HEADER, HEADER + " must not be empty; send a unique value such as a UUID, or no header");
        }
        if (header.length() > MAX_LENGTH) {
            throw ProblemException.invalid(HEADER, HEADER + " must be at most " + MAX_LENGTH + " characters");
        }
        if (!header.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.invalid(HEADER, HEADER + " must be visible ASCII characters (no spaces)");
        }
        return new IdempotencyKey(header);
    }
}
