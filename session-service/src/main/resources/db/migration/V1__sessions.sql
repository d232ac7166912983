create table sessions (
    id                     uuid primary key,
    slug                   char(8)      not null unique,
    title                  varchar(200) not null,
    description            varchar(5000),
    host_id                varchar(255) not null,
    space_id               varchar(100),
    kind                   varchar(10)  not null check (kind in ('AUDIO', 'VIDEO')),
    visibility             varchar(10)  not null check (visibility in ('PUBLIC', 'UNLISTED', 'PRIVATE')),
    status                 varchar(10)  not null check (status in ('SCHEDULED', 'ACTIVE', 'ENDED', 'CANCELLED')),
    scheduled_at           timestamptz,
    started_at             timestamptz,
    ended_at               timestamptz,
    created_at             timestamptz  not null,
    updated_at             timestamptz  not null,
    max_participants       integer      not null check (max_participants between 1 and 100000),
    allow_guests           boolean      not null,
    require_approval       boolean      not null,
    max_guests             integer      not null check (max_guests between 0 and 20),
    enable_chat            boolean      not null,
    enable_reactions       boolean      not null,
    guest_audio_default    boolean      not null,
    guest_video_default    boolean      not null,
    recording_enabled      boolean      not null,
    transcription_enabled  boolean      not null,
    event_sequence         bigint       not null default 0,
    version                bigint       not null default 0
);
-- Cursor pagination walks (created_at desc, id desc); filters narrow it.
create index sessions_page on sessions (created_at desc, id desc);
create index sessions_host_page on sessions (host_id, created_at desc, id desc);
create index sessions_public_page on sessions (created_at desc, id desc) where visibility = 'PUBLIC';
create index sessions_space on sessions (space_id) where space_id is not null;
