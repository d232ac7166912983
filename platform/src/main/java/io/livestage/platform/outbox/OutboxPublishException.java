package io.livestage.platform.outbox;

/** Kafka did not acknowledge some outbox events; they stay pending and are retried. */
public class OutboxPublishException extends Exception {
    public OutboxPublishException(String message) {
        super(message);
    }
}
