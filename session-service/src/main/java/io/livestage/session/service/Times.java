package io.livestage.session.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps at PostgreSQL's precision, so what the API and events show equals what a later read returns. */
final class Times {
    private Times() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
