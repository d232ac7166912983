-- Idempotent consumers (platform module): one row per (consumer, event id) handled.
-- Written in the transaction that applies the event, so a redelivered event is recognised and skipped.
create table processed_events (
    consumer     varchar(100) not null,
    event_id     varchar(100) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
create index processed_events_age on processed_events (processed_at);
