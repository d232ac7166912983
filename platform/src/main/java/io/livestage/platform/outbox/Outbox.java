package io.livestage.platform.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.events.EventType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.livestage.platform.http.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes events into the outbox inside the caller's transaction, so a state change and its event commit together or
 * not at all. {@link #transaction(Supplier)} wakes the relay after the commit for low publish latency. Services that
 * use the reactive SQL client directly instead of Panache append with {@link #append(SqlClient, EventType, String,
 * long, Instant, Object)} on their transaction's connection and call {@link #committed()} after the commit.
 */
@ApplicationScoped
public class Outbox {
    private final ObjectMapper json;
    private final OutboxConfig config;
    private final OutboxRelay relay;

    public Outbox(ObjectMapper json, OutboxConfig config, OutboxRelay relay) {
        this.json = json;
        this.config = config;
        this.relay = relay;
    }

    /** Runs {@code work} in a reactive transaction and nudges the relay once it has committed. */
    public <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(ignored -> relay.wakeUp());
    }

    /**
     * Appends an event for an aggregate. Must run inside the transaction that changes the aggregate.
     *
     * @param sequence the aggregate's event sequence number for this event (1, 2, ...)
     */
    public Uni<OutboxEntry> append(EventType type, String aggregateId, long sequence, Instant occurredAt,
            Object payload) {
        OutboxEntry entry = new OutboxEntry();
        entry.id = UUID.randomUUID();
        entry.aggregateType = config.aggregateType();
        entry.aggregateId = aggregateId;
        entry.sequence = sequence;
        entry.eventType = type.typeName();
        entry.topic = type.topic();
        entry.source = config.source();
        entry.dataSchema = type.schemaUri();
        entry.payload = serialise(payload);
        entry.occurredAt = occurredAt;
        entry.requestId = RequestIds.current();
        return entry.persist();
    }

    private static final String COLUMNS = "id, aggregate_type, aggregate_id, sequence, event_type, topic, source, "
            + "data_schema, payload, occurred_at, request_id";
    private static final String INSERT = "insert into outbox (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

    /**
     * Appends an event on {@code transaction}, a reactive SQL connection inside the transaction that changes the
     * aggregate. Returns the event id ({@code ce_id}).
     */
    public Uni<UUID> append(SqlClient transaction, EventType type, String aggregateId, long sequence,
            Instant occurredAt, Object payload) {
        UUID id = UUID.randomUUID();
        Tuple row = Tuple.tuple().addUUID(id).addString(config.aggregateType()).addString(aggregateId)
                .addLong(sequence).addString(type.typeName()).addString(type.topic()).addString(config.source())
                .addString(type.schemaUri()).addString(serialise(payload))
                .addOffsetDateTime(OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC)).addString(RequestIds.current());
        return transaction.preparedQuery(INSERT).execute(row).replaceWith(id);
    }

    /**
     * Appends an event whose sequence is taken by the same statement: {@code nextSequenceSql} is a query with one
     * parameter ({@code $1} = {@code sequenceKey}) returning one row with a column {@code seq}, typically
     * {@code update <aggregate> set last_seq = last_seq + 1 where id = $1 returning last_seq as seq}. One round trip,
     * so a row lock it takes lasts only as long as the statement (in autocommit). Returns false when it returned no
     * row (the aggregate does not exist) and nothing was appended.
     */
    public Uni<Boolean> appendWithNextSequence(SqlClient client, EventType type, String aggregateId,
            String nextSequenceSql, Object sequenceKey, Instant occurredAt, Object payload) {
        return insertFrom(client, "s as (" + nextSequenceSql + ")", Tuple.of(sequenceKey), type, aggregateId,
                occurredAt, payload);
    }

    /**
     * Changes the aggregate, takes its next sequence and appends the event in <b>one statement</b> (one round trip, one
     * implicit transaction in autocommit, so the aggregate's row lock lasts only as long as the statement):
     * {@code with change as (<changeSql>), s as (<nextSequenceSql>) insert into outbox … select … from s}.
     * <p>
     * {@code changeSql} is a data-modifying statement with {@code RETURNING} that returns a row only when the change
     * happened (an {@code insert … on conflict … do update … where …} that may do nothing, say); {@code nextSequenceSql}
     * returns one row with a column {@code seq} and may read {@code change} (e.g. {@code update agg set last_seq =
     * last_seq + 1 where id = (select id from change) returning last_seq as seq}). Both use the parameters in
     * {@code params} as {@code $1 … $n}; the outbox row's are appended after them. Returns false when no event was
     * appended (the change did nothing, or the aggregate does not exist). Call {@link #committed()} after it in
     * autocommit, or after the commit of the transaction {@code client} belongs to.
     */
    public Uni<Boolean> appendWithChange(SqlClient client, String changeSql, String nextSequenceSql, Tuple params,
            EventType type, String aggregateId, Instant occurredAt, Object payload) {
        return insertFrom(client, "change as (" + changeSql + "), s as (" + nextSequenceSql + ")", params, type,
                aggregateId, occurredAt, payload);
    }

    /**
     * {@code with <ctes> insert into outbox … select …, s.seq, … from s}: the caller's parameters are {@code $1 … $n},
     * the outbox row's follow them (every column in {@link #COLUMNS} order but the sequence, which comes from {@code s}).
     */
    private Uni<Boolean> insertFrom(SqlClient client, String ctes, Tuple params, EventType type, String aggregateId,
            Instant occurredAt, Object payload) {
        int n = params.size();
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            values.append(i == 1 ? "" : ", ").append(i == 4 ? "s.seq, " : "").append('$').append(n + i);
        }
        String sql = "with " + ctes + " insert into outbox (" + COLUMNS + ") select " + values + " from s";
        Tuple row = Tuple.tuple();
        for (int i = 0; i < n; i++) {
            row.addValue(params.getValue(i));
        }
        row.addUUID(UUID.randomUUID()).addString(config.aggregateType()).addString(aggregateId)
                .addString(type.typeName()).addString(type.topic()).addString(config.source())
                .addString(type.schemaUri()).addString(serialise(payload))
                .addOffsetDateTime(OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC)).addString(RequestIds.current());
        return client.preparedQuery(sql).execute(row).map(rows -> rows.rowCount() == 1);
    }

    /** Tells the relay that a transaction with outbox rows committed, so it publishes them now rather than at its next poll. */
    public void committed() {
        relay.wakeUp();
    }

    private String serialise(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event payload cannot be serialised: " + payload.getClass().getName(), e);
        }
    }
}
