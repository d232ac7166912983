create table participants (
    id               uuid primary key,
    session_id       uuid         not null references sessions (id) on delete cascade,
    identity         varchar(255) not null,   -- LiveKit identity: the user id
    user_id          varchar(255) not null,
    name             varchar(100) not null,
    role             varchar(10)  not null check (role in ('HOST', 'COHOST', 'GUEST', 'VIEWER')),
    joined_at        timestamptz  not null,
    left_at          timestamptz,
    audio_muted      boolean      not null default false,
    video_muted      boolean      not null default false,
    speaking_seconds bigint       not null default 0,  -- closed periods with publish rights
    publishing_since timestamptz,                      -- open period, null when not on stage
    removed_at       timestamptz,
    removed_by       varchar(255),
    version          bigint       not null default 0,
    constraint participants_identity unique (session_id, identity)
);
create index participants_present on participants (session_id, role) where left_at is null;

create table stage_requests (
    id               uuid primary key,
    session_id       uuid         not null references sessions (id) on delete cascade,
    identity         varchar(255) not null,
    user_id          varchar(255) not null,
    name             varchar(100) not null,
    status           varchar(10)  not null check (status in ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED')),
    xp               integer      not null check (xp >= 0),
    speaking_seconds bigint       not null,
    requested_at     timestamptz  not null,
    decided_at       timestamptz,
    decided_by       varchar(255),
    version          bigint       not null default 0
);
-- One open hand per participant; asking again returns it (stable position across reconnects).
create unique index stage_requests_one_pending on stage_requests (session_id, identity) where status = 'PENDING';
-- The queue order: XP desc, waiting time desc (requested_at asc), speaking time asc, id.
create index stage_requests_queue on stage_requests (session_id, xp desc, requested_at, speaking_seconds, id)
    where status = 'PENDING';

create table invites (
    session_id uuid         not null references sessions (id) on delete cascade,
    user_id    varchar(255) not null,
    invited_by varchar(255) not null,
    invited_at timestamptz  not null,
    primary key (session_id, user_id)
);

create table moderation_log (
    id         bigint generated always as identity primary key,
    session_id uuid         not null references sessions (id) on delete cascade,
    actor      varchar(255) not null,
    action     varchar(30)  not null,
    target     varchar(255),
    detail     varchar(500),
    at         timestamptz  not null
);
create index moderation_log_session on moderation_log (session_id, at);
