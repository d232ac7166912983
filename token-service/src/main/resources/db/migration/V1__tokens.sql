-- Audit of every token minted: who, for which session, with which grants, until when. Never the token itself.
create table issued_tokens (
    id          uuid primary key,
    session_id  uuid         not null,
    identity    varchar(255) not null,
    user_id     varchar(255),            -- null for anonymous viewers
    role        varchar(10)  not null,
    grants      text         not null,   -- JSON of the video grant
    issued_at   timestamptz  not null,
    expires_at  timestamptz  not null
);
create index issued_tokens_session on issued_tokens (session_id, issued_at);
create index issued_tokens_identity on issued_tokens (identity, issued_at);

-- LiveKit webhook ids already accepted: a redelivery or replay is refused, not published twice.
create table webhook_receipts (
    id          varchar(100) primary key,
    event       varchar(50)  not null,
    room        varchar(255),
    received_at timestamptz  not null
);
create index webhook_receipts_age on webhook_receipts (received_at);

-- Sequence numbers of the livekit.webhook events token-service publishes, per room (= session id).
create table room_event_sequences (
    room     varchar(255) primary key,
    sequence bigint       not null
);
