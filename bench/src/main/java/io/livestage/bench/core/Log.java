package io.livestage.bench.core;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr, so that stdout keeps the report. */
public final class Log {
    private Log() {
    }

    public static void info(String message) {
        System.err.println("[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    public static void info(String format, Object... args) {
        info(String.format(java.util.Locale.ROOT, format, args));
    }
}
