package io.livestage.platform.http;

import java.util.Optional;

/** Reads the token out of an {@code Authorization: Bearer <token>} header (RFC 6750: the scheme is case-insensitive). */
public final class BearerTokens {
    private static final String SCHEME = "Bearer ";

    private BearerTokens() {
    }

    /** The token, stripped of surrounding white space; empty when the header is absent, another scheme or has none. */
    public static Optional<String> fromAuthorization(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
