-- chat-service owns chat rooms, messages, reactions, bans/timeouts and chat settings. Sessions and participants are
-- a projection of session-service's events (livestage.session): every event carries a full snapshot and a
-- per-session ce_sequence, so a row is only overwritten by a newer sequence (idempotent, order-tolerant).

create table chat_rooms (
    session_id        uuid primary key,
    -- projection of the session (from session.* events)
    slug              varchar(16)  not null,
    title             varchar(200) not null,
    host_id           varchar(255) not null,
    kind              varchar(10)  not null,
    visibility        varchar(10)  not null,
    status            varchar(10)  not null,      -- SCHEDULED, ACTIVE, ENDED, CANCELLED, DELETED
    enable_chat       boolean      not null,
    enable_reactions  boolean      not null,
    ended_at          timestamptz,
    session_seq       bigint       not null,      -- ce_sequence of the session event last applied to this row
    -- chat's own state
    slow_mode_seconds integer      not null default 0,
    signed_in_only    boolean      not null default false,
    reactions_only    boolean      not null default false,
    blocked_terms     text[]       not null default '{}',
    last_seq          bigint       not null default 0   -- chat event sequence (ce_sequence on livestage.chat)
);

-- One row per user known in a room: the participant projection (role, removed) and the chat state of the user.
create table chat_members (
    session_id       uuid         not null references chat_rooms (session_id) on delete cascade,
    user_id          varchar(255) not null,
    name             varchar(100),
    role             varchar(10)  not null default 'VIEWER',
    on_stage         boolean      not null default false,   -- a GUEST, COHOST or HOST present in the session
    removed          boolean      not null default false,   -- removed from the session by a moderator
    participant_seq  bigint       not null default 0,       -- ce_sequence of the participant event last applied
    banned           boolean      not null default false,
    banned_by        varchar(255),
    timed_out_until  timestamptz,
    last_message_at  timestamptz,
    primary key (session_id, user_id)
);

create table chat_messages (
    id                uuid primary key,
    session_id        uuid         not null references chat_rooms (session_id) on delete cascade,
    seq               bigint       not null,
    author_id         varchar(255) not null,
    author_name       varchar(100) not null,
    author_role       varchar(10)  not null,
    text              varchar(500) not null,
    client_message_id varchar(64)  not null,
    sent_at           timestamptz  not null,
    deleted_at        timestamptz,
    deleted_by        varchar(255),
    constraint chat_messages_seq unique (session_id, seq),
    constraint chat_messages_client_id unique (session_id, author_id, client_message_id)
);

create table chat_reaction_totals (
    session_id uuid        not null references chat_rooms (session_id) on delete cascade,
    reaction   varchar(32) not null,
    total      bigint      not null,
    primary key (session_id, reaction)
);

create table chat_moderation_log (
    id             uuid primary key,
    session_id     uuid         not null references chat_rooms (session_id) on delete cascade,
    actor_id       varchar(255) not null,
    action         varchar(32)  not null,
    target_user_id varchar(255),
    message_id     uuid,
    details        jsonb        not null default '{}',
    at             timestamptz  not null
);
create index chat_moderation_log_session on chat_moderation_log (session_id, at);
