package io.livestage.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One event waiting for (or done with) publication; written in the transaction of the change it reports. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "position", insertable = false, updatable = false)
    public Long position;

    @Column(name = "aggregate_type", nullable = false)
    public String aggregateType;

    @Column(name = "aggregate_id", nullable = false)
    public String aggregateId;

    @Column(name = "sequence", nullable = false)
    public long sequence;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "topic", nullable = false)
    public String topic;

    @Column(name = "source", nullable = false)
    public String source;

    @Column(name = "data_schema")
    public String dataSchema;

    @Column(name = "payload", nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The X-Request-Id of the request that caused the event, if any. */
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
