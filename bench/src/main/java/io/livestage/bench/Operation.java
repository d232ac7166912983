package io.livestage.bench;

import java.util.Locale;

/** One kind of request in the session-api load mix. */
public enum Operation {
    /** POST /api/sessions (201). */
    CREATE("create"),
    /** GET /api/sessions/{id} of a session created earlier in the run. */
    GET_ID("get-id"),
    /** GET /api/sessions/by-slug/{slug} of a session created earlier in the run. */
    GET_SLUG("get-slug"),
    /** GET /api/sessions?limit=20 (newest public sessions first). */
    LIST("list");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    /** Name used in mix specs, tables and reports. */
    public String label() {
        return label;
    }

    /** Parses a label as used in {@code BENCH_MIX}; {@code get} is accepted by {@link OperationMix#parse}. */
    public static Operation fromLabel(String label) {
        String wanted = label.trim().toLowerCase(Locale.ROOT);
        for (Operation op : values()) {
            if (op.label.equals(wanted)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown operation '" + label + "'; known: create, get (= get-id + get-slug"
                + " half each), get-id, get-slug, list");
    }
}
