package io.livestage.events;

/** Kafka topics of the public event catalogue. Key = session id on every topic. */
public final class Topics {
    /** Every {@code session.*} event, in per-session order. */
    public static final String SESSION = "livestage.session";

    private Topics() {
    }
}
