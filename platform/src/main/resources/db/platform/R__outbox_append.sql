-- The one insert into the outbox: platform's Outbox (every append variant) and services' own SQL functions
-- (chat-service's chat_post_message) call it instead of listing the columns, so a new column changes one place.
-- Repeatable (re-applied whenever this file changes, after the versioned scripts), so it also reaches databases
-- whose service migrations are already past the platform's V0_x versions.
-- The W3C trace context of the change (traces across the outbox and Kafka); null where no span was current.
alter table outbox add column if not exists traceparent varchar(55);
drop function if exists livestage_outbox_append(uuid, varchar, varchar, bigint, varchar, varchar, varchar, varchar,
    text, timestamptz, text);

create or replace function livestage_outbox_append(
    p_id uuid, p_aggregate_type varchar, p_aggregate_id varchar, p_sequence bigint, p_event_type varchar,
    p_topic varchar, p_source varchar, p_data_schema varchar, p_payload text, p_occurred_at timestamptz,
    p_request_id text, p_traceparent varchar default null)
returns void
language plpgsql as $$
begin
    insert into outbox (id, aggregate_type, aggregate_id, sequence, event_type, topic, source, data_schema, payload,
                        occurred_at, request_id, traceparent)
        values (p_id, p_aggregate_type, p_aggregate_id, p_sequence, p_event_type, p_topic, p_source, p_data_schema,
                p_payload, p_occurred_at, p_request_id, p_traceparent);
end;
$$;
