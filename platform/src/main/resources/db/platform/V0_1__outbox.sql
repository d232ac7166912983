-- Transactional outbox shared by every service that owns a database (platform module).
-- A row is written in the same transaction as the state change it reports; the relay publishes it to Kafka.
create table outbox (
    id             uuid primary key,              -- the CloudEvents ce_id; consumers dedupe on it
    position       bigint generated always as identity unique,  -- publication order
    aggregate_type varchar(64)  not null,
    aggregate_id   varchar(64)  not null,         -- Kafka key and ce_subject (the session id)
    sequence       bigint       not null,         -- per-aggregate sequence (ce_sequence)
    event_type     varchar(100) not null,         -- ce_type
    topic          varchar(200) not null,
    source         varchar(200) not null,         -- ce_source
    data_schema    varchar(300),                  -- ce_dataschema
    payload        text         not null,         -- JSON event data
    occurred_at    timestamptz  not null,         -- ce_time
    published_at   timestamptz,
    attempts       integer      not null default 0,
    last_error     varchar(1000),
    constraint outbox_aggregate_sequence unique (aggregate_type, aggregate_id, sequence)
);
create index outbox_unpublished on outbox (position) where published_at is null;
create index outbox_published_at on outbox (published_at) where published_at is not null;
