-- Creates made with an Idempotency-Key header: a retry with the same key (per user) answers the session it created.
-- Written in the transaction that inserts the session, so concurrent retries create at most one (primary key).
create table idempotency_keys (
    user_id          varchar(255) not null,
    idempotency_key  varchar(255) not null,
    request_hash     char(64)     not null,  -- SHA-256 (hex) of the parsed request: another body under the key is refused
    session_id       uuid         not null,  -- no foreign key: a deleted session must not free its key for a second create
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null,
    primary key (user_id, idempotency_key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);
