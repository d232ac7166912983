-- Final statistics of ended sessions (docs/adr/0016-analytics.md); the live ones live in the Kafka Streams stores.
create table session_stats (
    session_id        text        primary key,
    title             text,
    host_id           text,
    space_id          text,
    started_at        timestamptz,
    ended_at          timestamptz,
    cohosts           text[]      not null default '{}',
    revision          int         not null,
    stats             jsonb       not null,  -- the SessionStats object, as the API and the event carry it
    recorded_at       timestamptz not null,
    -- copied out of stats for the aggregates
    views             bigint      not null,
    unique_viewers    bigint      not null,
    watch_time_millis bigint      not null,
    peak_concurrent   bigint      not null,
    duration_seconds  bigint      not null,
    chat_messages     bigint      not null,
    reactions         bigint      not null,
    approved_guests   bigint      not null
);
create index session_stats_host on session_stats (host_id, started_at);
create index session_stats_space on session_stats (space_id, started_at);
create index session_stats_started on session_stats (started_at);
create index session_stats_ended on session_stats (ended_at);

-- Who watched each session: exact unique viewers across sessions (a host's month, a space, the platform)
create table session_viewers (
    session_id text not null references session_stats (session_id) on delete cascade,
    viewer_key text not null,
    primary key (session_id, viewer_key)
);
