-- recording-service owns recordings and the LiveKit egress behind each of their outputs. Sessions and participants
-- are a projection of session-service's events (livestage.session), applied by ce_sequence (idempotent,
-- order-tolerant).

create table recording_sessions (
    session_id         uuid primary key,
    slug               varchar(16)  not null,
    title              varchar(200) not null,
    host_id            varchar(255) not null,
    kind               varchar(10)  not null,      -- AUDIO, VIDEO
    visibility         varchar(10)  not null,
    status             varchar(10)  not null,      -- SCHEDULED, ACTIVE, ENDED, CANCELLED, DELETED
    recording_enabled  boolean      not null,
    started_at         timestamptz,
    ended_at           timestamptz,
    session_seq        bigint       not null,      -- ce_sequence of the session event last applied
    last_seq           bigint       not null default 0   -- recording event sequence (ce_sequence on livestage.recording)
);
create unique index recording_sessions_slug on recording_sessions (slug);

create table recording_participants (
    session_id       uuid         not null references recording_sessions (session_id) on delete cascade,
    user_id          varchar(255) not null,
    role             varchar(10)  not null,
    removed          boolean      not null default false,
    participant_seq  bigint       not null,
    primary key (session_id, user_id)
);

-- A recording is one start/stop span of a session; a stop request is kept until its outputs have ended.
create table recordings (
    recording_id       uuid         primary key,
    session_id         uuid         not null references recording_sessions (session_id) on delete cascade,
    trigger            varchar(8)   not null,      -- AUTO, MANUAL
    requested_by       varchar(255),
    requested_at       timestamptz  not null,
    stop_requested_at  timestamptz,
    stop_reason        varchar(200)
);
create index recordings_session on recordings (session_id, requested_at);
-- the session.started of a session records it once, however often the event is delivered
create unique index recordings_one_auto on recordings (session_id) where trigger = 'AUTO';

-- One LiveKit egress per output format. PENDING = the intent, kept until LiveKit accepts it (the room may not exist
-- yet); then LiveKit's statuses. next_action_at schedules the driver's next start or stop attempt and leases a row to
-- the replica working on it; start_in_flight marks a start call whose answer was not recorded (a crash), so the next
-- attempt first looks for the egress that call may have created.
create table recording_outputs (
    recording_id      uuid          not null references recordings (recording_id) on delete cascade,
    format            varchar(4)    not null,      -- MP3, MP4
    status            varchar(16)   not null,      -- PENDING, STARTING, ACTIVE, ENDING, COMPLETE, FAILED, ABORTED, LIMIT_REACHED
    egress_id         varchar(64)   unique,
    attempts          integer       not null default 0,
    next_action_at    timestamptz   not null,
    start_in_flight   boolean       not null default false,
    egress_started_at timestamptz,                 -- when LiveKit accepted the start (for the STARTING timeout)
    stop_sent_at      timestamptz,
    last_error        varchar(500),
    started_at        timestamptz,                 -- LiveKit's times
    ended_at          timestamptz,
    location          varchar(1000),
    size_bytes        bigint,
    duration_ms       bigint,
    failure_reason    varchar(500),
    updated_at        timestamptz   not null,
    primary key (recording_id, format)
);
create index recording_outputs_due on recording_outputs (next_action_at)
    where status in ('PENDING', 'STARTING', 'ACTIVE');
create index recording_outputs_live on recording_outputs (status) where status in ('STARTING', 'ACTIVE', 'ENDING');
