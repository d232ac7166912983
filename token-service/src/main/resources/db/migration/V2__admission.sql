-- token-service's own projection of livestage.session, read by every token request (docs/adr/0019): what a token
-- request needs to know about a session and about the caller in it, without asking session-service.
create table admission_sessions (
    session_id   uuid         primary key,
    slug         varchar(64)  not null,
    host_id      varchar(255) not null,
    kind         varchar(10)  not null,
    visibility   varchar(10)  not null,
    status       varchar(10)  not null,   -- SessionStatus, or DELETED (a tombstone: a replay cannot revive it)
    scheduled_at timestamptz,
    sequence     bigint       not null    -- ce_sequence of the last session.* event applied
);
create index admission_sessions_slug on admission_sessions (slug);

create table admission_participants (
    session_id uuid         not null,
    identity   varchar(255) not null,
    role       varchar(10)  not null,
    removed    boolean      not null,     -- sticky: a removal is never undone, whatever order events replay in
    sequence   bigint       not null,     -- ce_sequence of the last participant event applied
    primary key (session_id, identity)
);
