package io.livestage.platform.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.events.EventType;
import io.livestage.platform.http.RequestIds;
import io.livestage.platform.tracing.EventTracing;

/**
 * Writes events into the outbox inside the caller's transaction, so a state change and its event commit together or
 * not at all. Every variant writes the row through the one insert, the SQL function {@code livestage_outbox_append}
 * (db/platform/R__outbox_append.sql). Services append with
 * {@link #append(SqlClient, EventType, String, long, Instant, Object)} (or the one-statement variants) on their
 * transaction's reactive SQL connection and call {@link #committed()} after the commit, which wakes the relay for low
 * publish latency. A service on an ORM runs {@link #appendStatement} through its own session instead.
 */
@ApplicationScoped
public class Outbox {
    /** Position of the sequence among {@code livestage_outbox_append}'s parameters. */
    private static final int SEQUENCE = 3;
    /** How many parameters {@code livestage_outbox_append} takes. */
    private static final int PARAMETERS = 12;

    private final ObjectMapper json;
    private final OutboxConfig config;
    private final OutboxRelay relay;

    public Outbox(ObjectMapper json, OutboxConfig config, OutboxRelay relay) {
        this.json = json;
        this.config = config;
        this.relay = relay;
    }

    /**
     * The platform's columns of a new event of {@code type}, for a service's SQL function that appends the row itself
     * with {@code livestage_outbox_append}.
     */
    public OutboxMetadata metadata(EventType type) {
        return new OutboxMetadata(UUID.randomUUID(), config.aggregateType(), type.typeName(), type.topic(),
                config.source(), type.schemaUri(), RequestIds.current(), EventTracing.currentTraceparent());
    }

    /**
     * The append of an event as one SQL statement with JDBC-style {@code ?} placeholders and its parameters, for a
     * service that runs it on its own ORM session inside the transaction that changes the aggregate (session-service's
     * Hibernate Reactive). {@link #committed()} must be called after that transaction commits.
     *
     * @param sequence the aggregate's event sequence number for this event (1, 2, ...)
     */
    public AppendStatement appendStatement(EventType type, String aggregateId, long sequence, Instant occurredAt,
            Object payload) {
        OutboxMetadata event = metadata(type);
        return new AppendStatement(event.id(), "select " + appendCall("?", 0, null),
                Collections.unmodifiableList(values(event, aggregateId, sequence, occurredAt, payload)));
    }

    /** An outbox append as SQL: the event id ({@code ce_id}), the statement, its parameters in order (nulls allowed). */
    public record AppendStatement(UUID eventId, String sql, List<Object> parameters) {
    }

    /**
     * Appends an event on {@code transaction}, a reactive SQL connection inside the transaction that changes the
     * aggregate. Returns the event id ({@code ce_id}).
     */
    public Uni<UUID> append(SqlClient transaction, EventType type, String aggregateId, long sequence,
            Instant occurredAt, Object payload) {
        OutboxMetadata event = metadata(type);
        return transaction.preparedQuery("select " + appendCall("$", 0, null))
                .execute(Tuple.from(values(event, aggregateId, sequence, occurredAt, payload)))
                .replaceWith(event.id());
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
        return appendFrom(client, "s as (" + nextSequenceSql + ")", Tuple.of(sequenceKey), type, aggregateId,
                occurredAt, payload);
    }

    /**
     * Changes the aggregate, takes its next sequence and appends the event in <b>one statement</b> (one round trip, one
     * implicit transaction in autocommit, so the aggregate's row lock lasts only as long as the statement):
     * {@code with change as (<changeSql>), s as (<nextSequenceSql>) select livestage_outbox_append(…, s.seq, …) from s}.
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
        return appendFrom(client, "change as (" + changeSql + "), s as (" + nextSequenceSql + ")", params, type,
                aggregateId, occurredAt, payload);
    }

    /** Tells the relay that a transaction with outbox rows committed, so it publishes them now rather than at its next poll. */
    public void committed() {
        relay.wakeUp();
    }

    /**
     * {@code with <ctes> select livestage_outbox_append(…, s.seq, …) from s}: the caller's parameters are
     * {@code $1 … $n}, the outbox row's follow them (all but the sequence, which comes from {@code s}).
     */
    private Uni<Boolean> appendFrom(SqlClient client, String ctes, Tuple params, EventType type, String aggregateId,
            Instant occurredAt, Object payload) {
        int n = params.size();
        List<Object> values = new ArrayList<>(n + PARAMETERS - 1);
        for (int i = 0; i < n; i++) {
            values.add(params.getValue(i));
        }
        values.addAll(valuesButSequence(metadata(type), aggregateId, occurredAt, payload));
        return client.preparedQuery("with " + ctes + " select " + appendCall("$", n, "s.seq") + " from s")
                .execute(Tuple.from(values)).map(rows -> rows.rowCount() == 1);
    }

    /** {@code livestage_outbox_append}'s parameters, in order. */
    private List<Object> values(OutboxMetadata event, String aggregateId, long sequence, Instant occurredAt,
            Object payload) {
        List<Object> values = valuesButSequence(event, aggregateId, occurredAt, payload);
        values.add(SEQUENCE, sequence);
        return values;
    }

    /** {@code livestage_outbox_append}'s parameters but the sequence, in order. */
    private List<Object> valuesButSequence(OutboxMetadata event, String aggregateId, Instant occurredAt,
            Object payload) {
        return new ArrayList<>(Arrays.asList(event.id(), event.aggregateType(), aggregateId, event.eventType(),
                event.topic(), event.source(), event.dataSchema(), serialise(payload),
                OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC), event.requestId(), event.traceparent()));
    }

    /**
     * {@code livestage_outbox_append(<p>k+1, <p>k+2, …)} with placeholders {@code marker} ({@code $} for the reactive
     * client, {@code ?} for Hibernate) numbered after the caller's {@code offset}; the sequence is {@code sequence}
     * when given (then it takes no parameter).
     */
    static String appendCall(String marker, int offset, String sequence) {
        StringJoiner args = new StringJoiner(", ", "livestage_outbox_append(", ")");
        int next = offset;
        for (int i = 0; i < PARAMETERS; i++) {
            args.add(i == SEQUENCE && sequence != null ? sequence : marker + ++next);
        }
        return args.toString();
    }

    private String serialise(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event payload cannot be serialised: " + payload.getClass().getName(), e);
        }
    }
}
